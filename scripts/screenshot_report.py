"""Render the sample organisation's HTML report and screenshot it in headless Chromium.

    python scripts/screenshot_report.py                          # tests/data/org/northwind -> org-report.png
    python scripts/screenshot_report.py --out shot.png --html report.html --height 4000
    python scripts/screenshot_report.py --org drafts/            # any organisation

Exits 3 when no Chromium is installed (`apt-get install chromium`), 1 when the screenshot fails. The page
is loaded from a file:// URL with networking off; the report itself has no script and no remote load.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def render(org_path: Path, html_path: Path) -> None:
    from coach.org import compute, load_org, review_org
    from coach.report.org_html import render_org_html

    review = review_org(load_org([str(org_path)]))
    html_path.write_text(render_org_html(review, compute(review)), encoding="utf-8")


def screenshot(browser: str, html_path: Path, png_path: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--screenshot={png_path}",
            f"--window-size={width},{height}",
            html_path.resolve().as_uri(),
        ]
        subprocess.run(command, capture_output=True, timeout=120, check=False)


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's header."""
    data = path.read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--org", default=str(ROOT / "tests" / "data" / "org" / "northwind"))
    parser.add_argument("--out", default="org-report.png", help="the screenshot (PNG)")
    parser.add_argument("--html", help="keep the rendered report here (default: a temporary file)")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2000)
    args = parser.parse_args(argv)
    browser = find_browser()
    if browser is None:
        print("no Chromium found (apt-get install chromium)", file=sys.stderr)
        return 3
    with tempfile.TemporaryDirectory() as folder:
        html_path = Path(args.html) if args.html else Path(folder) / "report.html"
        render(Path(args.org), html_path)
        png_path = Path(args.out)
        png_path.unlink(missing_ok=True)
        screenshot(browser, html_path, png_path, args.width, args.height)
        if not png_path.is_file():
            print(f"{browser} wrote no screenshot", file=sys.stderr)
            return 1
    width, height = png_size(png_path)
    kept = f"; report in {args.html}" if args.html else ""
    print(f"{png_path} ({width}x{height}, {png_path.stat().st_size:,} bytes){kept}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The organisation reports: HTML (self-contained, nothing executable, checked in a real browser when one is
installed), Markdown and JSON; user text in every field stays text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coach.org import compute, load_org, review_org
from coach.report.org_html import render_org_html
from coach.report.org_json import org_dict, render_org_json
from coach.report.org_markdown import render_org_markdown

ROOT = Path(__file__).resolve().parent.parent
NORTHWIND = ROOT / "tests" / "data" / "org" / "northwind"
PAYLOAD = (
    "<script>alert(1)</script> javascript:alert(1) \"'><img src=x onerror=alert(1)> "
    '[x](javascript:alert(1)) <javascript:alert(1)> <a href="javascript:alert(1)">x</a>'
)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


@pytest.fixture(scope="module")
def sample() -> tuple[object, object]:
    review = review_org(load_org([str(NORTHWIND)]))
    return review, compute(review)


def test_the_html_report_is_one_self_contained_page(sample: tuple[object, object]) -> None:
    review, stats = sample
    html = render_org_html(review, stats)  # type: ignore[arg-type]
    tags = tags_of(html)
    names = {tag for tag, _ in tags}
    assert "script" not in names and "link" not in names and "img" not in names and "iframe" not in names
    assert {"svg", "style", "details", "table"} <= names
    for tag, attrs in tags:
        assert "src" not in attrs, tag
        assert str(attrs.get("href", "#")).startswith("#"), (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    csp = next(
        a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in str(csp) and "script-src" not in str(csp)
    for section in ("Findings by code", "Quality by team", "Support for the company OKRs", "Fix these first"):
        assert section in html
    assert "Cut regretted attrition from 11% to 7% annualised" in html  # the gap, in the coverage chart
    assert 'class="tag gap"' in html  # highlighted in the tree
    # Every citation link points at a source listed on the page.
    anchors = {a["id"] for _, a in tags if a.get("id")}
    assert {str(a["href"])[1:] for _, a in tags if a.get("href")} <= anchors


def test_markdown_and_json_carry_the_same_review(sample: tuple[object, object]) -> None:
    review, stats = sample
    markdown = render_org_markdown(review, stats)  # type: ignore[arg-type]
    assert markdown.startswith("# OKR organisation review")
    assert "## Quality by team (lowest first)" in markdown and "## Fix these first" in markdown
    assert "| `ORG011` | conflicting-metric-targets | warning | 7 |" in markdown
    data = json.loads(render_org_json(review, stats))  # type: ignore[arg-type]
    assert data["summary"]["key_results"] == 68 and data["summary"]["unreadable_files"] == 0
    assert len(data["findings"]) == len(review.findings)  # type: ignore[attr-defined]
    assert {f["citation"]["id"] for f in data["findings"] if f["code"] == "ORG004"} == {"cascading-theatre"}
    kr = next(i for i in data["items"] if i["id"] == "gw-1.1")
    assert kr["analysis"]["has_baseline"] and kr["parents"] == []
    gateway = next(i for i in data["items"] if i["id"] == "gw-1")
    assert gateway["parents"] == [str(NORTHWIND / "engineering/platform/index.yaml") + "#plat-1.2"]
    assert data["statistics"]["teams"]["Content"]["task_like_share"] == pytest.approx(0.6667)


def hostile_org(folder: Path) -> Path:
    """An organisation whose every field, and one file name, holds markup and javascript: URLs."""
    root = folder / "org"
    (root / "team").mkdir(parents=True)
    quoted = json.dumps(PAYLOAD)
    (root / "company.yaml").write_text(
        f"team: {quoted}\nlevel: company\nowner: {quoted}\nperiod: {quoted}\nobjectives:\n"
        f"- id: {quoted}\n  objective: {quoted}\n  why: {quoted}\n  key_results:\n"
        f"  - {{id: k1, text: {quoted}, owner: {quoted}, baseline: {quoted}, target: {quoted},"
        f" unit: {quoted}}}\n"
        f"  - {{id: k2, text: {json.dumps('Raise NPS from 30 to 45 ' + PAYLOAD)},"
        f" initiatives: [{quoted}]}}\n",
        encoding="utf-8",
    )
    (root / "team" / "<svg onload=alert(1)>.yaml").write_text(
        f"team: {json.dumps(PAYLOAD + ' team')}\nobjectives:\n- objective: {quoted}\n  parent: {quoted}\n"
        f"  ignore: [{json.dumps('ORG003: ' + PAYLOAD)}]\n  key_results:\n  - {quoted}\n  - text: {quoted}\n"
        f"    parent: {json.dumps('javascript:alert(1)')}\n",
        encoding="utf-8",
    )
    return root


def test_nothing_executable_comes_out_of_user_text(tmp_path: Path) -> None:
    review = review_org(load_org([str(hostile_org(tmp_path))]))
    assert not review.organisation.errors and len(review.organisation.teams) == 2
    stats = compute(review)
    html = render_org_html(review, stats)
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<svg onload" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
    for tag, attrs in tags_of(html):
        assert tag not in {"script", "img", "iframe", "object", "embed", "svg:script"}
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "src" not in attrs
        for value in attrs.values():
            assert "javascript:" not in str(value).lower(), (tag, attrs)
        if tag == "a":
            assert str(attrs["href"]).startswith("#p-")
    markdown = render_org_markdown(review, stats)
    # Markdown shows user text with its markup characters backslash-escaped: no raw tag, link or autolink.
    assert re.search(r"(?<!\\)<[a-z/!]", markdown, re.IGNORECASE) is None
    assert re.search(r"(?<!\\)\]\(javascript:", markdown, re.IGNORECASE) is None
    assert r"\<script\>" in markdown
    data = org_dict(review, stats)
    assert PAYLOAD in {team["name"] for team in data["teams"]}  # JSON keeps the text exactly
    json.loads(render_org_json(review, stats))


@pytest.mark.skipif(
    not any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")),
    reason="no Chromium installed (apt-get install chromium) to render the report in a real browser",
)
def test_the_report_renders_in_a_real_browser(tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    html = tmp_path / "report.html"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "screenshot_report.py"),
            "--out",
            str(png),
            "--html",
            str(html),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    # A blank or unstyled page compresses to a few kilobytes; the charts and cards do not.
    assert len(data) > 100_000
    assert "Support for the company OKRs" in html.read_text(encoding="utf-8")

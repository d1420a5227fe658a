"""Writing files safely: never leave a half-written report or draft behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from coach.model import InputError


def write_atomic(path: Path, text: str, *, backup: bool = False) -> None:
    """Write `text` to `path` through a temporary file in the same folder and an atomic rename.

    With `backup`, the previous content is kept as `<path>.bak` first.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(str(path), f"folder {folder} does not exist")
    mode = None
    if path.exists():
        mode = path.stat().st_mode & 0o777
        if backup:
            bak = path.with_name(path.name + ".bak")
            bak.write_bytes(path.read_bytes())
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise InputError(str(path), f"cannot write: {exc.strerror or exc}") from None

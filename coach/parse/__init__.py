"""Read OKR drafts (YAML, Markdown, CSV, JSON, Excel workbooks) into a Document, keeping where each element
came from.

Every user mistake is an InputError naming the file (and the line, where there is one); problems the
parsers can read past become `Document.diagnostics`. See SCHEMA.md for the formats.

A binary format (a workbook) is read from its bytes. The paths that read a draft as text (`decode`, then
`parse_text`: the organisation loader, the writers) carry a workbook's bytes as latin-1 text, one character
a byte, which `parse_text` hands back to the reader as bytes; the writers refuse such a format.
"""

from __future__ import annotations

import codecs
import gc
import os
import re
import stat
import sys

from coach.formats import NAMES, choices_text, named, of_path
from coach.model import Document, InputError

FORMATS = NAMES  # the format registry's names (coach.formats), in its order
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
STDIN = "<stdin>"
_CHOICES = choices_text()
_SURROGATE = re.compile("[\ud800-\udfff]")


def detect_format(path: str) -> str | None:
    """The format a file's extension names, or None."""
    known = of_path(path)
    return known.name if known else None


def load(path: str, input_format: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and parse a draft. "-" reads standard input, which needs `input_format`."""
    if path == "-":
        if input_format is None:
            raise InputError(STDIN, f"reading standard input needs --input-format {_CHOICES}")
        fmt = _format_name(input_format, STDIN)
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(STDIN, f"input is larger than the {_size(max_bytes)} limit")
        return parse_bytes(data, STDIN, fmt)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except (OSError, ValueError) as error:
        raise InputError(path, f"cannot open: {getattr(error, 'strerror', None) or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a directory, not a file")
    detected = _format_name(input_format, path) if input_format else detect_format(path)
    if detected is None:
        raise InputError(path, f"cannot tell the format of {path}; use --input-format {_CHOICES}")
    if info.st_size > max_bytes:
        raise InputError(path, f"file is too large ({_size(info.st_size)}; the limit is {_size(max_bytes)})")
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)  # st_size can be 0 for pipes and special files
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise InputError(path, f"file is too large (over the {_size(max_bytes)} limit)")
    return parse_bytes(data, path, detected)


def parse_bytes(data: bytes, name: str, input_format: str) -> Document:
    """Parse a draft's bytes (UTF-8, with or without a BOM)."""
    fmt = _format_name(input_format, name)
    if _binary(fmt):
        if not data.strip():
            raise InputError(name, "file is empty")
        return _read(data, name, fmt)
    return _parse(decode(data, name), name, fmt)


def parse_text(text: str, name: str, input_format: str) -> Document:
    """Parse a draft that is already text."""
    fmt = _format_name(input_format, name)
    if not text.strip():
        raise InputError(name, "file is empty")
    if _binary(fmt):
        return _read(text, name, fmt)  # a workbook's bytes, carried as latin-1 text (see decode)
    if "\x00" in text:
        raise InputError(name, "looks like a binary file (it contains NUL bytes)")
    bad = _SURROGATE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(name, f"contains a character that is not valid Unicode at line {line}", line=line)
    return _parse(text.removeprefix("\ufeff"), name, fmt)


def decode(data: bytes, name: str) -> str:
    """UTF-8 bytes as text, or an InputError saying what is wrong with them. A file whose name is a binary
    format's (a workbook) comes back as latin-1 text, its bytes unchanged, for `parse_text` to read."""
    if not data.strip():
        raise InputError(name, "file is empty")
    known = of_path(name)
    if known is not None and known.binary:
        return data.decode("latin-1")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" in data[:64]:
        raise InputError(name, "is UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        raise InputError(name, "looks like a binary file (it contains NUL bytes)")
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = f"not valid UTF-8 at line {line} (byte 0x{data[error.start]:02x})"
        raise InputError(name, message, line=line) from None
    if not text.strip():
        raise InputError(name, "file is empty")
    return text


def _binary(fmt: str) -> bool:
    known = named(fmt)
    return known is not None and known.binary


def _read(data: bytes | str, name: str, fmt: str) -> Document:
    """A binary format's reader, given the bytes or the latin-1 text that carries them."""
    reader = named(fmt).read()  # type: ignore[union-attr]  # _format_name gave a registered name
    document: Document = reader(data, name)
    return document


def _parse(text: str, name: str, fmt: str) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = named(fmt).read()  # type: ignore[union-attr]  # _format_name gave a registered name
    # Parsing builds many small objects and no reference cycles: pausing the cycle collector halves the
    # time for large files.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return reader(text, name)
    finally:
        if collecting:
            gc.enable()


def _format_name(input_format: str, name: str) -> str:
    known = named(input_format.strip().lstrip("."))
    if known is None:
        shown = " ".join(input_format.split())
        raise InputError(name, f"unknown input format '{shown}' (use {_CHOICES})")
    return known.name


def _size(size: int) -> str:
    """A byte count for people: "512 bytes", "20 MiB", "50.5 MiB"."""
    if size < 1024:
        return f"{size} bytes"
    amount = float(size)
    for unit in ("KiB", "MiB", "GiB"):
        amount /= 1024
        if amount < 1024 or unit == "GiB":
            break
    return f"{amount:.1f}".removesuffix(".0") + f" {unit}"


__all__ = ["FORMATS", "InputError", "decode", "detect_format", "load", "parse_bytes", "parse_text"]

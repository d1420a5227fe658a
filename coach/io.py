"""Writing files safely: never leave a half-written report or draft behind.

`write_atomic` is the one way okrcoach writes a file (reports, `-o`, drafts, backups, the TUI's saves).
Every failure is an InputError that names the file in one line (the CLI prints it and exits 2), and the
file is then as it was:

- An existing file that is read-only (no write bit for anyone, or none for this user) is refused. Root
  could write it anyway; the mode says the user does not want it changed, so root is refused too.
- A symlink is followed: the file it points at is written and the link stays a link.
- A file with several hard links is written in place, so that every name sees the new text. That write
  is not atomic: space is reserved first and the old bytes are put back if it fails; the `.bak` (written
  before) keeps the old text.
- Otherwise the text goes to a temporary file `.NAME.PID.XXXXXXXX.tmp` in the same folder, is synced and
  renamed over the file. The `.bak` is written the same way, so a kill never leaves an empty backup.
- Temporary files go on any exception (KeyboardInterrupt too). One left by a killed run (its process is
  gone) is removed by the next write of the same file.
- A new file gets the mode the umask gives (0666 & ~umask), like any editor's; an existing file keeps
  its mode (and owner, where we may set it). A new `.bak` gets the draft's mode.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from coach.model import InputError

__all__ = ["backup_path", "clean_stale_temps", "write_atomic"]

_ANONYMOUS_STALE_AFTER = 600.0  # seconds: a temp without a process id (older versions) counts as stale


def backup_path(path: str | Path) -> Path:
    """Where `write_atomic(path, ..., backup=True)` keeps the previous content: beside the name given."""
    where = Path(path)
    return where.with_name(where.name + ".bak")


def write_atomic(path: str | Path, text: str | Iterable[bytes], *, backup: bool = False) -> Path | None:
    """Write `text` (UTF-8, line ends as given) to `path`; see the module's docstring for the guarantees.

    `text` may also be UTF-8 pieces (a report written as it is rendered, never held whole): they go one
    after the other into the temporary file. A UnicodeEncodeError while making them is the same InputError
    as for text that cannot be encoded, and the file is left as it was (a `.bak` is already written).

    With `backup`, the previous content (if any) is kept as `<path>.bak` first; returns that path, or None
    when no backup was written."""
    named = Path(path)
    data: bytes | Iterable[bytes]
    if isinstance(text, str):
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise _not_encodable(named, error) from None
    else:
        data = text
    real = Path(os.path.realpath(named))  # follow symlinks: write the file, keep the link
    current = _existing(named, real)
    if current is not None and not stat.S_ISREG(current.st_mode):
        _write_through(named, real, _whole(named, data))  # /dev/stdout, a named pipe: nothing to replace
        return None
    bak = None
    if backup and current is not None:
        bak = backup_path(named)
        try:
            old = real.read_bytes()
        except OSError as error:
            raise InputError(str(named), f"cannot read it to keep a backup: {_reason(error)}") from None
        try:
            _write_file(bak, Path(os.path.realpath(bak)), old, mode=stat.S_IMODE(current.st_mode))
        except InputError as error:
            raise InputError(error.file, f"{error.message}; {named} was not changed") from None
    _write_file(named, real, data, current=current)
    return bak


def _not_encodable(named: Path, error: UnicodeEncodeError) -> InputError:
    return InputError(str(named), f"not written: the text cannot be encoded as UTF-8 ({error.reason})")


def _whole(named: Path, data: bytes | Iterable[bytes]) -> bytes:
    """All of the bytes, for the writes that need them at once (in place, through)."""
    if isinstance(data, bytes):
        return data
    try:
        return b"".join(data)
    except UnicodeEncodeError as error:
        raise _not_encodable(named, error) from None


def clean_stale_temps(path: str | Path) -> int:
    """Remove the temporary files that a killed write of `path` left behind; how many were removed.

    Only temporaries of this file, and only those whose process is gone (or, without a process id,
    older than ten minutes): a write still running in another process keeps its own."""
    where = Path(path)
    pattern = re.compile(rf"\.{re.escape(where.name)}\.(?:(\d+)\.)?[a-z0-9_]{{8}}\.tmp")
    removed = 0
    try:
        entries = list(os.scandir(where.parent if str(where.parent) else "."))
    except OSError:
        return 0
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or not _stale(entry, match.group(1)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed += 1
    return removed


def _stale(entry: os.DirEntry[str], pid: str | None) -> bool:
    try:
        if not entry.is_file(follow_symlinks=False):
            return False
        if pid is None:
            return time.time() - entry.stat(follow_symlinks=False).st_mtime > _ANONYMOUS_STALE_AFTER
    except OSError:
        return False
    if int(pid) == os.getpid():
        return False  # ours: another thread may be writing it
    if os.name != "posix":
        return False  # os.kill(pid, 0) would end that process on Windows: leave the file alone
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError):
        return False
    return False


def _existing(named: Path, real: Path) -> os.stat_result | None:
    """The file's status, None when it does not exist; refuses what cannot or must not be replaced."""
    folder = real.parent
    try:
        current = os.stat(real)
    except FileNotFoundError:
        current = None
    except NotADirectoryError:
        raise InputError(
            str(named), f"cannot write: {_nearest_file(folder)} is a file, not a folder"
        ) from None
    except OSError as error:
        raise InputError(str(named), f"cannot write: {_reason(error)}") from None
    if current is None:
        if not folder.is_dir():
            if folder.exists():
                raise InputError(str(named), f"cannot write: {folder} is a file, not a folder")
            raise InputError(str(named), f"folder {folder} does not exist")
        return None
    if stat.S_ISDIR(current.st_mode):
        raise InputError(str(named), "cannot write: a folder is in the way")
    if stat.S_ISREG(current.st_mode):
        if not current.st_mode & 0o222:
            raise InputError(
                str(named), "is read-only; not written (make it writable, e.g. chmod u+w, to allow it)"
            )
        if not os.access(real, os.W_OK):
            raise InputError(str(named), "no permission to write it; not written")
    return current


def _nearest_file(folder: Path) -> Path:
    """The first part of `folder` that is a file (what stops a path from being a folder)."""
    for part in [*reversed(folder.parents), folder]:
        if part.exists() and not part.is_dir():
            return part
    return folder


def _write_file(
    named: Path,
    real: Path,
    data: bytes | Iterable[bytes],
    *,
    current: os.stat_result | None = None,
    mode: int | None = None,
) -> None:
    """Replace `real` by `data`; `named` is the name the user gave, for messages. `current`: its status
    when already known; `mode`: the mode a new file gets (default: what the umask gives)."""
    if current is None:
        current = _existing(named, real)
    if current is not None and current.st_nlink > 1:
        _write_in_place(named, real, _whole(named, data))
        return
    clean_stale_temps(real)
    folder = real.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise InputError(str(named), f"cannot create a file in {folder}: {_reason(error)}") from None
    try:
        try:
            for piece in (data,) if isinstance(data, bytes) else data:
                view = memoryview(piece)
                while view:
                    view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if current is not None:
            if hasattr(os, "geteuid") and (current.st_uid, current.st_gid) != (os.geteuid(), os.getegid()):
                with contextlib.suppress(OSError):
                    os.chown(tmp, current.st_uid, current.st_gid)
            os.chmod(tmp, stat.S_IMODE(current.st_mode))
        else:
            os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, real)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(error, OSError):
            raise InputError(str(named), f"cannot write: {_reason(error)}") from None
        if isinstance(error, UnicodeEncodeError):
            raise _not_encodable(named, error) from None
        raise
    _sync_folder(folder)


def _write_in_place(named: Path, real: Path, data: bytes) -> None:
    """A file with other hard links: rewrite its content so every name sees it; the old back on failure."""
    try:
        fd = os.open(real, os.O_RDWR)
    except OSError as error:
        raise InputError(str(named), f"cannot write: {_reason(error)}") from None
    old = b""
    try:
        old = _read_all(fd)
        if len(data) > len(old) and hasattr(os, "posix_fallocate"):
            try:
                os.posix_fallocate(fd, 0, len(data))  # a full disk fails here, before any byte changes
            except OSError as error:
                if error.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                    raise
        _overwrite(fd, data)
    except BaseException as error:
        with contextlib.suppress(OSError):
            _overwrite(fd, old)
        if isinstance(error, OSError):
            raise InputError(str(named), f"cannot write: {_reason(error)}") from None
        raise
    finally:
        os.close(fd)


def _read_all(fd: int) -> bytes:
    chunks = []
    os.lseek(fd, 0, os.SEEK_SET)
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _overwrite(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.ftruncate(fd, len(data))
    os.fsync(fd)


def _write_through(named: Path, real: Path, data: bytes) -> None:
    try:
        with open(real, "wb") as handle:
            handle.write(data)
    except OSError as error:
        raise InputError(str(named), f"cannot write: {_reason(error)}") from None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can sync a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # no /proc: read it by setting it (and put it straight back)
    os.umask(mask)
    return mask


def _reason(error: OSError) -> str:
    return error.strerror or str(error)

"""`--changed-since REV`: the drafts changed in git since a revision, and the drafts they align to or from.

The whole organisation is still read (alignment needs everyone); only the changed drafts, and the drafts
holding the elements they name as parents or that name them, are reviewed and reported.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from coach.model import InputError
from coach.org.model import Organisation


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
        )
    except FileNotFoundError:
        raise InputError("git", "--changed-since needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise InputError("git", "git did not answer within 60 seconds") from None


def changed_files(paths: Sequence[str], revision: str) -> set[str]:
    """Absolute paths of the files under `paths` changed since `revision` (committed, staged, in the
    working tree, or new and not ignored)."""
    first = Path(paths[0]).resolve()
    folder = str(first if first.is_dir() else first.parent)
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        raise InputError(folder, "--changed-since needs a git repository, and this folder is not inside one")
    root = top.stdout.strip()
    targets = [str(Path(p).resolve()) for p in paths]
    if revision.startswith("-"):
        raise InputError(revision, "a revision cannot start with '-'")
    diff = _git(["diff", "--name-only", revision, "--", *targets], root)
    if diff.returncode != 0:
        problem = (diff.stderr.strip().splitlines() or ["unknown revision"])[0]
        raise InputError(revision, f"git cannot compare with this revision: {problem}")
    new = _git(["ls-files", "--others", "--exclude-standard", "--full-name", "--", *targets], root)
    names = diff.stdout.splitlines() + (new.stdout.splitlines() if new.returncode == 0 else [])
    return {os.path.normpath(os.path.join(root, name)) for name in names if name.strip()}


def scope_for(org: Organisation, changed: set[str]) -> set[str]:
    """Document paths to review: the changed ones, and those one alignment link away from them."""
    absolute = {doc.path: os.path.normpath(os.path.abspath(doc.path)) for doc in org.documents}
    scope = {path for path, full in absolute.items() if full in changed}
    linked: set[str] = set()
    for item in org.items.values():
        if item.document.path not in scope:
            continue
        for key in (*item.parents, *item.children):
            linked.add(org.items[key].document.path)
    return scope | linked

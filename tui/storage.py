"""Saving a draft and keeping a recovery copy: never lose work.

plan_save(draft, path, fmt) -> SavePlan, then write_plan(draft, plan) -> SaveResult (save_draft does both)
    Only what changed is written: text edits go through `coach.write.edits.apply_edits`, added, deleted and
    moved elements and changed fields through `coach.write.structure.apply_structure`; both keep comments,
    key names, unknown fields, value spellings and layout outside the edited elements. Where that cannot be
    done (a new file, Save as, a shape the writers do not know) the whole draft is written with
    `coach.write.dump`, keeping the previous file as `<path>.bak`: the plan says so (`loses_layout`, `reason`)
    before anything is written, so the app asks first. Both are written atomically (`coach.io.write_atomic`).
    Placeholders are never saved: new key results still showing their prompt are left out.

Recovery: `<draft>.okrcoach-recover.json` beside the draft (new drafts: `<cache>/recover/`) holds the working
state as JSON, written atomically while there are unsaved changes, removed on a clean save or quit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.io import write_atomic
from coach.model import Document, InputError, KeyResult, Objective, Span
from coach.parse import decode, detect_format, parse_text
from coach.write.dump import SerializeError, dump
from coach.write.edits import Edit, apply_edits
from coach.write.recovery import state_dict, state_from_dict
from coach.write.structure import apply_structure
from tui.state import NEW_KEY_RESULT, NEW_OBJECTIVE, Draft

RECOVER_SUFFIX = ".okrcoach-recover.json"
RECOVER_VERSION = 1


@dataclass(slots=True)
class SaveResult:
    path: Path
    whole: bool  # the whole file was rewritten (comments and layout not kept)
    backup: Path | None
    note: str  # what happened, for the user


def fingerprint(path: str | Path) -> str | None:
    """The file's content hash (None when it does not exist): to notice changes made by someone else."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def format_for(path: str | Path, fallback: str = "yaml") -> str:
    return detect_format(str(path)) or fallback


def _pairs(doc: Document) -> list[tuple[Objective | KeyResult, int, int | None]]:
    out: list[tuple[Objective | KeyResult, int, int | None]] = []
    for oi, objective in enumerate(doc.objectives):
        out.append((objective, oi, None))
        out.extend((kr, oi, ki) for ki, kr in enumerate(objective.key_results))
    return out


def _fields(element: Objective | KeyResult) -> tuple[Any, ...]:
    """Everything but the text that a save must carry over."""
    common = (
        element.id,
        element.owner,
        element.team,
        element.level,
        tuple(element.parents),
        tuple(element.initiatives),
        tuple((s.code, s.reason) for s in element.suppressions),
    )
    if isinstance(element, KeyResult):
        return (*common, element.baseline, element.target, element.current, element.unit, element.confidence)
    return (*common, element.description)


def text_edits(on_disk: Document, wanted: Document) -> list[Edit] | None:
    """The text edits that turn `on_disk` into `wanted`, or None when more than texts differ."""
    have, want = _pairs(on_disk), _pairs(wanted)
    if [(oi, ki) for _, oi, ki in have] != [(oi, ki) for _, oi, ki in want]:
        return None
    edits: list[Edit] = []
    for (old, _, _), (new, _, _) in zip(have, want, strict=True):
        if _fields(old) != _fields(new):
            return None
        if old.text != new.text:
            edits.append(Edit(new.id, old.span, old.text, new.text))
    return edits


@dataclass(slots=True)
class SavePlan:
    """What a save will write, worked out before anything is written (so the app can ask first)."""

    path: Path
    fmt: str
    text: str
    whole: bool  # the whole draft is written (a new file, Save as, or edits that cannot be made in place)
    current: str | None  # the file's text now; None when there is none
    reason: str | None = None  # why an existing file is rewritten whole instead of edited
    placeholders: int = 0  # new key results never written, left out of the save

    @property
    def loses_layout(self) -> bool:
        """The save replaces an existing file's comments and layout with a fresh dump."""
        return self.whole and self.current is not None


def plan_save(draft: Draft, path: str | Path, fmt: str, *, whole: bool = False) -> SavePlan:
    """The text a save writes; raises InputError with the reason when the draft cannot be saved.

    `whole`: write the whole draft even when the file could take edits (Save as). Placeholders are never
    written: a new key result still showing its prompt is left out, an objective still showing its prompt
    is refused."""
    target = Path(path)
    doc, left_out = _without_placeholders(draft.doc, str(target))
    for element, _, _ in _pairs(doc):
        if not element.text.strip():
            raise InputError(str(target), f"{element.id} has no text; write it before saving")
    current: str | None = None
    if target.exists():
        try:
            data = target.read_bytes()
        except OSError as error:  # a folder in the way, no permission: one line, nothing written
            raise InputError(str(target), f"cannot read it: {error.strerror or error}") from None
        current = decode(data, str(target)) if data.strip() else None
    reason = None
    if current is not None and not whole and format_for(target, fmt) == fmt:
        text, reason = _edited(current, doc, fmt, str(target))
        if text is not None:
            return SavePlan(target, fmt, text, False, current, None, left_out)
    try:
        text = dump(doc, fmt, draft.stated_ids, str(target))
    except SerializeError as error:
        raise InputError(str(target), f"{error}; not saved (try another format with Save as)") from None
    return SavePlan(target, fmt, text, True, current, reason, left_out)


def write_plan(draft: Draft, plan: SavePlan) -> SaveResult:
    """Write what `plan_save` worked out, and drop the placeholders it left out from the draft too."""
    target = plan.path
    if not plan.whole:
        write_atomic(target, plan.text)
        note, bak = f"saved {target}", None
    else:
        bak = write_atomic(target, plan.text, backup=plan.current is not None)  # refuses a read-only draft
        note = f"saved {target}"
        if plan.current is not None:
            note += ": the whole file was rewritten, so comments and layout were not kept"
            note += f" (previous version in {bak})"
    if plan.placeholders:
        for objective in draft.doc.objectives:
            objective.key_results = [kr for kr in objective.key_results if not is_placeholder(kr)]
        note += f"; {plan.placeholders} empty new key result(s) left out"
    return SaveResult(target, plan.loses_layout, bak, note)


def save_draft(draft: Draft, path: str | Path, fmt: str, *, whole: bool = False) -> SaveResult:
    """Write the draft to `path` in `fmt` (plan_save, then write_plan); raises InputError when it cannot."""
    return write_plan(draft, plan_save(draft, path, fmt, whole=whole))


def is_placeholder(element: Objective | KeyResult) -> bool:
    """A new element still showing the prompt it was created with (or a new key result left empty): never
    saved as content."""
    if isinstance(element, KeyResult) and not element.text.strip() and not element.span.line:
        return True
    return element.text == (NEW_OBJECTIVE if isinstance(element, Objective) else NEW_KEY_RESULT)


def _without_placeholders(doc: Document, name: str) -> tuple[Document, int]:
    for objective in doc.objectives:
        if is_placeholder(objective):
            message = f"{objective.id} still shows the placeholder text: write the objective (or delete it)"
            raise InputError(name, message + " before saving")
    left_out = sum(is_placeholder(kr) for kr in doc.key_results())
    if not left_out:
        return doc, 0
    copy = dataclasses.replace(doc, objectives=[])
    for objective in doc.objectives:
        kept = [kr for kr in objective.key_results if not is_placeholder(kr)]
        copy.objectives.append(dataclasses.replace(objective, key_results=kept))
    return copy, left_out


def _edited(current: str, doc: Document, fmt: str, name: str) -> tuple[str | None, str | None]:
    """The file with just what changed edited (texts, fields, added, deleted or moved elements), or None and
    the reason it cannot be done in place."""
    body = current.removeprefix("\ufeff")
    try:
        on_disk = parse_text(body, name, fmt)
    except InputError as error:
        return None, f"the file on disk cannot be read ({error.message})"
    edits = text_edits(on_disk, doc)
    if edits is not None and not edits:
        return current, None
    if edits is not None:
        try:
            return apply_edits(current, fmt, edits, name), None
        except InputError:
            pass  # e.g. a Markdown text that runs over two lines: try the structural writer
    try:
        return apply_structure(current, fmt, doc, name), None
    except InputError as error:
        return None, error.message


def reload_positions(draft: Draft, path: str | Path, fmt: str) -> None:
    """After a save: take the spans (and the ids the parser gives) from the file as written."""
    saved = parse_text(decode(Path(path).read_bytes(), str(path)), str(path), fmt)
    moved: dict[tuple[type, int, int], Span] = {}  # where each element was read from -> where it is now
    for (written, _, _), (element, _, _) in zip(_pairs(saved), _pairs(draft.doc), strict=False):
        if element.span.line:
            moved[(type(element), element.span.line, element.span.col)] = written.span
        element.span = written.span
        element.id = written.id  # a new element gets the id the parser gives it where it now stands
    draft.doc.path, draft.doc.format = str(path), fmt
    draft.move_spans(moved)  # undo and redo bring elements back where the file now has them


# -- recovery ---------------------------------------------------------------------------------------------


def recovery_path(draft_path: str | None, folder: Path | None = None) -> Path:
    if draft_path:
        where = Path(draft_path)
        return where.with_name(where.name + RECOVER_SUFFIX)
    base = folder or _cache_dir() / "recover"
    return base / f"untitled{RECOVER_SUFFIX}"


def _cache_dir() -> Path:
    if os.environ.get("OKRCOACH_CACHE_DIR"):
        return Path(os.environ["OKRCOACH_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "okrcoach"


def write_recovery(where: Path, draft: Draft, selected: str | None) -> None:
    where.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "version": RECOVER_VERSION,
        "path": draft.path,
        "selected": selected,
        "stated_ids": sorted(draft.stated_ids),
        "document": state_dict(draft.doc),
    }
    write_atomic(where, json.dumps(payload, ensure_ascii=False))


@dataclass(slots=True)
class Recovered:
    doc: Document
    selected: str | None
    stated_ids: set[str]


def read_recovery(where: Path) -> Recovered | None:
    """The saved working state, or None when there is none or it cannot be read."""
    try:
        payload = json.loads(where.read_text(encoding="utf-8"))
        if payload.get("version") != RECOVER_VERSION:
            return None
        doc = state_from_dict(payload["document"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not doc.objectives:
        return None
    return Recovered(doc, payload.get("selected"), set(payload.get("stated_ids") or []))


def recovery_is_newer(where: Path, draft_path: str | None) -> bool:
    """Whether a recovery file exists and was written after the draft (or the draft is gone)."""
    if not where.is_file():
        return False
    if not draft_path or not Path(draft_path).exists():
        return True
    return where.stat().st_mtime >= Path(draft_path).stat().st_mtime


def remove_recovery(where: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        where.unlink()

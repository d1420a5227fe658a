"""The organisation's vocabulary: teams, the objectives and key results they own, and how they align.

Everything here is plain data that coach.org.load builds, coach.org.alignment links, the ORG checks read
and the org renderers print. Elements keep their place in the draft they came from (`Span`), so a finding
about the organisation points at a line like any other finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coach.model import Document, Finding, InputError, KeyResult, Level, Objective, Span

if TYPE_CHECKING:
    from coach.knowledge.embed import Embedder

# Higher in the organisation = smaller rank.
LEVEL_RANK = {Level.COMPANY: 0, Level.DEPARTMENT: 1, Level.TEAM: 2, Level.INDIVIDUAL: 3}
OBJECTIVE, KEY_RESULT = "objective", "key_result"
# Keys under which a file nests the units below it (coach.org.nested).
SUBUNIT_KEYS = frozenset({"teams", "units", "departments", "functions", "groups", "squads", "subteams"})


@dataclass(slots=True)
class Team:
    """A unit of the organisation: one or more draft files (or one part of a shared file)."""

    name: str
    level: Level
    level_inferred: bool = False  # no `level:` in the draft; taken from its place in folders / nesting
    parent: str | None = None  # the unit above: from folders or nesting, else from what it aligns to
    unit: str = ""  # the folder / nesting path it came from ("" is the organisation's root)
    documents: list[Document] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return list(dict.fromkeys(doc.path for doc in self.documents))


@dataclass(slots=True)
class Item:
    """An objective or a key result, placed in the organisation."""

    key: str  # "<path>#<id>": unique in the organisation
    kind: str  # objective | key_result
    element: Objective | KeyResult
    objective: Objective  # the element itself, or the key result's objective
    document: Document
    team: str
    level: Level
    parents: list[str] = field(default_factory=list)  # keys this element names as its parents
    children: list[str] = field(default_factory=list)  # keys of the elements that name this one

    @property
    def id(self) -> str:
        return self.element.id

    @property
    def text(self) -> str:
        return self.element.text

    @property
    def span(self) -> Span:
        return self.element.span

    @property
    def owner(self) -> str | None:
        """Who is accountable: the key result's owner, else its objective's."""
        return self.element.owner or self.objective.owner


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A parent reference that names nothing in the organisation, or more than one thing."""

    item: str
    reference: str
    problem: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The closest element above an objective that is aligned to nothing (offline embedding)."""

    item: str
    parent: str
    similarity: float


@dataclass(slots=True)
class Organisation:
    """Every readable draft of an organisation, its teams and elements, and the alignment between them."""

    root: str  # the folder or file that was read
    documents: list[Document] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    teams: dict[str, Team] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    unresolved: list[Unresolved] = field(default_factory=list)
    suggestions: dict[str, Suggestion] = field(default_factory=dict)
    files: int = 0  # draft files found, readable or not
    element_keys: dict[int, str] = field(default_factory=dict, repr=False)  # id(element) -> key

    def objectives(self) -> list[Item]:
        return [item for item in self.items.values() if item.kind == OBJECTIVE]

    def key_results(self) -> list[Item]:
        return [item for item in self.items.values() if item.kind == KEY_RESULT]

    def key_of(self, element: Objective | KeyResult) -> str:
        return self.element_keys[id(element)]

    def objective_item(self, item: Item) -> Item:
        """The objective an item belongs to (itself for an objective)."""
        if item.kind == OBJECTIVE:
            return item
        return self.items[self.element_keys[id(item.objective)]]


@dataclass(frozen=True, slots=True)
class OrgHit:
    """An organisation check's result: what to say, where, and about which element or team."""

    message: str
    span: Span
    item: str | None = None  # the element's key
    team: str | None = None  # the team it is about (taken from the item when there is one)


@dataclass(slots=True)
class OrgContext:
    """What an organisation check may read besides the organisation."""

    organisation: Organisation
    thresholds: dict[str, float]
    embedder: Embedder | None = None
    memo: dict[str, Any] = field(default_factory=dict)  # results checks share (the cascade copies, ...)

    def threshold(self, name: str) -> float:
        return self.thresholds[name]

    def tokens(self, text: str) -> frozenset[str]:
        """`coach.analysis.similar.tokens`, computed once per text."""
        cache: dict[str, frozenset[str]] = self.memo.setdefault("tokens", {})
        found = cache.get(text)
        if found is None:
            from coach.analysis.similar import tokens

            found = cache[text] = tokens(text)
        return found

    def similarity(self, a: str, b: str) -> float:
        """Word overlap (Jaccard) of two texts, stop words aside."""
        left, right = self.tokens(a), self.tokens(b)
        return len(left & right) / len(left | right) if left and right else 0.0

    def similar(self, a: str, b: str, threshold: float) -> bool:
        """similarity(a, b) >= threshold, without the set work when the sizes already rule it out."""
        left, right = self.tokens(a), self.tokens(b)
        if not left or not right or min(len(left), len(right)) < threshold * max(len(left), len(right)):
            return False
        shared = len(left & right)
        return shared >= threshold * (len(left) + len(right) - shared)


@dataclass(slots=True)
class OrgFinding:
    """A finding placed in the organisation: which team and which element it is about."""

    finding: Finding
    team: str | None  # None: about the whole organisation
    item: str | None  # the element's key, when it is about one


@dataclass(slots=True)
class FileRead:
    """What reading one file gave: documents with the unit each belongs to, units it defines, errors."""

    path: str
    documents: list[tuple[Document, str]] = field(default_factory=list)
    units: dict[str, str | None] = field(default_factory=dict)  # nested files: unit -> unit above
    levels: dict[str, Level] = field(default_factory=dict)  # nested files: a unit's level by its depth
    errors: list[InputError] = field(default_factory=list)

"""The typed contract passed between the pipeline's stages.

read -> ``SourceText`` (a paper's text, with its pages and word boxes)
segment -> ``Passage`` (a heading, numbered paragraph, bullet or table row)
extract + link -> ``Observation`` (one figure, with its ``Provenance``)

Coordinates use pdfplumber's names (``page_number``, ``x0``, ``top``, ``x1``,
``bottom``). Identities are derived from content, so a re-run of the same paper
yields the same ids.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
from dataclasses import asdict, dataclass, field, fields, replace
from functools import cache, cached_property
from typing import Any, NamedTuple, TypeVar

UNITS = (
    "count",
    "percent",
    "seconds",
    "days",
    "GBP",
    "per_million",
    "per_1000",
    "rank",
    "ratio",
    "other",
)
KINDS = ("value", "change", "target")
CHANGE_TYPES = ("percent", "points", "absolute")
BASES = ("total", "average", "share", "rank", "other")
BOUNDS = ("exact", "approximate", "at_least", "at_most")
PASSAGE_KINDS = ("heading", "paragraph", "bullet", "table_row")


def content_id(*parts: Any, length: int = 16) -> str:
    """A short stable id: the sha256 of the parts joined by NUL bytes."""
    joined = "\x00".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


T = TypeVar("T")


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


def evolve(record: T, **changes: Any) -> T:
    """``dataclasses.replace`` for the pipeline's frozen records (no ``__slots__``), made by
    copying the record's fields rather than calling ``__init__`` again: the extraction steps
    make ten new drafts per figure, and ``replace`` was a tenth of their time. Unknown
    fields raise ``TypeError`` as ``replace`` does; ``__post_init__`` checks run; values a
    ``cached_property`` kept are dropped, as they may depend on a changed field."""
    cls: type = type(record)
    names = _field_names(cls)
    unknown = changes.keys() - names
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)[0]!r}")
    new: T = object.__new__(cls)
    state = new.__dict__
    for name, value in record.__dict__.items():
        if name in names:
            state[name] = value
    state.update(changes)
    post = getattr(new, "__post_init__", None)
    if post is not None:
        post()
    return new


@dataclass(frozen=True)
class Document:
    """A paper named by the manifest. ``id`` is the manifest's id."""

    id: str
    path: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    board: str | None = None
    sha256: str | None = None
    pages: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id or not str(self.id).strip():
            raise ValueError("a document needs a non-empty id")
        if self.date is not None:
            dt.date.fromisoformat(str(self.date))  # raises ValueError on a bad date

    @property
    def meeting_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.date) if self.date else None


class WordBox(NamedTuple):
    """Where a run of characters of ``SourceText.text`` sits on a PDF page (a named tuple: a
    paper has one per word, and tuples are the cheapest records to make)."""

    start: int
    end: int
    page_number: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class SourceText:
    """A paper's text as read from its file.

    ``page_starts[i]`` is the offset in ``text`` where page ``i + 1`` begins; it is
    empty for text sources, which have no pages. ``words`` holds the boxes of PDF
    words in text order, so that a character span can be pointed at on its page.
    """

    text: str
    page_starts: list[int] = field(default_factory=list)
    words: list[WordBox] = field(default_factory=list)
    title: str | None = None

    def __post_init__(self) -> None:
        if self.page_starts != sorted(self.page_starts):
            raise ValueError("page_starts must be in ascending order")
        self._word_starts = [w.start for w in self.words]

    @property
    def page_count(self) -> int | None:
        return len(self.page_starts) or None

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding character ``offset``; None for text sources."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def bbox(self, start: int, end: int) -> tuple[float, float, float, float] | None:
        """The union of the boxes of the words overlapping ``[start, end)`` on one page."""
        if not self.words:
            return None
        i = max(0, bisect.bisect_right(self._word_starts, start) - 1)
        boxes: list[WordBox] = []
        while i < len(self.words) and self.words[i].start < end:
            w = self.words[i]
            if w.end > start and (not boxes or w.page_number == boxes[0].page_number):
                boxes.append(w)
            i += 1
        if not boxes:
            return None
        return (
            min(b.x0 for b in boxes),
            min(b.top for b in boxes),
            max(b.x1 for b in boxes),
            max(b.bottom for b in boxes),
        )


@dataclass(frozen=True)
class Passage:
    """A unit of a paper: a heading, numbered paragraph, bullet or table row."""

    document_id: str
    kind: str
    text: str
    start: int
    end: int
    paragraph: str | None = None
    section: str | None = None
    page: int | None = None
    page_end: int | None = None
    cells: tuple[str, ...] | None = None  # table rows: the cells, in order
    header: tuple[str, ...] | None = None  # table rows: the header cells above
    caption: str | None = None  # table rows: the table's caption (the heading right above it)
    row_label: str | None = None  # table rows: the row's label when it stands apart from the row's text

    def __post_init__(self) -> None:
        if self.kind not in PASSAGE_KINDS:
            raise ValueError(f"passage kind {self.kind!r} is not one of {PASSAGE_KINDS}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad passage offsets {self.start}..{self.end}")

    @property
    def id(self) -> str:
        return content_id(self.document_id, self.start, self.end, self.text)


@dataclass(frozen=True)
class Provenance:
    """Where a figure was read: the paper, page, paragraph, passage and exact span."""

    document_id: str
    passage_id: str
    char_start: int
    char_end: int
    quote: str
    page: int | None = None
    paragraph: str | None = None
    section: str | None = None
    x0: float | None = None
    top: float | None = None
    x1: float | None = None
    bottom: float | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.char_start <= self.char_end:
            raise ValueError(f"bad figure offsets {self.char_start}..{self.char_end}")


@dataclass(frozen=True)
class Figure:
    """A figure found in a text: where it is, what it says and its normalised value."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    label: str  # the pattern's label: count, percent, duration, money, ...
    pattern_id: str
    signed: bool = False  # written with an explicit + or - sign
    spelled: bool = False  # written in words ("six", "a quarter")


@dataclass(frozen=True)
class Comparison:
    """What a change is measured against: a baseline value, its period, or a target."""

    value: float | None = None
    unit: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class FigureDraft:
    """One figure on its way to an ``Observation``: each extraction step takes drafts and
    returns new ones (``dataclasses.replace``), so no step changes what another has seen.

    ``figure`` has offsets into ``passage.text``; a prose figure also knows its sentence
    (``sentence_id``, ``sentence_start``, ``quote``). ``phrase`` is what the paper calls the
    measure (for the link step), ``label`` the name the archive shows.
    """

    passage: Passage
    figure: Figure
    quote: str
    sentence_id: int = 0
    sentence_start: int = 0
    kind: str = "value"
    sign: int = 0  # the direction the words give a change or target: -1, +1 or 0
    change_type: str | None = None
    baseline: bool = False  # a value of the comparison period ("compared to 43 in ...")
    period: tuple[str, str] | None = None
    period_text: str | None = None
    comparison: Comparison | None = None
    vs_target: bool = False  # a change measured from a target, which has no baseline value to link
    label: str = ""
    phrase: str = ""  # what the paper calls the measure, for the linker
    own_phrase: str = ""  # the figure's own words, before any topic stands in
    own_label: str | None = None  # prose: the label without topics carried from before; None for tables
    noun: str = ""  # the noun the figure counts ("175 episodes" -> "episodes")
    sentence_topic: str = ""
    grade: str = ""  # a board's grade of the thing measured ("2" of "P2") carried from before
    measure_id: str | None = None
    measure_score: float | None = None
    basis: str = "total"
    area: str | None = None
    breakdown: str | None = None
    bound: str = "exact"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {KINDS}")
        if self.basis not in BASES:
            raise ValueError(f"basis {self.basis!r} is not one of {BASES}")
        if self.bound not in BOUNDS:
            raise ValueError(f"bound {self.bound!r} is not one of {BOUNDS}")

    @cached_property
    def local(self) -> Figure:
        """The figure with offsets into its sentence (``quote``); made once per draft, as
        steps ask for every sibling's on each figure of a sentence."""
        s = self.sentence_start
        return replace(self.figure, start=self.figure.start - s, end=self.figure.end - s)


@dataclass(frozen=True)
class Observation:
    """One figure stated by a paper, normalised as the README's "The data model" says."""

    measure: str
    value: float
    unit: str
    kind: str
    figure: str
    provenance: Provenance
    measure_id: str | None = None
    measure_score: float | None = None
    period_start: str | None = None
    period_end: str | None = None
    period_text: str | None = None
    change_type: str | None = None  # percent | points | absolute, for changes
    comparison_value: float | None = None
    comparison_unit: str | None = None
    comparison_period_start: str | None = None
    comparison_period_end: str | None = None
    comparison_text: str | None = None
    geo: str | None = None
    approximate: bool = False
    basis: str = "total"  # total | average | share | rank | other (README, "The data model")
    area: str | None = None  # NULL for the board's own force area
    breakdown: str | None = None  # the part of the measure, when the figure counts one part
    bound: str = "exact"  # exact | approximate | at_least | at_most

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise ValueError(f"basis {self.basis!r} is not one of {BASES}")
        if self.bound not in BOUNDS:
            raise ValueError(f"bound {self.bound!r} is not one of {BOUNDS}")
        if self.unit not in UNITS:
            raise ValueError(f"unit {self.unit!r} is not one of {UNITS}")
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {KINDS}")
        if not math.isfinite(self.value):
            raise ValueError(f"value {self.value!r} is not a finite number")
        if self.change_type is not None and self.change_type not in CHANGE_TYPES:
            raise ValueError(f"change_type {self.change_type!r} is not one of {CHANGE_TYPES}")
        for name in ("period_start", "period_end", "comparison_period_start", "comparison_period_end"):
            v = getattr(self, name)
            if v is not None:
                dt.date.fromisoformat(v)

    @property
    def id(self) -> str:
        p = self.provenance
        return content_id(p.document_id, p.page, p.char_start, p.char_end, self.unit, self.kind)

    def to_row(self) -> dict[str, Any]:
        """The row for the ``observations`` table (and ``extract``'s output)."""
        p = self.provenance
        row = {
            "id": self.id,
            "document_id": p.document_id,
            "passage_id": p.passage_id,
            "page": p.page,
            "paragraph": p.paragraph,
            "section": p.section,
            "measure_id": self.measure_id,
            "measure": self.measure,
            "measure_score": self.measure_score,
            "value": self.value,
            "unit": self.unit,
            "kind": self.kind,
            "change_type": self.change_type,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "period_text": self.period_text,
            "comparison_value": self.comparison_value,
            "comparison_unit": self.comparison_unit,
            "comparison_period_start": self.comparison_period_start,
            "comparison_period_end": self.comparison_period_end,
            "comparison_text": self.comparison_text,
            "geo": self.geo,
            "approximate": int(self.approximate),
            "basis": self.basis,
            "area": self.area,
            "breakdown": self.breakdown,
            "bound": self.bound,
            "figure": self.figure,
            "quote": p.quote,
            "char_start": p.char_start,
            "char_end": p.char_end,
            "x0": p.x0,
            "top": p.top,
            "x1": p.x1,
            "bottom": p.bottom,
        }
        return row


OBSERVATION_COLUMNS = tuple(
    Observation(
        measure="m",
        value=0.0,
        unit="count",
        kind="value",
        figure="0",
        provenance=Provenance("d", "p", 0, 0, "q"),
    ).to_row()
)


def as_dict(obj: Any) -> dict[str, Any]:
    return asdict(obj)

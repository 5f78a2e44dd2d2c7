"""Step 7, semantics: what a figure is, beyond its measure (the README's "What each figure is").

Each linked draft gets its ``bound`` (the words right before it: "nearly 840" approximate,
"over 2,000" at_least, "less than five" at_most), its ``basis`` (an average per day, week
or month; a share of a count measure; a rank), its ``area`` (part of the force area,
another force, England and Wales, a comparison group, named in the figure's own clause)
and its ``breakdown`` (one part of a whole: "Of these, 148 ...", "including 22 handguns",
"233 of the offences", a weapon type, the crime a detection or arrest is of).

It also corrects two links only these words can: a response ("96 people were charged with
knife crime offences") is a measure of its own, never the crime; and a table's "Recorded"
column counts the crime a "Detect Robbery" row is about. A part whose own words link to
no measure takes the measure of the whole it is part of.

The words are in ``patterns/semantics.yml`` (with a board's overlay); nothing here names a
place, a force or a weapon.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ...models import FigureDraft, evolve
from ..vocabulary import Cues, Vocabulary
from .link import MeasureLink

AREA_LISTS = ("other_force", "national", "comparison_group", "force_part")
BOUNDS = ("approximate", "at_least", "at_most")
AVERAGE_UNITS = ("count", "GBP", "other")
NOT_COUNTS = ("seconds", "days", "GBP", "other")  # a time, money or "0.2 km2" is never a count
SHARE_UNITS = ("percent", "ratio")
FRACTION = re.compile(r"\bin\b|\bhalf\b|\bquarter\b|\bthird\b|[½¼¾⅓⅔]", re.IGNORECASE)  # "one in four"
OF_WHOLE = re.compile(r"^\s*of\s+((?:all\s+)?(?:the\s+)?)", re.IGNORECASE)
REFERS_BACK = re.compile(r"^\s*of\s+(?:them|these|those|which)\b", re.IGNORECASE)
CLAUSE_END = re.compile(r"[;:()]|,\s|\s(?:and|while|whereas|but|with|compared)\s", re.IGNORECASE)
NEAR_WORDS = 4  # a response word this close to a figure is about it
SHARE_WINDOW = 40  # characters before a percentage where "proportion" or "makes up" makes it a share
PART_CONTENT_WORDS = 2  # "drink and drug driving": enough words to name a part; "made" is not
PART_WORDS = 4  # the words after a figure that name what it counts
PER_PERIOD_WORDS = 8  # "2000 incidents recorded a month": the per-period phrase within these words


@dataclass(frozen=True)
class Clause:
    """The words of a figure's sentence around it, up to the figures on either side:
    ``before`` and ``after``, and ``near_before``/``near_after`` cut at the clause's edges."""

    before: str
    after: str
    near_before: str
    near_after: str


def clause_of(d: FigureDraft, siblings: Sequence[FigureDraft]) -> Clause:
    """``d``'s clause: its sentence (``quote``) between the figures of the same sentence."""
    local = d.local
    starts = [s.local.start for s in siblings if s.sentence_id == d.sentence_id and s.local.start > local.start]
    ends = [s.local.end for s in siblings if s.sentence_id == d.sentence_id and s.local.end <= local.start]
    before = d.quote[max(ends, default=0) : max(0, local.start)]
    after = d.quote[local.end : min(starts, default=len(d.quote))]
    edges = list(CLAUSE_END.finditer(before))
    near_before = before[edges[-1].end() :] if edges else before
    cut = CLAUSE_END.search(after)
    near_after = after[: cut.start()] if cut else after
    return Clause(before, after, near_before, near_after)


def _area_patterns(cues: Cues) -> tuple[re.Pattern[str], ...]:
    """The area lists, each one case-sensitive regex (place names are capitalised)."""
    return _compiled(tuple(tuple(cues.lists.get(name, ())) for name in AREA_LISTS))


@cache
def _compiled(lists: tuple[tuple[str, ...], ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x") for patterns in lists)


def read_bound(before: str, words: Cues) -> str:
    """The bound the words right before a figure give it: the longest qualifier wins."""
    best, size = "exact", 0
    for name in BOUNDS:
        m = words.cue(name, anchored="end").search(before)
        if m and len(m.group(0).strip()) > size:
            best, size = name, len(m.group(0).strip())
    return best


def _strip_bound(before: str, words: Cues) -> str:
    for name in BOUNDS:
        before = words.cue(name, anchored="end").sub("", before)
    return before


def read_basis(d: FigureDraft, c: Clause, words: Cues, measure_unit: str | None, of_whole: bool = False) -> str:
    """rank for a position; average for a count per day, week or month; share for a
    percentage (or "one in four") of a count measure; ``of_whole`` says the words after
    the figure name the whole it is a percentage of ("30% of VWI")."""
    unit = d.figure.unit
    if unit == "rank":
        return "rank"
    if d.kind != "target" and unit in AVERAGE_UNITS and _per_period(d, c, words):
        return "average"  # "averaging 30 a month"; "+1000 growth every month"
    if d.kind != "value":
        return "total"
    if unit == "percent" and words.cue("of_target", anchored="start").search(c.near_after):
        return "other"
    if unit in SHARE_UNITS and (of_whole or _is_share(d, c, words, measure_unit)):
        return "share"
    return "total"


def _per_period(d: FigureDraft, c: Clause, words: Cues) -> bool:
    """ "averaging 30", "an average of 1,841", or "220 a month" / "615 chats per day"."""
    lead = c.near_before if c.near_before.strip() else c.before.rstrip(" (")  # "monthly average (22.5)"
    if words.cue("averaging", anchored="end").search(_strip_bound(lead, words)):
        return True
    rest = d.quote[d.local.end :]  # past any figure inside it ("in a 24 hour period")
    cut = CLAUSE_END.search(rest)
    window = " ".join((rest[: cut.start()] if cut else rest).split()[:PER_PERIOD_WORDS])
    return bool(words.cue("per_period").search(f"{d.figure.text} {window}"))


def _is_share(d: FigureDraft, c: Clause, words: Cues, measure_unit: str | None) -> bool:
    """A percentage or "one in four" said to be of a whole ("19% of all homicides", "makes up
    12%", "one in four of them"), unless its measure is itself a percentage."""
    if measure_unit is not None and measure_unit in SHARE_UNITS:
        return False  # a percentage of a percent measure is its level
    return bool(share_cue(c, words) or (d.figure.unit == "ratio" and FRACTION.search(d.figure.text)))


def share_cue(c: Clause, words: Cues) -> bool:
    """ "of all ...", "makes up", "the proportion of victims (30%)", or a percentage in
    brackets after the words it is a share of ("domestic-related offending (23%)")."""
    bracketed = c.before.rstrip().endswith("(") and c.after.lstrip().startswith(")")
    return bool(
        bracketed
        or words.cue("share_after", anchored="start").search(c.near_after)
        or words.cue("share_before").search(c.before[-SHARE_WINDOW:])
    )


def read_area(d: FigureDraft, c: Clause, words: Cues) -> str | None:
    """The area the figure's own words name (up to the figure before it, and the rest of
    its clause after it), or a table row's label that is an area, when it is not the
    board's own. A rank among a comparison group ranks the board's own area."""
    patterns = _area_patterns(words)
    if d.figure.unit == "rank":
        patterns = tuple(p for name, p in zip(AREA_LISTS, patterns, strict=True) if name != "comparison_group")
    if d.own_label is None:
        row = (d.phrase or "").strip()
        return row if row and any(p.fullmatch(row) for p in patterns) else None
    for pattern in patterns:
        for text in (c.before, c.near_after):
            m = pattern.search(text)
            if m:
                return re.sub(r"\s+", " ", m.group(0)).strip()
    return None


def read_part(d: FigureDraft, c: Clause, words: Cues, after_part: bool) -> str | None:
    """The part of a whole a figure counts: a sub-type it counts ("5 shotguns", "handguns
    (21)"), or a part its sentence marks ("Of these, 148 ...", "including 22 ...", "233 of
    the offences"); ``after_part`` says the figure before it in the sentence was a part and
    only a list joins them."""
    sub = words.cue("sub_types")
    noun = " ".join(c.near_after.split()[:PART_WORDS])
    bracketed = c.before[-30:] if c.before.rstrip().endswith("(") else ""
    found = sub.search(noun) or sub.search(bracketed)
    if found:
        return found.group(0).strip()
    if d.figure.unit not in ("count", "GBP"):
        return None
    listed = after_part and re.fullmatch(r"[\s\w-]*(?:,|\band\b)\s*", c.before)
    marked = words.cue("part_before").search(c.before) or words.cue("part_after", anchored="start").search(c.near_after)
    if not (marked or listed):
        return None
    named = sub.search(c.before)
    return named.group(0).strip() if named else (noun or None)


def read_semantics(drafts: list[FigureDraft], linker: MeasureLink, vocab: Vocabulary) -> list[FigureDraft]:
    """Each draft of a passage with its bound, basis, area and breakdown; a response, a
    share or a part linked as only these words allow."""
    out: list[FigureDraft] = []
    for d in drafts:
        out.append(_read_one(d, clause_of(d, drafts), out, linker, vocab.semantics))
    return out


def _read_one(d: FigureDraft, c: Clause, before: list[FigureDraft], linker: MeasureLink, words: Cues) -> FigureDraft:
    d = _as_its_value(_not_a_duration(relink(d, c, linker, words), linker), before, linker)
    d = _its_subject(d, c, linker)
    d = _paragraph_over_heading(d, linker)
    measures = linker.measures
    known = measures.get(d.measure_id or "")
    unit = known.unit if known is not None else None
    whole = named_whole(d, c, linker) if d.figure.unit in SHARE_UNITS and d.kind == "value" else None
    basis = read_basis(d, c, words, unit, of_whole=whole is not None)
    d = _share_link(evolve(d, measure_id=whole) if whole else d, c, basis, unit, before, linker)
    area = _not_the_measures_own(read_area(d, c, words), d, linker)
    after_part = bool(before and before[-1].sentence_id == d.sentence_id and before[-1].breakdown)
    part = None if basis == "share" or area else read_part(d, c, words, after_part)
    if (part or area) and d.figure.unit in ("count", "GBP"):
        whole = _whole(d, before, linker)
        if d.measure_id is None:
            d = evolve(d, measure_id=whole)
        elif part and whole and d.measure_id != whole and not SUB_TYPE_ONLY(part, words):
            part = None  # "Among these, 2,164 were drug trafficking": a measure of its own, not a part
    return evolve(
        d,
        measure_score=d.measure_score if d.measure_id else None,
        bound=read_bound(c.near_before, words),
        basis=basis,
        area=area,
        breakdown=part or (None if area else _response_part(d, linker)),
    )


def _as_its_value(d: FigureDraft, before: list[FigureDraft], linker: MeasureLink) -> FigureDraft:
    """A change right after the value it is a change of ("7,633 Robberies, a 1.1% reduction")
    is of that value's measure when its own words name only the broader one."""
    same = [b for b in before if b.sentence_id == d.sentence_id]
    if d.kind != "change" or not same or same[-1].kind != "value" or not same[-1].measure_id:
        return d
    child = same[-1].measure_id
    measures = linker.measures
    up = getattr(measures.get(child), "parent", None)
    while up is not None and up != d.measure_id:
        up = getattr(measures.get(up), "parent", None)
    return evolve(d, measure_id=child) if up is not None else d


def _its_subject(d: FigureDraft, c: Clause, linker: MeasureLink) -> FigureDraft:
    """A change with no measure whose own clause names exactly one ("Total Recorded Crime
    rose by 7.3%"): that one."""
    if d.measure_id is not None or d.kind != "change" or d.own_label is None:
        return d
    named = {m.measure_id for m in linker.mentions(c.near_before)}
    return evolve(d, measure_id=named.pop()) if len(named) == 1 else d


def SUB_TYPE_ONLY(part: str, words: Cues) -> bool:  # noqa: N802
    return bool(words.cue("sub_types").fullmatch(part))


def _not_the_measures_own(area: str | None, d: FigureDraft, linker: MeasureLink) -> str | None:
    """An area the measure itself is about ("WMNow subscribers living in Impact Areas") is
    not another area."""
    measures = linker.measures
    if area is None or d.measure_id is None or d.measure_id not in measures:
        return area
    from ...link.measures import content_words

    m = measures[d.measure_id]
    own = frozenset().union(*(content_words(p) for p in getattr(m, "phrases", ())))
    return None if content_words(area) <= own else area


def _paragraph_over_heading(d: FigureDraft, linker: MeasureLink) -> FigureDraft:
    """A measure only the heading gave ("Reduce Serious Violence") gives way to the one the
    paragraph names before the figure ("hospital admissions for U25s ... a reduction of 85
    episodes"): a word in the heading alone is not enough when the paper's own words name
    something else."""
    section = d.passage.section or ""
    if d.measure_id is None or d.own_label is None or not section:
        return d
    if linker.link(section, unit=d.figure.unit, kind=d.kind)[0] != d.measure_id:
        return d  # not the heading's measure
    from ...link.measures import unit_fits

    text = d.passage.text
    named = [m for m in linker.mentions(text) if m.end <= d.figure.start]
    if not named or any(m.measure_id == d.measure_id for m in linker.mentions(f"{text} . {d.phrase}")):
        return d
    measures = linker.measures
    any_unit = d.kind == "change" and d.figure.unit == "percent"
    fits = [
        m
        for m in named
        if m.measure_id in measures and (any_unit or unit_fits(d.figure.unit, measures[m.measure_id].unit))
    ]
    return evolve(d, measure_id=fits[-1].measure_id) if fits else d


def _not_a_duration(d: FigureDraft, linker: MeasureLink) -> FigureDraft:
    """A length of time ("lasts for 3 days"), a sum of money ("an extra £166,000") or another
    quantity ("0.2 km2") is never a level of a count measure."""
    measures = linker.measures
    known = measures.get(d.measure_id or "")
    if d.kind == "value" and known is not None and d.figure.unit in NOT_COUNTS and known.unit == "count":
        return evolve(d, measure_id=None)
    return d


def named_whole(d: FigureDraft, c: Clause, linker: MeasureLink) -> str | None:
    """The count measure a percentage is "of", named right after it ("1.8% of TRC", "8% of
    all crime", "30% of VWI"); None when the words after it name no measure, or a measure
    that is itself a percentage ("57% of P1 incidents attended in time" is its own rate)."""
    lead = OF_WHOLE.match(c.near_after)
    if not lead:
        return None
    found: list[Any] = []
    for start in (lead.start(1), lead.end()):  # "of all crime" names all crime; "of all homicide", homicide
        found = found or [m for m in linker.mentions(c.near_after[start:]) if m.start == 0]
    measures = linker.measures
    if not found or found[0].measure_id not in measures or measures[found[0].measure_id].unit in SHARE_UNITS:
        return None
    own = measures.get(d.measure_id or "")
    if own is not None and own.unit in SHARE_UNITS and _named(d, linker):
        return None  # "57% of P1 incidents were attended within 15 minutes": a rate its words name
    return str(found[0].measure_id)


def _named(d: FigureDraft, linker: MeasureLink) -> bool:
    """Whether the figure's words name its measure, not just fit its unit."""
    return any(m.measure_id == d.measure_id for m in linker.mentions(f"{d.phrase} . {d.quote}"))


def _share_link(
    d: FigureDraft, c: Clause, basis: str, unit: str | None, before: list[FigureDraft], linker: MeasureLink
) -> FigureDraft:
    """A share keeps the count measure it is a share of; a percentage linked to a count
    measure that no word makes a share is not that count, and is unlinked. A share of
    "them" takes the measure of the whole named before."""
    if d.kind != "value" or d.figure.unit not in SHARE_UNITS:
        return d
    if basis != "share":  # a level, or a percentage of a target ("47.8% of the requirement")
        return evolve(d, measure_id=None) if unit is not None and unit not in SHARE_UNITS else d
    bracketed = c.before.rstrip().endswith("(")
    if bracketed:
        whole = _bracketed_whole(d, c, before)
        if whole:
            return evolve(d, measure_id=whole)
    if d.measure_id is None and (REFERS_BACK.search(c.near_after[:20]) or bracketed):
        return evolve(d, measure_id=_whole(d, before, linker, "count"))
    return d


def _bracketed_whole(d: FigureDraft, c: Clause, before: list[FigureDraft]) -> str | None:
    """The whole of a percentage in brackets: after a count ("2,172 crimes, of which 63
    (4%)") the whole that count is of; in a list of bracketed shares ("homicides (42%) ...
    and domestic abuse (18%)") the measure of the first."""
    same = [b for b in before if b.sentence_id == d.sentence_id]
    if same and not c.before.strip(" (") and same[-1].figure.unit != d.figure.unit:
        wholes = [b for b in same[:-1] if b.measure_id and b.figure.unit == same[-1].figure.unit]
        part_of = wholes[-1] if wholes and same[-1].breakdown else same[-1]
        return part_of.measure_id
    listed = [b for b in same if b.basis == "share" and b.measure_id and _in_brackets(b)]
    return listed[-1].measure_id if listed else None


def _in_brackets(d: FigureDraft) -> bool:
    text = d.passage.text
    return text[: d.figure.start].rstrip().endswith("(") and text[d.figure.end :].lstrip().startswith(")")


def _whole(d: FigureDraft, before: list[FigureDraft], linker: MeasureLink, unit: str | None = None) -> str | None:
    """The measure of the whole a part (or a share) belongs to: the last earlier count of
    the passage (in ``unit``, the figure's own by default) that is a whole, else the section
    heading's measure."""
    unit = unit or d.figure.unit
    for b in reversed(before):
        if b.measure_id and b.figure.unit == unit and not (b.breakdown or b.area) and b.basis == "total":
            return b.measure_id
    section = d.passage.section or ""
    return linker.link(section, unit=unit, kind="value")[0] if section else None


def _response_part(d: FigureDraft, linker: MeasureLink) -> str | None:
    """What a bare response measure's figure is of: the catalogue phrase its own words name
    ("arrests for vehicle crime", "Detected" in a row of burglary), else its other words when
    they say something ("drink and drug driving arrests"); None for plain "89 arrests"."""
    if d.measure_id is None or d.measure_id not in getattr(linker, "generic_responses", frozenset()):
        return None
    from ...link.measures import content_words

    responses = _responses(linker)
    said = set(_response_words(linker, d.phrase or d.label).split())
    rest = " ".join(w for w in (d.phrase or d.label).split() if w not in said)
    for m in linker.mentions(rest):
        if m.measure_id not in responses:
            return m.text
    rest = re.sub(r"^\W*(?:(?:for|of|the|by|on)\s+)*|\W+$", "", rest)
    return rest if len(content_words(rest)) >= PART_CONTENT_WORDS else None


def _responses(linker: MeasureLink) -> frozenset[str]:
    return frozenset(getattr(linker, "response_ids", frozenset()))


def _response_words(linker: MeasureLink, text: str) -> str:
    words = getattr(linker, "response_words", None)
    return str(words(text)) if words else ""


def relink(d: FigureDraft, c: Clause, linker: MeasureLink, words: Cues) -> FigureDraft:
    """A response word next to a figure makes it a response; a table's event column makes
    a "Detect X" row's cell the crime X."""
    if d.own_label is None:
        return _relink_cell(d, linker, words)
    near = " ".join(c.near_before.split()[-NEAR_WORDS:] + c.near_after.split()[:NEAR_WORDS])
    responses = _responses(linker)
    if d.measure_id in responses or not near:
        return d
    said = _response_words(linker, near)
    if not said:
        return d
    measure_id, _ = linker.link(f"{said} {d.phrase}", unit=d.figure.unit, kind=d.kind)
    return evolve(d, measure_id=measure_id if measure_id in responses else None)


def _relink_cell(d: FigureDraft, linker: MeasureLink, words: Cues) -> FigureDraft:
    column = _column(d)
    if not column:
        return d
    responses = _responses(linker)
    if d.measure_id in responses and words.cue("event_columns").search(column):
        row = " ".join(w for w in (d.phrase or d.label).split() if not _response_words(linker, w))
        measure_id, _ = linker.link(row, d.passage.section, unit=d.figure.unit, kind=d.kind)
        return evolve(d, measure_id=measure_id if measure_id not in responses else None)
    if d.measure_id not in responses and d.figure.unit == "count" and words.cue("response_columns").search(column):
        measure_id, _ = linker.link(f"{column} {d.phrase}", unit=d.figure.unit, kind=d.kind)
        return evolve(d, measure_id=measure_id if measure_id in responses else None)
    return d


def _column(d: FigureDraft) -> str:
    """The header of the table column a cell's figure sits in."""
    p = d.passage
    if not p.cells or not p.header:
        return ""
    cursor = 0
    for i, cell in enumerate(p.cells):
        at = p.text.find(cell, cursor) if cell else -1
        if at < 0:
            continue
        cursor = at + len(cell)
        if at <= d.figure.start < cursor:
            return p.header[i] if i < len(p.header) else ""
    return ""

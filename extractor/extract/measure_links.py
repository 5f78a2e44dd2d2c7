"""Choose the catalogue measure an extracted figure is of.

The linker (``link.measures``) scores a phrase against the catalogue; here is the order in
which a figure's words are tried (its own phrase, a measure named before it that its vague
noun refers back to, the topics of its sentence and paragraph, the heading), and two
corrections the phrase cannot see: a share is not a count, and a graded measure
(``p1_sla``) takes the priority grade the passage names.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .labels import is_generic

if TYPE_CHECKING:
    from .observe import Draft

# "these cases", "such offences": words that make a noun refer back to one named before
ANAPHOR = re.compile(r"\b(?:these|those|this|such)\b", re.IGNORECASE)

# the priority grade a text names ("P2") and the one a graded measure id carries ("p2_sla")
PRIORITY_GRADE = re.compile(r"\bP([1-4])\b")
GRADED_ID = re.compile(r"^p([1-4])_")


def _linker() -> Any:
    try:
        from ..link.measures import get_linker

        return get_linker()
    except (ImportError, OSError, ValueError):
        return None


def _refine_link(measure_id: str | None, d: Draft, linker: Any) -> str | None:
    """Two corrections to the linker's choice that its phrase cannot see.

    A share ("42% of homicides", "19% of all Homicide was domestic-related") is not the
    count the catalogue measures: a percent level linked to a count measure is unlinked.
    A graded measure (``p1_sla``) takes the priority grade the passage itself names before
    the figure ("For P2 Priority Response incidents ... the SLA has improved by 10%"),
    not the one a heading such as "P1-P3 Incident Demand" puts first.
    """
    measures = getattr(linker, "measures", None)
    if not measure_id or not isinstance(measures, dict) or measure_id not in measures:
        return measure_id
    if d.kind == "value" and d.figure.unit == "percent" and measures[measure_id].unit == "count":
        return None
    graded = GRADED_ID.match(measure_id)
    if graded:
        grades = PRIORITY_GRADE.findall(d.passage.text[: d.figure.start]) or [d.grade] * bool(d.grade)
        if grades and grades[-1] != graded.group(1):
            other = f"p{grades[-1]}_{measure_id[3:]}"
            if other in measures:
                return other
    return measure_id


def _vague(noun: str) -> bool:
    """ "175 episodes", "a reduction of 15", "these cases": a counted noun that names no measure."""
    return not noun or is_generic(noun) or bool(ANAPHOR.search(noun))


def _named_before(d: Draft, linker: Any) -> Any:
    """The measure the text names word for word before a figure whose noun refers back to it:
    the nearest earlier in its sentence, else (when the sentence names no subject of its own)
    earlier in its paragraph ("levels of hospital admissions for under 25s with sharp object
    wounding have reduced ... The last 12 months saw 175 episodes"). A figure with a noun of its
    own ("190 admissions") refers back only to a phrase holding that noun ("U25 admissions for
    sharps"). The measure must fit the figure's unit (a percent change fits any)."""
    mentions = getattr(linker, "mentions", None)
    measures = getattr(linker, "measures", None)
    if mentions is None or not isinstance(measures, dict):
        return None
    from ..link.measures import content_words, unit_fits

    words = d.noun.split()
    head = content_words(words[-1]) if words else frozenset()
    vague = _vague(d.noun)
    any_unit = d.kind == "change" and d.figure.unit == "percent"
    found = [
        m
        for m in mentions(d.passage.text)
        if m.end <= d.figure.start
        and m.measure_id in measures
        and (any_unit or unit_fits(d.figure.unit, measures[m.measure_id].unit))
        and (vague or bool(head and head <= content_words(m.text)))
    ]
    in_sentence = [m for m in found if m.start >= d.sentence_start]
    if in_sentence:
        return in_sentence[-1]
    if vague and found and not d.sentence_topic:
        return found[-1]
    return None


def _link(d: Draft, linker: Any) -> tuple[str | None, float | None]:
    """The measure a figure is of: its own words first, then a measure its vague noun refers
    back to, then the topics of its sentence and paragraph, and the heading last.

    A figure that counts a thing of its own ("2000 perilous weapons", "57 hotspots") and whose
    words link to no measure takes none from the heading ("Reduce Serious Violence"): the
    weapons are not the section's measure.
    """
    p, f = d.passage, d.figure
    section, context = p.section, f"{d.label} {d.quote}"
    if d.own_label is None:  # a table cell: its row label, then the label with the table's topic
        measure_id, score = linker.link(d.phrase or d.label, section, context, unit=f.unit, kind=d.kind)
        if measure_id is None and d.phrase and d.phrase != d.label:
            measure_id, score = linker.link(d.label, section, d.quote, unit=f.unit, kind=d.kind)
        return measure_id, score
    measure_id, score = None, None
    if d.own_phrase:
        measure_id, score = linker.link(d.phrase, section, context, unit=f.unit, kind=d.kind)
        if measure_id is not None:
            return measure_id, score
    named = _named_before(d, linker)
    if not d.own_phrase and d.phrase:
        measure_id, score = linker.link(d.phrase, section, context, unit=f.unit, kind=d.kind)
    label = d.label if _vague(d.noun) else d.own_label
    if measure_id is None and label and d.phrase != label:
        measure_id, score = linker.link(label, section, d.quote, unit=f.unit, kind=d.kind)
    if named is not None and not (measure_id or "").startswith(f"{named.measure_id}_"):
        # the measure named before, unless the label's link is a variant of it
        # ("P1 median response time" for Domestic Abuse: ``p1_median_response_time_domestic_abuse``)
        return named.measure_id, 100.0
    return measure_id, score

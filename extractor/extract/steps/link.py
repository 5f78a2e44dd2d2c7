"""Step 6, link: the catalogue measure a figure is of, and the baseline a change is measured against.

The link stage (``extractor.link``) is reached through the ``MeasureLink`` protocol, which
its ``MeasureLinker`` satisfies. A figure's words are tried in order: its own phrase, a
measure named before it that its vague noun refers back to, the topics of its sentence and
paragraph, the heading. Two corrections follow that the phrase cannot see: a share is not a
count, and a graded measure takes the grade the passage names (the board's grade words,
such as West Midlands' "P1" to "P4", come from its pattern overlay).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol

from ...link.measures import content_words, unit_fits
from ...models import Comparison, FigureDraft, evolve
from ..labels import is_generic
from ..vocabulary import Vocabulary

# "these cases", "such offences": words that make a noun refer back to one named before
ANAPHOR = re.compile(r"\b(?:these|those|this|such)\b", re.IGNORECASE)


class CatalogueMeasure(Protocol):
    @property
    def unit(self) -> str: ...


class MeasureMention(Protocol):
    @property
    def measure_id(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...


class MeasureLink(Protocol):
    """What extraction needs of the link stage."""

    @property
    def measures(self) -> Mapping[str, CatalogueMeasure]: ...

    def link(
        self,
        phrase: str,
        section: str | None = None,
        context: str | None = None,
        unit: str | None = None,
        kind: str | None = None,
    ) -> tuple[str | None, float]: ...

    def mentions(self, text: str) -> Sequence[MeasureMention]: ...


def _grades(d: FigureDraft, vocab: Vocabulary) -> list[str]:
    """The grades the passage names before the figure, else the one carried to it."""
    return vocab.grade.findall(d.passage.text[: d.figure.start]) or ([d.grade] if d.grade else [])


def refine(measure_id: str | None, d: FigureDraft, linker: MeasureLink, vocab: Vocabulary) -> str | None:
    """A graded measure (``p1_sla``) takes the grade the
    passage itself names before the figure, not the one a heading puts first."""
    measures = linker.measures
    if not measure_id or measure_id not in measures:
        return measure_id
    graded = vocab.graded_id.match(measure_id)
    if graded:
        grades = _grades(d, vocab)
        if grades and grades[-1] != graded.group(1):
            other = vocab.graded_id.sub(vocab.graded_id_template.format(grade=grades[-1]), measure_id, count=1)
            if other in measures:
                return other
    return measure_id


def vague(noun: str) -> bool:
    """ "175 episodes", "a reduction of 15", "these cases": a counted noun that names no measure."""
    return not noun or is_generic(noun) or bool(ANAPHOR.search(noun))


def named_before(d: FigureDraft, linker: MeasureLink) -> MeasureMention | None:
    """The measure the text names word for word before a figure whose noun refers back to it:
    the nearest earlier in its sentence, else (when the sentence names no subject of its own)
    earlier in its paragraph. A figure with a noun of its own ("190 admissions") refers back
    only to a phrase holding that noun. The measure must fit the figure's unit (a percent
    change fits any)."""
    measures = linker.measures
    words = d.noun.split()
    head = content_words(words[-1]) if words else frozenset()
    is_vague = vague(d.noun)
    any_unit = d.kind == "change" and d.figure.unit == "percent"
    found = [
        m
        for m in linker.mentions(d.passage.text)
        if m.end <= d.figure.start
        and m.measure_id in measures
        and (any_unit or unit_fits(d.figure.unit, measures[m.measure_id].unit))
        and (is_vague or bool(head and head <= content_words(m.text)))
    ]
    in_sentence = [m for m in found if m.start >= d.sentence_start]
    if in_sentence:
        return in_sentence[-1]
    if is_vague and found and not d.sentence_topic:
        return found[-1]
    return None


def _table_link(d: FigureDraft, linker: MeasureLink) -> tuple[str | None, float | None]:
    """A table cell: its row label, then the label with the table's topic."""
    section, unit = d.passage.section, d.figure.unit
    measure_id, score = linker.link(d.phrase or d.label, section, f"{d.label} {d.quote}", unit=unit, kind=d.kind)
    if measure_id is None and d.phrase and d.phrase != d.label:
        return linker.link(d.label, section, d.quote, unit=unit, kind=d.kind)
    return measure_id, score


def choose(d: FigureDraft, linker: MeasureLink) -> tuple[str | None, float | None]:
    """The measure a figure is of. A figure that counts a thing of its own ("2000 perilous
    weapons") and whose words link to no measure takes none from the heading."""
    if d.own_label is None:
        return _table_link(d, linker)
    section, context, unit = d.passage.section, f"{d.label} {d.quote}", d.figure.unit
    measure_id: str | None = None
    score: float | None = None
    if d.own_phrase:
        measure_id, score = linker.link(d.phrase, section, context, unit=unit, kind=d.kind)
        if measure_id is not None:
            return measure_id, score
    named = named_before(d, linker)
    if not d.own_phrase and d.phrase:
        measure_id, score = linker.link(d.phrase, section, context, unit=unit, kind=d.kind)
    label = d.label if vague(d.noun) else d.own_label
    if measure_id is None and label and d.phrase != label:
        measure_id, score = linker.link(label, section, d.quote, unit=unit, kind=d.kind)
    if named is not None and not (measure_id or "").startswith(f"{named.measure_id}_"):
        # the measure named before, unless the label's link is a variant of it
        return named.measure_id, 100.0
    return measure_id, score


def link_measures(drafts: list[FigureDraft], linker: MeasureLink, vocab: Vocabulary) -> list[FigureDraft]:
    out = []
    for d in drafts:
        grades = _grades(d, vocab)
        if grades and vocab.attribute.match(d.phrase or ""):
            # "the SLA" of the graded incidents named before: the graded measure
            d = evolve(d, phrase=vocab.graded_phrase_template.format(grade=grades[-1], phrase=d.phrase))
        measure_id, score = choose(d, linker)
        measure_id = refine(measure_id, d, linker, vocab)
        out.append(
            evolve(d, measure_id=measure_id, measure_score=float(score) if score is not None and measure_id else None)
        )
    return out


def _earlier(b: FigureDraft, d: FigureDraft) -> bool:
    return bool(b.period and d.period and b.period[1] < d.period[0])


BASELINE_UNITS_OF_PERCENT = ("count", "GBP", "percent", "seconds")


def link_baselines(drafts: list[FigureDraft]) -> list[FigureDraft]:
    """Give each change the baseline value it is measured against, where the passage states one:
    a value flagged as a baseline ("compared to 43"), else a value of an earlier period."""
    out = list(drafts)
    for k, d in enumerate(drafts):
        if d.kind != "change" or d.vs_target:
            continue
        units = BASELINE_UNITS_OF_PERCENT if d.figure.unit == "percent" else (d.figure.unit,)
        candidates = [
            b
            for j, b in enumerate(drafts)
            if j != k and b.kind == "value" and (b.baseline or _earlier(b, d)) and b.figure.unit in units
        ]
        if not candidates:
            continue
        b = min(candidates, key=lambda b: (abs(b.sentence_id - d.sentence_id), abs(b.figure.start - d.figure.start)))
        old = d.comparison or Comparison()
        out[k] = evolve(
            d,
            comparison=Comparison(
                value=b.figure.value,
                unit=b.figure.unit,
                period_start=b.period[0] if b.period else old.period_start,
                period_end=b.period[1] if b.period else old.period_end,
                text=b.figure.text + (f" ({b.period_text})" if b.period_text else ""),
            ),
        )
    return out

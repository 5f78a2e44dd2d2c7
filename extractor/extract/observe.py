"""Turn a paper's passages into ``Observation`` objects: the extraction stage's driver.

Per passage: find the figures (``figure_finder``), drop the ones that are not measures
(``filters``), read each in its sentence (``classify``), label it (``labels``), date it
(``periods``: the nearest suitable mention in its sentence, else the reporting period
carried from before), link it to the catalogue and to its baseline, and point at it
in the source (offsets, page, box).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..models import Document, Observation, Passage, Provenance, SourceText
from ..segment.text_map import MappedText
from .classify import Reading, read_figure
from .figures import Figure, FigureFinder
from .filters import not_a_measure
from .labels import PRONOUN_SUBJECT as PRONOUN_LEAD
from .labels import clean, main_phrase, measure_label, sentence_topic
from .nlp import build_pipeline
from .periods import PeriodMention, find_periods, is_recent
from .sentences import sentence_spans
from .tables import table_cells

Period = tuple[str, str]


@dataclass
class Draft:
    """An observation being built; turned into an ``Observation`` at the end."""

    passage: Passage
    figure: Figure  # offsets into passage.text
    quote: str
    label: str
    kind: str
    change_type: str | None
    period: Period | None
    period_text: str | None
    baseline: bool = False
    sentence_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    phrase: str = ""  # what the paper calls the measure, for the linker (the label without its context)
    vs_target: bool = False  # a change measured from a target, which has no baseline value to link


@dataclass
class State:
    """What carries from one passage to the next: the reporting period and the topic."""

    reference: date | None
    current: Period | None = None
    current_text: str | None = None
    topic: str = ""  # the topic of the last passage that stated one
    section_topic: str = ""  # the topic of the section: its heading, or a goal stated under it
    last_prose: str = ""
    section_current: Period | None = None  # the reporting period stated last
    latest: Period | None = None  # the recent period stated last that ends by the paper's date

    def advance_anchor(self) -> None:
        """Relative periods ("same period last year") count from the period stated last;
        forms of the latest data ("the last 12 months", "Q2") too when it is recent, else
        from the latest data the paper has stated (else from the paper's date)."""
        self.section_current = cur = self.current
        if cur and is_recent(cur, self.reference) and (self.reference is None or cur[1] <= self.reference.isoformat()):
            self.latest = cur


def _linker() -> Any:
    try:
        from ..link.measures import get_linker

        return get_linker()
    except (ImportError, OSError, ValueError):
        return None


def _mentions(text: str, state: State) -> list[PeriodMention]:
    return find_periods(text, reference=state.reference, current=state.section_current, latest=state.latest)


def _dated(m: PeriodMention) -> bool:
    return bool(m.period_start and m.period_end)


def _period_for(
    fig: Figure, reading: Reading, mentions: list[PeriodMention], state: State
) -> tuple[Period | None, str | None]:
    """The nearest suitable period mention of the sentence, else the carried one."""
    dated = [m for m in mentions if _dated(m) and m.role != "point"]
    if reading.baseline:
        later = [m for m in dated if m.start >= fig.end and m.role in ("baseline", "comparison")]
        earlier = [m for m in dated if m.end <= fig.start and m.role in ("baseline", "comparison")]
        pick = later[0] if later else (earlier[-1] if earlier else None)
        if pick is None:
            later_any = [m for m in dated if m.start >= fig.end]
            pick = later_any[0] if later_any else None
        if pick:
            return (pick.period_start, pick.period_end), pick.text  # type: ignore[return-value]
        return None, None
    current = [m for m in dated if m.role == "current"]
    if current:
        before = [m for m in current if m.end <= fig.start]
        pick = before[-1] if before else min(current, key=lambda m: abs(m.start - fig.end))
        return (pick.period_start, pick.period_end), pick.text  # type: ignore[return-value]
    return state.current, state.current_text


SHARED_UNITS = ("percent", "per_million", "per_1000", "days", "other")


def _share_units(figures: list[Figure], sentence: str) -> list[Figure]:
    """ "from 12.3 to 10.1 per 1,000": a bare number takes the unit of the figure it runs to."""
    out = list(figures)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if (
            a.unit == "count"
            and b.unit in SHARED_UNITS
            and re.fullmatch(r"\s*(?:to|-|–|and)\s*", sentence[a.end : b.start])
            and re.search(r"\b(?:from|between)\s*$", sentence[: a.start])
        ):
            out[i] = replace(a, unit=b.unit)
    return out


def _mask(sentence: str, mentions: list[PeriodMention]) -> str:
    """The sentence with its period expressions blanked out (same length), for labelling."""
    chars = list(sentence)
    for m in mentions:
        chars[m.start : m.end] = " " * (m.end - m.start)
    return "".join(chars)


def _blocked(fig: Figure, mentions: list[PeriodMention]) -> bool:
    return any(m.start < fig.end and fig.start < m.end for m in mentions)


def _prose(passage: Passage, figures: list[Figure], state: State) -> list[Draft]:
    text = passage.text
    figures = [f for f in figures if not not_a_measure(f, text)]
    drafts: list[Draft] = []
    passage_topic = ""
    previous_phrase = ""
    bolds = [(m.start(), clean(m.group(1) or m.group(2))) for m in BOLD.finditer(text)]
    for sid, (s0, s1) in enumerate(sentence_spans(text)):
        sentence = text[s0:s1]
        sm = _mentions(sentence, state)
        local = [replace(f, start=f.start - s0, end=f.end - s0) for f in figures if s0 <= f.start and f.end <= s1]
        local = _share_units([f for f in local if not _blocked(f, sm)], sentence)
        masked = _mask(sentence, sm)
        topic = sentence_topic(masked)
        anaphoric = bool(PRONOUN_LEAD.match(sentence))
        context = (topic, previous_phrase if anaphoric else "", passage_topic, state.section_topic, state.topic)
        topics = [t for t in context if t]
        for i, rel in enumerate(local):
            prev_end = local[i - 1].end if i else 0
            next_start = local[i + 1].start if i + 1 < len(local) else len(sentence)
            reading = read_figure(rel, sentence, prev_end, next_start)
            value = abs(rel.value) * (reading.sign or 1) if reading.kind != "value" else rel.value
            unit = rel.unit
            if unit == "count" and PER_THING.match(sentence[rel.end :]):
                unit = "other"
            period, ptext = _period_for(rel, reading, sm, state)
            if (
                unit == "count"
                and not float(rel.value).is_integer()
                and RATE_BEFORE.search(sentence[max(0, rel.start - 60) : rel.start])
            ):
                unit = "ratio"  # "crimes recorded per incident increase from 0.5 to 0.9"
            own_topics = topics
            between = sentence[local[i - 1].end : rel.start] if i else ""
            if i and "(" in between and ")" not in between and len(between) < 40:
                own_topics = [main_phrase(masked, local[i - 1].start, local[i - 1].end, local[i - 1].unit), *topics]
            bold = [b for b in bolds if b[0] < s0 + rel.start]
            if bold:
                own_topics = [bold[-1][1], *own_topics]
            label = measure_label(masked, rel.start, rel.end, unit, own_topics, prev_end)
            fig = replace(rel, start=rel.start + s0, end=rel.end + s0, value=value, unit=unit)
            change_type = reading.change_type if reading.kind != "value" else None
            draft = Draft(
                passage, fig, sentence, label, reading.kind, change_type, period, ptext, reading.baseline, sid
            )
            draft.phrase = main_phrase(masked, rel.start, rel.end, unit, prev_end) or (
                own_topics[0] if own_topics else ""
            )
            if reading.kind == "change":
                draft.extra.update(_comparison_period(rel, sm))
            drafts.append(draft)
        if local:
            previous_phrase = main_phrase(masked, local[0].start, local[0].end, local[0].unit)
        states_period = not FUTURE.search(sentence)
        for m in sm if states_period else []:
            if _dated(m) and m.role == "current":
                state.current, state.current_text = (m.period_start, m.period_end), m.text  # type: ignore[assignment]
                state.advance_anchor()
        if topic and not passage_topic:
            passage_topic = topic
    if passage_topic:
        state.topic = passage_topic
        if GOAL_LEAD.search(text[:200]):
            state.section_topic = passage_topic
    return drafts


BOLD = re.compile(r"\*\*([^*]{3,60})\*\*|<b>([^<]{3,60})</b>")
RATE_BEFORE = re.compile(r"\bper\s+[a-z]+", re.IGNORECASE)
GOAL_LEAD = re.compile(r"^\W*(?:\S+\s+)?(?:milestone|target|objective|aim|priority)\b|\bmilestone to\b", re.IGNORECASE)
FUTURE = re.compile(r"\b(?:will|shall|planned|plans to|intends? to|next)\b", re.IGNORECASE)
PER_THING = re.compile(
    r"^\s+(?:[\w'’-]+\s+){0,3}per\s+(?!cent\b|day\b|week\b|month\b|year\b|annum\b|quarter\b|hour\b)[a-z]",
    re.IGNORECASE,
)


def _table(passage: Passage, finder: FigureFinder, state: State) -> list[Draft]:
    drafts = []
    for cell in table_cells(
        passage, finder, reference=state.reference, current=state.current, context=state.last_prose
    ):
        parts = [p for p in (cell.row_label, cell.column) if p]
        label = ": ".join(parts) if parts else state.topic
        if cell.figure.unit == "rank":
            label = f"{cell.row_label}: rank ({state.topic})" if state.topic else f"{cell.row_label}: rank"
        elif state.topic and len(label) < 25 and state.topic.lower() not in label.lower():
            label = f"{label} ({state.topic})"
        change_type = None
        if cell.kind != "value":
            change_type = "percent" if cell.figure.unit == "percent" else "absolute"
        draft = Draft(passage, cell.figure, passage.text, label, cell.kind, change_type, cell.period, cell.period_text)
        draft.phrase = cell.row_label or label
        draft.vs_target = cell.vs_target
        if cell.vs_target:
            draft.extra["comparison_text"] = "target"
        drafts.append(draft)
    return drafts


def _comparison_period(fig: Figure, mentions: list[PeriodMention]) -> dict[str, Any]:
    """The period a change is measured against, when its sentence names one."""
    cands = [m for m in mentions if m.role in ("comparison", "baseline")]
    if not cands:
        return {}
    m = min(cands, key=lambda m: (m.start < fig.end, abs(m.start - fig.end)))
    return {
        "comparison_period_start": m.period_start,
        "comparison_period_end": m.period_end,
        "comparison_text": m.text,
    }


def _earlier(b: Draft, d: Draft) -> bool:
    return bool(b.period and d.period and b.period[1] < d.period[0])


def _link_baselines(drafts: list[Draft]) -> None:
    """Give each change the baseline value it is measured against, where the passage states one:
    a value flagged as a baseline ("compared to 43"), else a value of an earlier period."""
    for d in drafts:
        if d.kind != "change" or d.vs_target:
            continue
        candidates = [
            b
            for b in drafts
            if b is not d and b.kind == "value" and b.passage is d.passage and (b.baseline or _earlier(b, d))
        ]
        if d.figure.unit == "percent":
            candidates = [b for b in candidates if b.figure.unit in ("count", "GBP", "percent", "seconds")]
        else:
            candidates = [b for b in candidates if b.figure.unit == d.figure.unit]
        if not candidates:
            continue
        b = min(candidates, key=lambda b: (abs(b.sentence_id - d.sentence_id), abs(b.figure.start - d.figure.start)))
        d.extra.update(comparison_value=b.figure.value, comparison_unit=b.figure.unit)
        d.extra["comparison_text"] = b.figure.text + (f" ({b.period_text})" if b.period_text else "")
        if b.period:
            d.extra.update(comparison_period_start=b.period[0], comparison_period_end=b.period[1])


def _heading_topic(text: str) -> str:
    t = clean(re.sub(r"^\s*(?:measure|priority|outcome|objective|title)\s*:\s*", "", text, flags=re.IGNORECASE))
    t = re.sub(r"\((?:lead|leads)\b[^)]*\)", "", t, flags=re.IGNORECASE).strip()
    return t[:100]


PRIORITY_GRADE = re.compile(r"\bP([1-4])\b")
GRADED_ID = re.compile(r"^p([1-4])_")


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
        grades = PRIORITY_GRADE.findall(d.passage.text[: d.figure.start])
        if grades and grades[-1] != graded.group(1):
            other = f"p{grades[-1]}_{measure_id[3:]}"
            if other in measures:
                return other
    return measure_id


def _observation(
    d: Draft, document: Document, source: SourceText, linker: Any, mapped: MappedText | None, word_starts: list[int]
) -> Observation:
    p = d.passage
    f = d.figure
    if mapped is not None:
        start, end = mapped.source_span(f.start, f.end)
    else:
        start, end = p.start + f.start, min(p.end, p.start + f.end)
    end = max(start, end)
    page = source.page_at(start)
    box = source.bbox(start, end) if source.words else None
    if box is not None:
        i = bisect.bisect_right(word_starts, start) - 1
        page = source.words[max(0, i)].page_number or page
    measure_id, score = None, None
    if linker is not None:
        try:
            context = f"{d.label} {d.quote}"
            measure_id, score = linker.link(d.phrase or d.label, p.section, context, unit=f.unit, kind=d.kind)
            if measure_id is None and d.phrase and d.phrase != d.label:
                measure_id, score = linker.link(d.label, p.section, d.quote, unit=f.unit, kind=d.kind)
        except TypeError:
            measure_id, score = linker.link(d.phrase or d.label, p.section, d.quote, f.unit)
        measure_id = _refine_link(measure_id, d, linker)
    prov = Provenance(
        document_id=document.id,
        passage_id=p.id,
        char_start=start,
        char_end=end,
        quote=d.quote,
        page=page,
        paragraph=p.paragraph,
        section=p.section,
        x0=box[0] if box else None,
        top=box[1] if box else None,
        x1=box[2] if box else None,
        bottom=box[3] if box else None,
    )
    period = d.period or (None, None)
    return Observation(
        measure=d.label,
        value=float(f.value),
        unit=f.unit,
        kind=d.kind,
        figure=f.text,
        provenance=prov,
        measure_id=measure_id,
        measure_score=float(score) if score is not None and measure_id else None,
        period_start=period[0],
        period_end=period[1],
        period_text=d.period_text,
        change_type=d.change_type,
        **d.extra,
    )


def extract_observations(document: Document, source: SourceText, passages: list[Passage]) -> list[Observation]:
    """Every measure observation the passages of ``document`` state, in reading order."""
    nlp = build_pipeline()
    finder: FigureFinder = nlp.get_pipe("figure_finder")  # type: ignore[assignment]
    state = State(reference=document.meeting_date)
    linker = _linker()
    out: list[Observation] = []
    seen: set[tuple[int, int, str, str]] = set()
    word_starts = [w.start for w in source.words]
    docs = nlp.pipe([p.text for p in passages], disable=[n for n in nlp.pipe_names if n != "figure_finder"])
    for passage, doc in zip(passages, docs, strict=True):
        if passage.kind == "heading":
            heading = _heading_topic(passage.text)
            if heading:
                state.topic = state.section_topic = heading
        if passage.kind == "table_row" and passage.cells and len(passage.cells) > 1:
            drafts = _table(passage, finder, state)
        else:
            figures = [span._.figure for span in doc.spans["figures"] if span._.figure is not None]
            drafts = _prose(passage, figures, state) if figures or passage.kind != "heading" else []
            if passage.kind != "heading":
                state.last_prose = passage.text
            if passage.kind == "heading" and not figures:
                for m in _mentions(passage.text, state):
                    if _dated(m) and m.role == "current":
                        state.current, state.current_text = (m.period_start, m.period_end), m.text  # type: ignore[assignment]
                        state.advance_anchor()
        if not drafts:
            continue
        _link_baselines(drafts)
        mapped = MappedText.from_source(source.text, passage.start, passage.end)
        if mapped.text != passage.text:
            mapped = None  # type: ignore[assignment]
        for d in drafts:
            obs = _observation(d, document, source, linker, mapped, word_starts)
            key = (obs.provenance.char_start, obs.provenance.char_end, obs.unit, obs.kind)
            if key in seen:
                continue
            seen.add(key)
            out.append(obs)
    return out

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
from .labels import ATTRIBUTE, clean, is_generic, main_phrase, measure_label, phrase_after, polish_label, sentence_topic
from .labels import PRONOUN_SUBJECT as PRONOUN_LEAD
from .measure_links import ANAPHOR, PRIORITY_GRADE, _link, _linker, _refine_link
from .nlp import build_pipeline
from .periods import PeriodMention, find_periods, is_recent, resolve_period
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
    grade: str = ""  # the priority grade ("2" of "P2") carried from the paragraph a back-reference points to
    vs_target: bool = False  # a change measured from a target, which has no baseline value to link
    # prose only: the label without the topics carried from the heading or earlier paragraphs,
    # the figure's own words (``phrase`` before any topic stands in), the noun it counts
    # ("175 episodes" -> "episodes") and where its sentence starts in the passage
    own_label: str | None = None
    own_phrase: str = ""
    noun: str = ""
    sentence_start: int = 0
    sentence_topic: str = ""


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
    furthest: Period | None = None  # the recent period stated so far that ends latest ("since April" runs to it)
    antecedent: str = ""  # what the last sentence naming a population named ("P2 Priority Response incidents")
    grade: str = ""  # the priority grade the section's last paragraph naming one named
    baseline: Period | None = None  # the baseline period stated last ("the national baseline is ...")

    def advance_anchor(self) -> None:
        """Relative periods ("same period last year") count from the period stated last;
        forms of the latest data ("the last 12 months", "Q2") too when it is recent, else
        from the latest data the paper has stated (else from the paper's date)."""
        self.section_current = cur = self.current
        if cur and is_recent(cur, self.reference) and (self.reference is None or cur[1] <= self.reference.isoformat()):
            self.latest = cur
            if self.furthest is None or cur[1] > self.furthest[1]:
                self.furthest = cur


def _mentions(text: str, state: State) -> list[PeriodMention]:
    return find_periods(
        text, reference=state.reference, current=state.section_current, latest=state.latest, furthest=state.furthest
    )


def _dated(m: PeriodMention) -> bool:
    return bool(m.period_start and m.period_end)


def _period_for(
    fig: Figure, reading: Reading, mentions: list[PeriodMention], state: State, sentence: str = ""
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
            return _start_of_range(fig, pick, sentence), pick.text
        return None, None
    current = [m for m in dated if m.role == "current"]
    if current:
        own = [m for m in current if OWN_PERIOD.fullmatch(sentence[fig.end : m.start])] if sentence else []
        if own:  # "which reduced to 51% in May 2021": the period right after the figure
            return _start_of_range(fig, own[0], sentence), own[0].text
        before = [m for m in current if m.end <= fig.start]
        pick = before[-1] if before else min(current, key=lambda m: abs(m.start - fig.end))
        return _start_of_range(fig, pick, sentence), pick.text
    return state.current, state.current_text


OWN_PERIOD = re.compile(r"\s*\(?\s*(?:in|during|for)\s+", re.IGNORECASE)
FROM_FIGURE = re.compile(r"\bfrom\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
RANGE_SPLIT = re.compile(r"\s+(?:and|to|until)\s+|\s*[-\u2013\u2014]\s*", re.IGNORECASE)


def _start_of_range(fig: Figure, m: PeriodMention, sentence: str) -> Period:
    """ "from 10 minutes to 45 seconds between December 2022 and December 2023": the figure
    after "from" is the level at the start of the range, so it takes the range's first period."""
    period: Period = (m.period_start, m.period_end)  # type: ignore[assignment]
    if not sentence or not FROM_FIGURE.search(sentence[max(0, fig.start - 30) : fig.start]):
        return period
    if not re.match(r"\s*to\s+\S*\d", sentence[fig.end :], re.IGNORECASE):
        return period
    parts = RANGE_SPLIT.split(re.sub(r"^\s*(?:between|from)\s+", "", m.text, flags=re.IGNORECASE), maxsplit=1)
    if len(parts) != 2:
        return period
    first = [p for p in find_periods(parts[0]) if p.period_start and p.period_end and p.role != "point"]
    if (
        len(first) == 1
        and first[0].period_start == m.period_start
        and first[0].period_end
        and first[0].period_end < (m.period_end or "")
    ):
        return first[0].period_start, first[0].period_end  # type: ignore[return-value]
    return period


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
    # "the SLA has improved by 10%" in a paragraph after the one naming "P2": the grade carries
    # to a paragraph that refers back and names no grade itself
    grade = ""
    if not PRIORITY_GRADE.search(text) and REFERS_BACK.search(text):
        grade = state.grade
    if PRIORITY_GRADE.search(text):
        state.grade = PRIORITY_GRADE.findall(text)[-1]
    for sid, (s0, s1) in enumerate(sentence_spans(text)):
        sentence = text[s0:s1]
        sm = _mentions(sentence, state)
        local = [replace(f, start=f.start - s0, end=f.end - s0) for f in figures if s0 <= f.start and f.end <= s1]
        local = _share_units([f for f in local if not _blocked(f, sm)], sentence)
        masked = _mask(sentence, sm)
        topic = sentence_topic(masked)
        anaphoric = bool(PRONOUN_LEAD.match(sentence) or DEFINITE_BACK.match(sentence))
        context = (topic, previous_phrase if anaphoric else "", passage_topic, state.section_topic, state.topic)
        topics = [t for t in context if t]
        # the topics this paragraph states itself, without the heading's and those carried from before
        local_topics = [t for t in context[:3] if t]
        carried: list[str] = []  # per figure: the phrase a list of figures after it carries on
        for i, rel in enumerate(local):
            prev_end = local[i - 1].end if i else 0
            next_start = local[i + 1].start if i + 1 < len(local) else len(sentence)
            reading = read_figure(rel, sentence, prev_end, next_start)
            value = abs(rel.value) * (reading.sign or 1) if reading.kind != "value" else rel.value
            unit = rel.unit
            if unit == "count" and PER_THING.match(sentence[rel.end :]):
                unit = "other"
            period, ptext = _period_for(rel, reading, sm, state, sentence)
            in_baseline = IN_BASELINE.match(sentence[rel.end :])
            if in_baseline and state.baseline:
                # "the 8,425 recorded in the baseline year": the baseline period the paper stated
                period, ptext = state.baseline, in_baseline.group("b")
            if (
                unit == "count"
                and not float(rel.value).is_integer()
                and RATE_BEFORE.search(sentence[max(0, rel.start - 60) : rel.start])
            ):
                unit = "ratio"  # "crimes recorded per incident increase from 0.5 to 0.9"
            own_topics = topics
            between = sentence[local[i - 1].end : rel.start] if i else ""
            if i and (
                ("(" in between and ")" not in between and len(between) < 40)
                # "this has increased by over 20%": the clause refers to the figure before it
                or CLAUSE_BACK.search(between)
                # "20% match funding in year one, 30% in year two and 40% in the final year"
                or (LIST_NEXT.fullmatch(between) and local[i - 1].unit == rel.unit)
            ):
                prior = carried[i - 1] if LIST_NEXT.fullmatch(between) else ""
                prior = prior or main_phrase(masked, local[i - 1].start, local[i - 1].end, local[i - 1].unit)
                own_topics = [prior, *topics]
            elif (
                i
                and not re.search(r"[;:.!?]", between)
                and not main_phrase(masked, rel.start, rel.end, rel.unit, prev_end)
            ):
                # "recorded 2,406 violent offences ..., 3% fewer than ...": a figure with no words
                # of its own is about what the figure before it in its clause counts
                prior = carried[i - 1] or main_phrase(masked, local[i - 1].start, local[i - 1].end, local[i - 1].unit)
                if prior and not is_generic(prior):
                    own_topics = [prior, *topics]
            carried.append(
                (own_topics[0] if i and own_topics is not topics else "")
                or main_phrase(masked, rel.start, rel.end, rel.unit, prev_end)
            )
            bold = [b for b in bolds if b[0] < s0 + rel.start]
            after = [b for b in bolds if s0 + rel.end <= b[0] < s1 and not (bold and bold[-1][0] >= s0)]
            if after and not any(
                s0 + rel.end <= x.start + s0 < after[0][0] and x.unit == rel.unit for x in local[i + 1 :]
            ):
                # "91.4% skilled Constables of the required 1237 in **Standard Car Driving**"
                own_topics = [after[0][1], *own_topics]
            elif bold:
                own_topics = [bold[-1][1], *own_topics]
            label = measure_label(masked, rel.start, rel.end, unit, own_topics, prev_end, antecedent=state.antecedent)
            paragraph_topics = own_topics[: len(own_topics) - len(topics)] + local_topics
            own_label = (
                label
                if len(paragraph_topics) == len(own_topics)
                else measure_label(
                    masked, rel.start, rel.end, unit, paragraph_topics, prev_end, antecedent=state.antecedent
                )
            )
            fig = replace(rel, start=rel.start + s0, end=rel.end + s0, value=value, unit=unit)
            change_type = reading.change_type if reading.kind != "value" else None
            draft = Draft(
                passage, fig, sentence, label, reading.kind, change_type, period, ptext, reading.baseline, sid
            )
            draft.grade = grade
            draft.own_phrase = main_phrase(masked, rel.start, rel.end, unit, prev_end)
            draft.phrase = draft.own_phrase or (own_topics[0] if own_topics else "")
            draft.own_label, draft.noun, draft.sentence_start = own_label, phrase_after(masked, rel.end), s0
            draft.sentence_topic = topic
            if reading.kind == "change":
                draft.extra.update(_comparison_period(rel, sm))
            drafts.append(draft)
        if local:
            previous_phrase = main_phrase(masked, local[0].start, local[0].end, local[0].unit)
        for m in sm:
            if _dated(m) and m.role == "baseline":
                state.baseline = (m.period_start, m.period_end)  # type: ignore[assignment]
        named = _population(topic, masked, local)
        if named:
            state.antecedent = named
        states_period = not FUTURE.search(sentence)
        stated = [m for m in sm if _dated(m) and m.role == "current"] if states_period else []
        lead = [m for m in stated if POSSESSIVE_LEAD.match(sentence[m.end :]) and not sentence[: m.start].strip(" -•")]
        for m in stated if not lead else lead:  # "Last year's performance ... so far in 2021/22": the subject's
            state.current, state.current_text = (m.period_start, m.period_end), m.text  # type: ignore[assignment]
            state.advance_anchor()
        if topic and not passage_topic:
            passage_topic = topic
    if passage_topic:
        state.topic = passage_topic
        if GOAL_LEAD.search(text[:200]):
            state.section_topic = passage_topic
    return drafts


IN_BASELINE = re.compile(
    r"^\s+(?:[a-z]+\s+){0,2}(?:in|for|during)\s+(?P<b>the\s+(?:national\s+)?baseline(?:\s+(?:year|period))?)\b(?!\s+of\b)",
    re.IGNORECASE,
)
CLAUSE_BACK = re.compile(
    r",\s*(?:and\s+)?(?:this|it|which)\s+(?:\w+\s+){0,2}(?:by|of|to)?\s*(?:over|almost|around|about)?\s*$",
    re.IGNORECASE,
)
LIST_NEXT = re.compile(r"[^.;:()\d]{0,40}?(?:,|\s+and)\s+", re.IGNORECASE)
REFERS_BACK = re.compile(
    r"\b(?:these|those|such)\s+(?:incidents|calls|cases|offences|crimes)\b|\bthe\s+(?:SLA|service\s+level)\b|^\W*(?:\d+\.\s*)?(?:This|These|It)\b",
    re.IGNORECASE,
)
# "The offence is +15.7% YTD": a definite generic subject refers to the sentence before
DEFINITE_BACK = re.compile(
    r"^\W*the\s+(?:offence|offences|crime|crimes|measure|figure|indicator|rate|category|type|trend|number|volume)\s+"
    r"(?:is|was|has|have|are|were|saw|sees|shows?|showed|remains?|rose|fell|increased|decreased)\b",
    re.IGNORECASE,
)


def _population(topic: str, sentence: str, local: list[Figure]) -> str:
    """What a sentence names that later "these incidents" can refer back to: its "For X,"
    topic, else the noun phrase of its first count ("138,804 P1 immediate response incidents")."""
    if topic and FOR_LEAD.match(sentence) and not ANAPHOR.search(topic):
        return topic
    for f in local:
        if f.unit == "count":
            ph = phrase_after(sentence, f.end)
            if ph and not is_generic(ph) and not ANAPHOR.search(ph) and re.search(r"[A-Za-z]{3}", ph):
                return ph
            break
    return ""


FOR_LEAD = re.compile(r"^\W*(?:for|regarding|with regards? to|in relation to|in terms of)\s", re.IGNORECASE)
BOLD = re.compile(r"\*\*([^*]{3,60})\*\*|<b>([^<]{3,60})</b>")
RATE_BEFORE = re.compile(r"\bper\s+[a-z]+", re.IGNORECASE)
GOAL_LEAD = re.compile(r"^\W*(?:\S+\s+)?(?:milestone|target|objective|aim|priority)\b|\bmilestone to\b", re.IGNORECASE)
FUTURE = re.compile(r"\b(?:will|shall|plans to|intends? to|next)\b", re.IGNORECASE)
POSSESSIVE_LEAD = re.compile(r"['’]s\b")
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
            change_type = "points" if cell.points else "percent" if cell.figure.unit == "percent" else "absolute"
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
    grades = PRIORITY_GRADE.findall(p.text[: f.start]) or ([d.grade] if d.grade else [])
    if grades and ATTRIBUTE.match(d.phrase or ""):
        d.phrase = f"P{grades[-1]} {d.phrase}"  # "the SLA" of the P2 incidents named before: the graded measure
    if linker is not None:
        try:
            measure_id, score = _link(d, linker)
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
        measure=polish_label(d.label),
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
        area=d.extra.get("geo"),
        bound="approximate" if d.extra.get("approximate") else "exact",
        **d.extra,
    )


CURRENT_COLUMN = re.compile(r"\b(?:current|latest|this\s+(?:year|month|period))\b", re.IGNORECASE)


def _table_current(following: list[Passage], reference: date | None) -> tuple[Period, str] | None:
    """The period of the "Current (May-21)" column of a table that follows a paragraph in
    its section (before any heading): the paragraph's "last 12 months" are to it."""
    for p in following:
        if p.kind == "heading":
            return None
        if p.kind != "table_row":
            continue
        for h in p.header or ():
            if h and CURRENT_COLUMN.search(h) and re.search(r"\d", h):
                period = resolve_period(h, reference=reference)
                if period:
                    return period, h
    return None


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
    for k, (passage, doc) in enumerate(zip(passages, docs, strict=True)):
        if passage.kind not in ("heading", "table_row"):
            ahead = _table_current(passages[k + 1 : k + 5], state.reference)
            if ahead and ahead != state.current:  # the table the paragraph introduces states its period
                state.current, state.current_text = ahead
                state.advance_anchor()
        if passage.kind == "heading":
            heading = _heading_topic(passage.text)
            state.grade = state.antecedent = ""
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

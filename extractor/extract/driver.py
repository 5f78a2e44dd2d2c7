"""The extraction stage's driver: a paper's passages in, its ``Observation`` objects out.

Each passage goes through the declared steps (``steps/``) in order, each taking figure
drafts and returning new ones; the words each step reads are in ``patterns/`` (see
``vocabulary``), with the overlay of the paper's board on top. What carries from one
passage to the next is one ``PaperContext``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..models import Document, Figure, FigureDraft, Observation, Passage, SourceText
from .context import PaperContext, Period, advance
from .figures import FigureFinder
from .labels import clean, is_generic, main_phrase, phrase_after
from .nlp import build_pipeline
from .periods import PeriodMention, resolve_period
from .sentences import BoardSentences
from .steps.drop import drop
from .steps.find import Read, Sentence, drafts_in, mentions, read_sentence
from .steps.kind import read_kinds
from .steps.label import label_figures
from .steps.link import ANAPHOR, MeasureLink, link_baselines, link_measures
from .steps.period import date_figures, dated
from .steps.place import Placer
from .steps.semantics import read_semantics
from .tables import paper_words, table_drafts
from .vocabulary import Vocabulary, vocabulary

# "Measure: Burglary": a heading's lead word before a colon is no part of its topic (heading_leads)
HEADING_LEAD = r"^\s*(?:{words})\s*:\s*"
HEADING_LEADS = re.compile(r"\((?:lead|leads)\b[^)]*\)", re.IGNORECASE)
FOR_LEAD = r"^\W*(?:{words})\s"  # "For burglary, ..." (topic_leads of labels.yml)
# Where the word lists of cues.yml and periods.yml sit in a passage (read as X.around(list, TEMPLATE)):
# "Milestone: reduce burglary ...": a passage that states a goal gives its section its topic (goal_heading_nouns)
GOAL_LEAD = r"^\W*(?:\S+\s+)?(?:{words})\b|\bmilestone to\b"
# "will reduce ... in 2025": a sentence about the future states no current period (future_words)
FUTURE = r"\b(?:{words})\b"
POSSESSIVE_LEAD = re.compile(r"['’]s\b")
LETTERS = re.compile(r"[A-Za-z]{3}")
BY_BEFORE = re.compile(r"\b(?:by|before)\s*$", re.IGNORECASE)
TERM_DAYS = 400  # a stated period longer than this is a term, not a reporting period to carry


def extract_observations(
    document: Document,
    source: SourceText,
    passages: list[Passage],
    linker: MeasureLink | None = None,
    vocab: Vocabulary | None = None,
) -> list[Observation]:
    """Every measure observation the passages of ``document`` state, in reading order.

    ``linker`` defaults to the default catalogue's (``extractor.link.get_linker``); a broken
    catalogue raises, naming its file and line. ``vocab`` defaults to the words of the
    document's board (``vocabulary(document.board)``)."""
    if linker is None:
        from ..link.measures import get_linker

        linker = get_linker()
    vocab = vocab or vocabulary(document.board)
    placer = Placer(document, source, vocab)
    out: list[Observation] = []
    seen: set[tuple[int, int, str, str]] = set()
    for drafts in _drafts(document, passages, vocab):
        drafts = read_semantics(link_measures(link_baselines(drafts), linker, vocab), linker, vocab)
        for obs in placer.place(drafts):
            key = (obs.provenance.char_start, obs.provenance.char_end, obs.unit, obs.kind)
            if key not in seen:
                seen.add(key)
                out.append(obs)
    return out


def _drafts(document: Document, passages: list[Passage], vocab: Vocabulary) -> Iterator[list[FigureDraft]]:
    """Each passage's drafts, labelled and dated, through steps 1 to 5 (or the table step)."""
    nlp = build_pipeline()
    finder: FigureFinder = nlp.get_pipe("figure_finder")  # type: ignore[assignment]
    sentencer: BoardSentences = nlp.get_pipe("board_sentences")  # type: ignore[assignment]
    ctx = _statement_period(PaperContext(reference=document.meeting_date), passages, vocab)
    known = paper_words(passages)
    for k, passage in enumerate(passages):
        ctx = _before_passage(ctx, passage, passages[k + 1 : k + 5], vocab)
        if passage.kind == "table_row" and passage.cells and len(passage.cells) > 1:
            yield table_drafts(
                passage,
                finder,
                reference=ctx.reference,
                current=ctx.current,
                context=ctx.last_prose,
                topic=ctx.topic,
                words=vocab.tables,
                cues=vocab.cues,
                known=known,
            )
            continue
        # the pipeline's components read the text directly: the steps need only character
        # offsets, and tokenising every passage cost a third of extraction
        read = Read(finder.find(passage.text), sentencer.spans(passage.text))
        if passage.kind == "heading" and not read.figures:
            ctx = _heading_period(ctx, passage.text, vocab)
            continue
        drafts, ctx = _prose(passage, read, ctx, vocab)
        if passage.kind != "heading":
            ctx = advance(ctx, last_prose=passage.text)
        yield drafts


def _statement_period(ctx: PaperContext, passages: list[Passage], vocab: Vocabulary) -> PaperContext:
    """The period a line says the whole paper covers ("* Data covers April 2023 to March
    2024"), wherever it stands: the reporting period from the start, until another is stated."""
    for p in passages:
        if p.kind == "table_row" or not vocab.covers.search(p.text):
            continue
        for m in mentions(p.text, ctx, vocab):
            if dated(m) and m.role == "current":
                period = (m.period_start or "", m.period_end or "")
                return advance(ctx, current=period, current_text=m.text, statement=period, statement_text=m.text)
    return ctx


def _before_passage(ctx: PaperContext, passage: Passage, following: list[Passage], vocab: Vocabulary) -> PaperContext:
    """A paragraph that introduces a table takes the table's current column's period; a
    heading starts a section: a new topic, and no grade or population carried into it."""
    if ctx.statement and passage.kind != "heading" and ctx.current != ctx.statement:
        ctx = advance(ctx, current=ctx.statement, current_text=ctx.statement_text)
    if passage.kind not in ("heading", "table_row"):
        ahead = _table_current(following, ctx.reference, vocab.tables.current)
        if ahead and ahead != (ctx.current, ctx.current_text):
            ctx = advance(ctx, current=ahead[0], current_text=ahead[1])
    if passage.kind == "heading":
        ctx = advance(ctx, grade="", antecedent="")
        heading = _heading_topic(passage.text, vocab)
        if heading and not vocab.not_topic.search(heading):
            ctx = advance(ctx, topic=heading, section_topic=heading)
    return ctx


def _heading_period(ctx: PaperContext, text: str, vocab: Vocabulary) -> PaperContext:
    """A heading with no figures that states a current period ("Quarter 2 2023/24") sets it."""
    for m in mentions(text, ctx, vocab):
        if dated(m) and m.role == "current" and not _term(m):
            period = (m.period_start or "", m.period_end or "")
            ctx = advance(ctx, current=period, current_text=m.text)
            if ctx.statement:
                ctx = advance(ctx, statement=period, statement_text=m.text)
    return ctx


def _deadline(m: PeriodMention, text: str, ctx: PaperContext) -> bool:
    """ "to recruit 120 officers by March 2025": a plan's deadline after the paper's date, never
    the paper's reporting period."""
    after = ctx.reference is not None and (m.period_end or "") > ctx.reference.isoformat()
    return after and bool(BY_BEFORE.search(text[: m.start]))


def _term(m: PeriodMention) -> bool:
    """A span of years ("End of Term Report 2021 to 2024"): the figures of the sentence or
    heading may cover it, but it is no reporting period for the figures after it."""
    start, end = date.fromisoformat(m.period_start or ""), date.fromisoformat(m.period_end or "")
    return (end - start).days > TERM_DAYS


def _heading_topic(text: str, vocab: Vocabulary) -> str:
    t = clean(vocab.label_words.around("heading_leads", HEADING_LEAD).sub("", text))
    return HEADING_LEADS.sub("", t).strip()[:100]


def _table_current(
    following: list[Passage], reference: date | None, current: re.Pattern[str]
) -> tuple[Period, str] | None:
    """The period of the "Current (May-21)" column of a table that follows a paragraph in
    its section (before any heading): the paragraph's "last 12 months" are to it."""
    for p in following:
        if p.kind == "heading":
            return None
        if p.kind != "table_row":
            continue
        for h in p.header or ():
            if h and current.search(h) and re.search(r"\d", h):
                period = resolve_period(h, reference=reference)
                if period:
                    return period, h
    return None


def _prose(
    passage: Passage, read: Read, ctx: PaperContext, vocab: Vocabulary
) -> tuple[list[FigureDraft], PaperContext]:
    """A prose passage's drafts, one sentence at a time (the "board_sentences" component's)
    through steps 1 to 5."""
    text = passage.text
    figures = read.figures
    names_grade = bool(vocab.grade.search(text))
    # a passage that refers back ("the SLA has improved by 10%") and names no grade itself
    # is of the grade the passage before named
    refers_back = not names_grade and bool(vocab.refers_back.search(text))
    ctx = advance(ctx, passage_grade=ctx.grade if refers_back else "", passage_topic="", previous_phrase="")
    if names_grade:
        ctx = advance(ctx, grade=vocab.grade.findall(text)[-1])
    out: list[FigureDraft] = []
    for sid, span in enumerate(read.sentences):
        sentence = read_sentence(text, sid, span, ctx, vocab)
        drafts = drop(drafts_in(passage, figures, sentence), sentence, vocab)
        drafts = read_kinds(drafts, sentence, vocab)
        drafts = date_figures(drafts, sentence, ctx, vocab)
        drafts = label_figures(drafts, sentence, ctx, vocab)
        out.extend(drafts)
        ctx = _after_sentence(ctx, sentence, drafts, vocab)
    if ctx.passage_topic:
        ctx = advance(ctx, topic=ctx.passage_topic)
        if vocab.cues.around("goal_heading_nouns", GOAL_LEAD).search(text[:200]):
            ctx = advance(ctx, section_topic=ctx.passage_topic)
    return out, ctx


def _after_sentence(
    ctx: PaperContext, sentence: Sentence, drafts: list[FigureDraft], vocab: Vocabulary
) -> PaperContext:
    """What a sentence leaves for the next: its first figure's phrase, the baseline and the
    current periods it states, the population it names, and its topic."""
    local = [d.local for d in drafts]
    changes: dict[str, object] = {}
    if local:
        changes["previous_phrase"] = main_phrase(sentence.masked, local[0].start, local[0].end, local[0].unit)
    for m in sentence.mentions:
        if dated(m) and m.role == "baseline":
            changes["baseline"] = (m.period_start, m.period_end)
    named = _population(sentence, local, vocab)
    if named:
        changes["antecedent"] = named
    if sentence.topic and not ctx.passage_topic and not vocab.not_topic.search(sentence.text):
        changes["passage_topic"] = sentence.topic
    ctx = advance(ctx, **changes)
    stated = (
        []
        if vocab.period_words.around("future_words", FUTURE).search(sentence.text)
        else [
            m
            for m in sentence.mentions
            if dated(m) and m.role == "current" and not _term(m) and not _deadline(m, sentence.text, ctx)
        ]
    )
    lead = [
        m for m in stated if POSSESSIVE_LEAD.match(sentence.text[m.end :]) and not sentence.text[: m.start].strip(" -•")
    ]
    for m in lead or stated:  # "Last year's performance ... so far in 2021/22": the subject's period
        ctx = advance(ctx, current=(m.period_start, m.period_end), current_text=m.text)
    return ctx


def _population(sentence: Sentence, local: list[Figure], vocab: Vocabulary) -> str:
    """What a sentence names that later "these incidents" can refer back to: its "For X,"
    topic, else the noun phrase of its first count ("138,804 P1 immediate response incidents")."""
    topic, masked = sentence.topic, sentence.masked
    if topic and vocab.label_words.around("topic_leads", FOR_LEAD).match(masked) and not ANAPHOR.search(topic):
        return topic
    for f in local:
        if f.unit == "count":
            ph = phrase_after(masked, f.end)
            if ph and not is_generic(ph) and not ANAPHOR.search(ph) and LETTERS.search(ph):
                return ph
            break
    return ""

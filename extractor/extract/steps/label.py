"""Step 5, label: what a figure measures, in the paper's words.

A figure's own words come first ("41 homicides"); a figure with none takes the topic of
its clause, its sentence, its paragraph, its section or the paper's last topic, in that
order. A figure in a list ("20% in year one, 30% in year two") or in a clause that refers
back ("..., and this has increased by 20%") is about what the figure before it counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ...models import Figure, FigureDraft, evolve
from ..context import PaperContext
from ..labels import PRONOUN_SUBJECT, clean, is_generic, main_phrase, measure_label, not_a_name, phrase_after
from ..vocabulary import Cues, Vocabulary
from .find import Sentence

BOLD = re.compile(r"\*\*([^*]{3,60})\*\*|<b>([^<]{3,60})</b>")
# Where the word lists of labels.yml sit (read as vocab.label_words.around(list, TEMPLATE)):
# ", and this has increased by 20%": a clause about what the figure before counts (back_pronouns)
CLAUSE_BACK = r",\s*(?:and\s+)?(?:{words})\s+(?:\w+\s+){{0,2}}(?:by|of|to)?\s*(?:over|almost|around|about)?\s*$"
LIST_NEXT = re.compile(r"[^.;:()\d]{0,40}?(?:,|\s+and)\s+", re.IGNORECASE)
CLAUSE_END = re.compile(r"[;:.!?]")
# "182,400 calls, and 94% of them were answered": a share of what the figure before counts
OF_THEM = r"^\s*of\s+(?:{words})\b"  # (of_them_words)
# "The offence is +15.7% YTD": a definite generic subject refers to the sentence before
DEFINITE_BACK = (  # (definite_back_nouns)
    r"^\W*the\s+(?:{words})\s+"
    r"(?:is|was|has|have|are|were|saw|sees|shows?|showed|remains?|rose|fell|increased|decreased)\b"
)


@dataclass(frozen=True)
class Topics:
    """The topics a sentence's figures can fall back on, nearest first."""

    all: tuple[str, ...]  # the sentence's, the one before's, the paragraph's, the section's, the paper's
    own: tuple[str, ...]  # only those the paragraph states itself


def topics_of(sentence: Sentence, ctx: PaperContext, words: Cues) -> Topics:
    definite_back = words.around("definite_back_nouns", DEFINITE_BACK)
    anaphoric = bool(PRONOUN_SUBJECT.match(sentence.text) or definite_back.match(sentence.text))
    context = (
        "" if not_a_name(sentence.topic) else sentence.topic,
        ctx.previous_phrase if anaphoric else "",
        ctx.passage_topic,
        ctx.section_topic,
        ctx.topic,
    )
    return Topics(tuple(t for t in context if t), tuple(t for t in context[:3] if t))


@lru_cache(maxsize=256)
def bolds_of(text: str) -> tuple[tuple[int, str], ...]:
    """The bold runs of a passage (Markdown or HTML), where they start, and their words
    (kept for the passage's next sentence, which asks again)."""
    return tuple((m.start(), clean(m.group(1) or m.group(2))) for m in BOLD.finditer(text))


def _prior(
    figs: list[Figure], i: int, carried: list[str], sentence: Sentence, topics: list[str], words: Cues
) -> list[str]:
    """The topics of figure ``i`` when it carries on from the figure before it."""
    rel, last = figs[i], figs[i - 1]
    masked = sentence.masked
    between = sentence.text[last.end : rel.start]
    listed = bool(LIST_NEXT.fullmatch(between))
    if words.around("of_them_words", OF_THEM).match(sentence.text[rel.end :]) and not CLAUSE_END.search(between):
        prior = carried[i - 1] or main_phrase(masked, last.start, last.end, last.unit)
        return [prior, *topics] if prior else topics
    if (
        ("(" in between and ")" not in between and len(between) < 40)
        or words.around("back_pronouns", CLAUSE_BACK).search(between)  # "this has increased by over 20%"
        or (listed and last.unit == rel.unit)  # "20% in year one, 30% in year two"
    ):
        prior = carried[i - 1] if listed else ""
        return [prior or main_phrase(masked, last.start, last.end, last.unit), *topics]
    if not CLAUSE_END.search(between) and not main_phrase(masked, rel.start, rel.end, rel.unit, last.end):
        # "recorded 2,406 violent offences ..., 3% fewer than ...": a figure with no words of
        # its own is about what the figure before it in its clause counts
        prior = carried[i - 1] or main_phrase(masked, last.start, last.end, last.unit)
        if prior and not is_generic(prior):
            return [prior, *topics]
    return topics


def _with_bold(
    own: list[str], bolds: Sequence[tuple[int, str]], figs: list[Figure], i: int, s0: int, s1: int
) -> list[str]:
    """A bold name right after a figure (before the next figure of its unit) or the last one
    before it is the figure's first topic: "91.4% skilled of the required 1237 in **Driving**"."""
    rel = figs[i]
    bold = [b for b in bolds if b[0] < s0 + rel.start]
    after = [b for b in bolds if s0 + rel.end <= b[0] < s1 and not (bold and bold[-1][0] >= s0)]
    if after and not any(s0 + rel.end <= x.start + s0 < after[0][0] and x.unit == rel.unit for x in figs[i + 1 :]):
        return [after[0][1], *own]
    if bold:
        return [bold[-1][1], *own]
    return own


def label_figures(
    drafts: list[FigureDraft], sentence: Sentence, ctx: PaperContext, vocab: Vocabulary
) -> list[FigureDraft]:
    masked, s0 = sentence.masked, sentence.start
    s1 = s0 + len(sentence.text)
    topics = topics_of(sentence, ctx, vocab.label_words)
    bolds = bolds_of(drafts[0].passage.text) if drafts else ()
    figs = [d.local for d in drafts]
    carried: list[str] = []  # per figure: the phrase a list of figures after it carries on
    out = []
    for i, (d, rel) in enumerate(zip(drafts, figs, strict=True)):
        prev_end = figs[i - 1].end if i else 0
        own = _prior(figs, i, carried, sentence, list(topics.all), vocab.label_words) if i else list(topics.all)
        carried.append(
            (own[0] if i and len(own) > len(topics.all) else "")
            or main_phrase(masked, rel.start, rel.end, rel.unit, prev_end)
        )
        own = _with_bold(own, bolds, figs, i, s0, s1)
        label = measure_label(
            masked, rel.start, rel.end, rel.unit, own, prev_end, antecedent=ctx.antecedent, attribute=vocab.attribute
        )
        paragraph = own[: len(own) - len(topics.all)] + list(topics.own)
        own_label = (
            label
            if len(paragraph) == len(own)
            else measure_label(
                masked,
                rel.start,
                rel.end,
                rel.unit,
                paragraph,
                prev_end,
                antecedent=ctx.antecedent,
                attribute=vocab.attribute,
            )
        )
        own_phrase = main_phrase(masked, rel.start, rel.end, rel.unit, prev_end)
        out.append(
            evolve(
                d,
                label=label,
                own_label=own_label,
                own_phrase=own_phrase,
                phrase=own_phrase or (own[0] if own else ""),
                noun=phrase_after(masked, rel.end),
                grade=ctx.passage_grade,
            )
        )
    return respectively(out, sentence, vocab.label_words)


RESPECTIVELY = re.compile(r"^[\s,]*respectively\b", re.IGNORECASE)
SUBJECT_END = r"\s+(?:(?:has|have|had|was|were|is|are)\s+)?(?:{words})\b.*$"  # (subject_end_verbs of labels.yml)


def respectively(drafts: list[FigureDraft], sentence: Sentence, words: Cues) -> list[FigureDraft]:
    """ "Knife crime and violence with injury fell by 7% and 5% respectively": each figure of
    the list is about the item of the subject in the same place."""
    text = sentence.text
    figs = [d.local for d in drafts]
    for last in range(1, len(figs)):
        if not RESPECTIVELY.match(text[figs[last].end :]):
            continue
        first = last
        while first > 0 and LIST_NEXT.fullmatch(text[figs[first - 1].end : figs[first].start]):
            first -= 1
        head = words.around("subject_end_verbs", SUBJECT_END).sub("", text[: figs[first].start])
        items = [clean(x) for x in re.split(r",\s*|\s+and\s+", head) if clean(x)]
        n = last - first + 1
        if n >= 2 and len(items) >= n:
            items = items[-n:]
            for k in range(n):
                d = drafts[first + k]
                drafts[first + k] = evolve(d, label=items[k], own_label=items[k], phrase=items[k])
    return drafts

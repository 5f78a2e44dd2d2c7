"""The extraction steps' own contracts: the sentence component the driver runs, the frozen
draft, and the paper context's one update function."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from extractor.extract.context import PaperContext, advance
from extractor.extract.nlp import build_pipeline
from extractor.extract.sentences import sentence_spans
from extractor.extract.steps.find import figures_of, sentences_of
from extractor.models import Comparison, Figure, FigureDraft, Passage
from extractor.read import read_source
from extractor.segment import segment

ROOT = Path(__file__).parent.parent


def test_the_sentence_component_the_driver_runs_splits_as_sentence_spans() -> None:
    nlp = build_pipeline()
    files = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "papers").glob("*.*"))
    passages = [p for f in files for p in segment("x", read_source(f))]
    assert len(passages) > 500
    for p, doc in zip(passages, nlp.pipe([p.text for p in passages]), strict=True):
        assert sentences_of(doc) == sentence_spans(p.text), p.text[:80]


def test_the_driver_reads_off_the_text_what_the_pipeline_marks_on_a_doc() -> None:
    """The driver asks the components for offsets without tokenising: the same figures and
    sentences as the spaCy pipeline marks on each passage's ``Doc``."""
    nlp = build_pipeline()
    finder, sentencer = nlp.get_pipe("figure_finder"), nlp.get_pipe("board_sentences")
    files = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "papers").glob("*.*"))
    passages = [p for f in files for p in segment("x", read_source(f))]
    for p, doc in zip(passages, nlp.pipe([p.text for p in passages]), strict=True):
        assert finder.find(p.text) == figures_of(doc), p.text[:80]
        assert sentencer.spans(p.text) == [s for s in sentences_of(doc) if p.text[s[0] : s[1]].strip()], p.text[:80]


def _draft() -> FigureDraft:
    passage = Passage("d", "paragraph", "Burglary fell by 9%.", 0, 20)
    return FigureDraft(passage, Figure(17, 19, "9%", 9.0, "percent", "percent", "pct"), passage.text)


def test_a_draft_is_frozen_and_checked() -> None:
    d = _draft()
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.kind = "change"  # type: ignore[misc]
    with pytest.raises(ValueError, match="kind"):
        dataclasses.replace(d, kind="trend")
    changed = dataclasses.replace(d, kind="change", comparison=Comparison(text="target"))
    assert d.kind == "value" and changed.comparison == Comparison(text="target")
    assert d.local == d.figure  # a passage of one sentence: the same offsets


def test_a_new_current_period_moves_the_anchors_of_relative_periods() -> None:
    ctx = PaperContext(reference=date(2024, 2, 27))
    recent = advance(ctx, current=("2023-01-01", "2023-12-31"), current_text="2023")
    assert recent.section_current == recent.latest == recent.furthest == ("2023-01-01", "2023-12-31")
    old = advance(recent, current=("2013-04-01", "2014-03-31"), current_text="2013/14")
    assert old.section_current == ("2013-04-01", "2014-03-31")
    assert old.latest == old.furthest == ("2023-01-01", "2023-12-31")  # an old period is no latest data
    assert advance(old, topic="Burglary").section_current == old.section_current
    assert ctx.current is None  # nothing changed in place


def test_evolve_is_dataclasses_replace() -> None:
    """The steps' fast copy gives what ``dataclasses.replace`` gives: equal, checked, and
    without the sentence offsets a changed figure would make stale."""
    from extractor.models import evolve

    d = _draft()
    assert d.local.start == 17
    moved = evolve(d, figure=dataclasses.replace(d.figure, start=0, end=2))
    assert moved == dataclasses.replace(d, figure=moved.figure)
    assert moved.local.start == 0
    assert evolve(d, kind="change", sign=-1) == dataclasses.replace(d, kind="change", sign=-1)
    with pytest.raises(ValueError, match="kind"):
        evolve(d, kind="guess")
    with pytest.raises(TypeError, match="no field"):
        evolve(d, colour="red")
    ctx = PaperContext(reference=date(2024, 2, 27))
    assert evolve(ctx, topic="burglary") == dataclasses.replace(ctx, topic="burglary")

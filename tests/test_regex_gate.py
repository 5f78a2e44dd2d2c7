"""The lookahead gate on the pattern files' regexes changes their speed, never their matches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from extractor.extract.figures import FigureFinder
from extractor.extract.period_rules import RULE_FLAGS, RULES
from extractor.extract.regex_gate import first_class, gated
from extractor.extract.vocabulary import vocabulary

REPO = Path(__file__).resolve().parents[1]


def _corpus_text() -> str:
    manifest = yaml.safe_load((REPO / "corpus" / "manifest.yml").read_text(encoding="utf-8"))
    return "\n".join((REPO / "corpus" / d["path"]).read_text(encoding="utf-8") for d in manifest["documents"])


@pytest.mark.parametrize(
    ("pattern", "flags", "starts"),
    [
        (r"\bfold", 0, "f"),
        (r"(?i:\b(?:under|over)\s+\d)", 0, "uoUO"),
        (r"(?<![\w.])[+-]?\d+%", 0, "+-7"),
        (r"(?:a|b)?c", 0, "abc"),
        (r"(?m:^\(\d\))", 0, "("),
        (r"(?i)\bQ[1-4]\b", 0, "qQ"),
    ],
)
def test_the_gate_admits_every_first_character(pattern: str, flags: int, starts: str) -> None:
    cls = first_class(pattern, flags)
    assert cls is not None
    assert all(re.fullmatch(f"(?i:{cls})", ch) for ch in starts)


@pytest.mark.parametrize("pattern", [r".x", r"[^a]b", r"a?", r"(?:x|)", r"(a)?(?(1)b|c)", r"\b"])
def test_no_gate_where_the_first_character_is_unbounded(pattern: str) -> None:
    assert first_class(pattern) is None
    assert gated(pattern).pattern == pattern


def test_global_flags_stay_first() -> None:
    rx = gated(r"(?i)robbery\s+\d+")
    assert rx.pattern.startswith("(?i)")
    assert rx.search("ROBBERY 12") is not None


def test_gated_patterns_match_exactly_what_they_matched() -> None:
    """Every figure pattern, period rule and word list of the pattern files, over the corpus."""
    text = _corpus_text()
    patterns = [(p["pattern"], 0) for p in FigureFinder()._raw] + [(p, RULE_FLAGS) for _, p in RULES]
    v = vocabulary()
    for cues in (v.cues, v.label_words, v.period_words, v.semantics):
        patterns += [(rf"\b(?:{'|'.join(words)})\b", re.IGNORECASE) for words in cues.lists.values()]
    gated_count = 0
    for pattern, flags in patterns:
        plain, fast = re.compile(pattern, flags), gated(pattern, flags)
        gated_count += fast.pattern != pattern
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], pattern
    assert gated_count > len(patterns) // 2  # most of them are gated: the gate is in use

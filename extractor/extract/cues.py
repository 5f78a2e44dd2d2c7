"""The cue words of ``patterns/cues.yml``, compiled once."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

import yaml

CUES = Path(__file__).parent / "patterns" / "cues.yml"


@lru_cache(maxsize=1)
def cue_lists() -> dict[str, list[str]]:
    with open(CUES, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    return {k: [str(x) for x in v] for k, v in data.items()}


@cache
def cue(name: str, *, anchored: str = "") -> re.Pattern[str]:
    """One regex matching any cue of list ``name`` as whole words.

    ``anchored`` is "end" (the cue must end the text, give or take connective words)
    or "start"; "" matches anywhere.
    """
    body = "|".join(f"(?:{c})" for c in cue_lists()[name])
    word = rf"\b(?:{body})\b"
    if anchored == "start":
        return re.compile(rf"^\W*{word}", re.IGNORECASE)
    if anchored == "end":
        return re.compile(rf"{word}\W*$", re.IGNORECASE)
    return re.compile(word, re.IGNORECASE)

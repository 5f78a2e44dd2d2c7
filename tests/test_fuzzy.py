"""The linker's fast token_set_ratio search gives what rapidfuzz's process.extract gives."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz, process, utils

from extractor.link.fuzzy import TokenSetIndex, scored
from extractor.link.measures import POOL_MARGIN, get_linker


@pytest.fixture(scope="module")
def choices() -> list[str]:
    return list(get_linker()._processed_choices)


def _queries(choices: list[str], n: int, seed: int) -> list[str]:
    words = " ".join(choices).split()
    rng = random.Random(seed)
    made = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 6))) for _ in range(n)]
    typos = [w[:-1] + "s" for w in rng.sample(words, 50)]  # near words share no word with any alias
    return [utils.default_process(q) for q in made + typos] + choices[:100] + ["", "robbery robbery"]


@pytest.mark.parametrize("cutoff", [75.0, 85.0, 0.0])
def test_scored_with_the_index_is_scored_by_rapidfuzz(choices: list[str], cutoff: float) -> None:
    index = TokenSetIndex(choices)
    for q in _queries(choices, 400, seed=int(cutoff)):
        plain = scored(q, choices, fuzz.token_set_ratio, cutoff)
        assert scored(q, choices, fuzz.token_set_ratio, cutoff, index) == plain, q


def test_scored_is_process_extract_rounded(choices: list[str]) -> None:
    q = "recorded burglary offences in birmingham east"
    raw = process.extract(q, choices, scorer=fuzz.token_set_ratio, processor=None, limit=None, score_cutoff=75)
    assert [(c, round(s, 6), i) for c, s, i in raw] == scored(q, choices, fuzz.token_set_ratio, 75.0)
    assert raw, "the query should find something"


def test_the_linker_uses_the_index_cutoff(choices: list[str]) -> None:
    linker = get_linker()
    assert linker.ruler.scorer is fuzz.token_set_ratio
    assert linker.link("burglaries") == linker._link("burglaries", None, None, None, None)
    assert linker.threshold - POOL_MARGIN > 0

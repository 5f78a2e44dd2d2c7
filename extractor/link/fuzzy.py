"""``process.extract`` with rapidfuzz's ``token_set_ratio``, the same answers a few times faster.

The linker scores every phrase against every alias of the catalogue (about 850). Most
aliases share no word with the phrase, and for those ``token_set_ratio`` is plain ``ratio``
between the two strings' words, deduplicated, sorted and joined: no intersection leaves
only that comparison. So ``TokenSetIndex`` scores the aliases sharing a word with
``token_set_ratio`` itself and the rest with ``ratio`` on their word sets prepared once,
which is about ten times cheaper per alias. Scores, order and cutoff are those of
``process.extract(query, choices, scorer=fuzz.token_set_ratio, processor=None,
limit=None, score_cutoff=...)`` (``tests/test_fuzzy.py`` checks it against rapidfuzz).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz, process

__all__ = ["TokenSetIndex", "scored"]

DIGITS = 6  # scores are compared at this precision: the two ways of computing one differ at 1e-14


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class TokenSetIndex:
    """Choices (already processed: lower case, single spaces), ready to be scored by
    ``token_set_ratio`` against many queries."""

    def __init__(self, choices: Sequence[str]) -> None:
        self.choices = list(choices)
        words = [_words(c) for c in self.choices]
        self._sorted = [" ".join(sorted(w)) for w in words]
        self._by_word: dict[str, list[int]] = defaultdict(list)
        for i, ws in enumerate(words):
            for w in ws:
                self._by_word[w].append(i)
        self._wordless = frozenset(i for i, ws in enumerate(words) if not ws)

    def extract(self, query: str, score_cutoff: float = 0.0) -> list[tuple[str, float, int]]:
        """``(choice, score, index)`` for each choice scoring ``score_cutoff`` or more, best first
        (ties in the choices' order), as ``process.extract`` gives them (up to 1e-14: see
        ``scored``, which makes the two the same)."""
        qwords = _words(query)
        if not qwords:
            return []  # token_set_ratio is 0 for a query with no words
        shared = sorted({i for w in qwords for i in self._by_word.get(w, ())})
        found: dict[int, float] = {}
        if shared:
            for _c, score, k in process.extract(
                query,
                [self.choices[i] for i in shared],
                scorer=fuzz.token_set_ratio,
                processor=None,
                limit=None,
                score_cutoff=score_cutoff,
            ):
                found[shared[k]] = score
        skip = set(shared) | self._wordless
        for _c, score, i in process.extract(
            " ".join(sorted(qwords)),
            self._sorted,
            scorer=fuzz.ratio,
            processor=None,
            limit=None,
            score_cutoff=score_cutoff,
        ):
            if i not in skip:
                found[i] = score
        return [(self.choices[i], found[i], i) for i in sorted(found, key=lambda i: (-found[i], i))]


def scored(
    query: str, choices: Sequence[str], scorer: Any, score_cutoff: float, index: TokenSetIndex | None = None
) -> list[tuple[str, float, int]]:
    """``(choice, score, index)`` of the choices scoring ``score_cutoff`` or more (and more
    than 0, which is no likeness at all) with ``scorer``, best first, ties in the choices'
    order; scores rounded to ``DIGITS`` places, so the answer does not depend on which way
    it was computed. ``index`` (of the same choices) is used when the scorer is
    ``token_set_ratio``."""
    slack = max(0.0, score_cutoff - 10**-DIGITS)
    if index is not None and scorer is fuzz.token_set_ratio:
        found = index.extract(query, slack)
    else:
        found = process.extract(query, choices, scorer=scorer, processor=None, limit=None, score_cutoff=slack)
    out = [(c, round(score, DIGITS), i) for c, score, i in found]
    return sorted((x for x in out if x[1] >= score_cutoff and x[1] > 0), key=lambda x: (-x[1], x[2]))

"""Faster scans for the pattern files' regexes: a lookahead on the characters a match can start with.

Python's ``re`` tries a pattern at every position of a text. A pattern that opens with a
word boundary, a lookbehind or an alternation of words (most figure and period rules) gets
no help from ``re``'s own prefix search, so each position runs the pattern's first steps.
``gated`` puts ``(?=[...])`` in front, the set of characters any match can start with, read
from the parsed pattern: most positions then fail on one class test. The gate is always a
superset of the real first characters (case folded, categories such as ``\\d`` kept as
categories), so the pattern matches exactly what it matched before. A pattern whose first
character cannot be bounded (``.``, a negated class, a pattern that can match nothing) is
compiled as it is.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser ``re`` itself compiles with; private, so its absence only costs speed
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python without them
    _p = _c = None

__all__ = ["first_class", "gated"]

_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
}
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_ZERO_WIDTH = ("AT", "ASSERT", "ASSERT_NOT")
_GLOBAL_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")


class _Unbounded(Exception):
    """The first character of a match could be anything."""


def _char(code: int) -> str:
    return f"\\U{code:08x}"


def _in(items: list[tuple[Any, Any]]) -> list[str]:
    out = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(_char(av))
        elif name == "RANGE":
            out.append(f"{_char(av[0])}-{_char(av[1])}")
        elif name == "CATEGORY" and str(av) in _CATEGORIES:
            out.append(_CATEGORIES[str(av)])
        else:  # NEGATE, and categories of line breaks
            raise _Unbounded
    return out


def _first(seq: Any) -> tuple[list[str], bool]:
    """The class fragments a match of ``seq`` can start with, and whether it can match nothing."""
    found: list[str] = []
    for op, av in seq:
        parts, nullable = _item(str(op), av)
        found += parts
        if not nullable:
            return found, False
    return found, True


def _item(name: str, av: Any) -> tuple[list[str], bool]:
    if name == "LITERAL":
        return [_char(av)], False
    if name == "IN":
        return _in(av), False
    if name in _ZERO_WIDTH:
        return [], True
    if name == "SUBPATTERN":
        return _first(av[-1])
    if name == "ATOMIC_GROUP":
        return _first(av)
    if name == "BRANCH":
        found: list[str] = []
        nullable = False
        for branch in av[1]:
            parts, empty = _first(branch)
            found += parts
            nullable = nullable or empty
        return found, nullable
    if name in _REPEATS:
        low, _high, inner = av
        parts, empty = _first(inner)
        return parts, empty or low == 0
    raise _Unbounded  # ANY, NOT_LITERAL, group references, conditionals


def first_class(pattern: str, flags: int = 0) -> str | None:
    """A character class (``[...]``) holding every character a match of ``pattern`` can
    start with, or None when that cannot be bounded."""
    if _p is None:
        return None
    try:
        parts, nullable = _first(_p.parse(pattern, flags))
    except (_Unbounded, re.error, RecursionError):
        return None
    if nullable or not parts:
        return None
    return "[" + "".join(dict.fromkeys(parts)) + "]"


def gated(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, behind a lookahead on the characters a match starts with."""
    cls = first_class(pattern, flags)
    if cls is None:
        return re.compile(pattern, flags)
    lead = _GLOBAL_FLAGS.match(pattern)
    head = lead.group() if lead else ""
    return re.compile(f"{head}(?i:(?={cls}))(?:{pattern[len(head) :]})", flags)

"""Shares stated with their part and whole: "2,172 crimes, of which 63 (4%)".

A paper that gives a part, its share in brackets and the whole it is a share of lets a
reader recompute the share: 63 / 2,172 = 2.9%, not 4%. The wording is read from the
passage text with the expressions of ``patterns/shares.yml``:

* the whole after the share: "940 Taser users (55.6%) of the required 1691";
* the whole before a cue: "1,811 crimes reported. Of those 57 offences (3.1%)", where
  the whole is the last number before "of those" that is neither a percentage nor a year.

The stated share agrees when it is within the rounding of its last written place plus
what the rounding of the part and whole can move the result (``share``, info: verified);
otherwise ``share`` is a warning, or an error when it is more than
``arithmetic.LARGE_POINTS`` points off. A statement is checked only when at least one of
its figures is an observation, which the check then names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .arithmetic import gap_is_large
from .describe import Documents, number, where
from .model import Check
from .precision import EPSILON, tolerance

Row = dict[str, Any]
PATTERNS = Path(__file__).parent / "patterns" / "shares.yml"
LOOK_BACK = 300  # characters before a cue searched for the whole


@dataclass(frozen=True)
class Patterns:
    part_share: re.Pattern[str]
    whole_after: re.Pattern[str]
    whole_before_cue: re.Pattern[str]
    hedge_before: re.Pattern[str]
    not_a_whole: re.Pattern[str]
    share_heading: re.Pattern[str]
    total_row: re.Pattern[str]


@lru_cache(maxsize=1)
def patterns(path: Path = PATTERNS) -> Patterns:
    """The expressions of ``patterns/shares.yml``, compiled case-insensitively. A file that
    cannot be used raises ``PatternError`` naming the file, the line and the key."""
    from ..extract.vocabulary import PatternError

    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise PatternError(f"{path}: {error}") from None
    compiled: dict[str, re.Pattern[str]] = {}
    for name in Patterns.__dataclass_fields__:
        where = f"{path}:{_line_of(text, name)}: {name!r}"
        if not isinstance(data.get(name), str):
            raise PatternError(f"{where}: expected one regular expression (a string)")
        try:
            compiled[name] = re.compile(data[name], re.IGNORECASE)
        except re.error as error:
            raise PatternError(f"{where}: {error}") from None
    return Patterns(**compiled)


def _line_of(text: str, key: str) -> int:
    """The line of ``key:`` in a YAML file (1 when it is missing: the file as a whole)."""
    found = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text[: found.start()].count("\n") + 1 if found else 1


@dataclass(frozen=True)
class Statement:
    """A share statement found in a passage: the figures as written and their offsets in it."""

    part: str
    share: str
    whole: str
    spans: tuple[tuple[int, int], ...]  # part, share, whole
    hedged: bool = False

    def values(self) -> tuple[float, float, float]:
        return (_number(self.part), _number(self.share), _number(self.whole))


_NUMBER = re.compile(r"(?<![\d.,])\d(?:[\d,]*\d)?(?:\.\d+)?(?![\d,]*\.\d)")


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def share_statements(text: str) -> list[Statement]:
    """Every "part (share%) ... whole" statement in ``text``, in order."""
    p = patterns()
    found = []
    for match in p.part_share.finditer(text):
        whole = _whole_after(text, match.end()) or _whole_before(text, match.start())
        if whole is None:
            continue
        before = text[max(0, match.start() - 40) : match.start()]
        found.append(
            Statement(
                part=match.group("part"),
                share=match.group("share"),
                whole=text[whole[0] : whole[1]],
                spans=(match.span("part"), match.span("share"), whole),
                hedged=bool(p.hedge_before.search(before)),
            )
        )
    return found


def _whole_after(text: str, at: int) -> tuple[int, int] | None:
    match = patterns().whole_after.match(text, at)
    return match.span("whole") if match else None


def _whole_before(text: str, at: int) -> tuple[int, int] | None:
    cue = patterns().whole_before_cue.search(text[:at])
    if cue is None:
        return None
    start = max(0, cue.start() - LOOK_BACK)
    for match in reversed(list(_NUMBER.finditer(text, start, cue.start()))):
        after = text[match.end() : match.end() + 9].lstrip()
        if after.startswith("%") or after.lower().startswith("per cent") or after.startswith("-"):
            continue
        if patterns().not_a_whole.match(match.group()) and "," not in match.group():
            continue
        return match.span()
    return None


def share_checks(passage: Row, rows: list[Row], documents: Documents) -> list[Check]:
    """``share`` checks for one passage (a row of ``passages``) and the observations read from it."""
    text = str(passage.get("text") or "")
    offset = passage.get("char_start")
    if not text or not rows or not isinstance(offset, int):
        return []
    checks = []
    for statement in share_statements(text):
        named = _observations(statement, rows, offset)
        if named:
            check = _check(statement, named, passage, documents)
            if check is not None:
                checks.append(check)
    return checks


def _observations(statement: Statement, rows: list[Row], offset: int) -> list[Row | None]:
    """The observations at the part, share and whole (``None`` where none was read there)."""

    def at(span: tuple[int, int]) -> Row | None:
        start, end = span[0] + offset, span[1] + offset
        for row in rows:
            if int(row.get("char_start") or -1) < end and int(row.get("char_end") or -1) > start:
                return row
        return None

    found = [at(span) for span in statement.spans]
    return found if any(found) else []


def share_allowance(share: float, written: str, part: float, whole: float, *, hedged: bool = False) -> float:
    """How far a share written as ``written`` percent may be from part / whole * 100.

    Counts written as whole numbers are exact; a hedged part ("around 60 (4%)") is not.
    """
    t_share = tolerance({"value": share, "figure": f"{'about ' if hedged else ''}{written}%", "unit": "percent"})
    t_part = tolerance({"value": part, "figure": f"about {part:g}", "unit": "count"}) if hedged else 0.0
    return t_share + 100 * t_part / whole + EPSILON * max(1.0, share)


def _check(statement: Statement, named: list[Row | None], passage: Row, documents: Documents) -> Check | None:
    part, share, whole = statement.values()
    if whole <= 0 or part > whole:
        return None
    expected = part / whole * 100
    allowed = share_allowance(share, statement.share, part, whole, hedged=statement.hedged)
    first = next(r for r in [named[0], named[2], named[1]] if r is not None)
    place = where({**first, "paragraph": passage.get("paragraph"), "page": passage.get("page")}, documents)
    said = f'{place} states "{statement.part} ({statement.share}%)" of {statement.whole}'
    computed = number(expected, "percent", 2)
    agrees = abs(share - expected) <= allowed
    if agrees:
        message = f"Verified: {said}; {statement.part} of {statement.whole} is {computed}, which agrees."
        severity = "info"
    else:
        message = (
            f"{said}, but {statement.part} of {statement.whole} is {computed}, "
            "which the rounding of the figures does not explain."
        )
        severity = "error" if gap_is_large("percent", share, expected) else "warning"
    # the share is of the part's measure; the whole is another measure ("hate crimes" of "all crime")
    linked = next((r for r in named[:2] if r is not None and r.get("measure_id")), None) or {}
    return Check(
        type="share",
        severity=severity,
        measure_id=linked.get("measure_id"),
        measure=str(linked.get("measure") or linked.get("measure_id") or ""),
        observation_ids=[r["id"] for r in named if r is not None],
        message=message,
        stated=share,
        expected=expected,
        details={"part": part, "whole": whole, "share": share, "allowed_difference": round(allowed, 6)},
    )

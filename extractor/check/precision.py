"""How precisely a figure was stated: the tolerance its rounding allows.

"31%" covers 30.5 to 31.5 and "30.6%" covers 30.55 to 30.65, so the two agree. The
tolerance is half a unit of the last decimal place written in ``figure``, scaled to the
normalised ``value`` ("£3.2m" is 3,200,000 pounds, so its last place is £100,000).
Figures hedged with "about", "almost", "over" and the like get a wider allowance.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")
_HEDGE = re.compile(
    r"(?:\b(?:about|around|approx\w*|almost|nearly|circa|roughly|over|more than|less than|"
    r"under|just|up to|at least|some)\b|\bc\.|~)",
    re.IGNORECASE,
)
# Multipliers for the word after the last number, by the unit of the normalised value.
_WORD_TEXT: dict[str, list[tuple[str, float]]] = {
    "seconds": [
        (r"s(?:ec(?:ond)?s?)?", 1.0),
        (r"m(?:in(?:ute)?s?)?", 60.0),
        (r"h(?:(?:ou)?rs?)?", 3600.0),
        (r"days?", 86400.0),
    ],
    "days": [(r"days?", 1.0), (r"weeks?", 7.0)],
    "GBP": [(r"k|thousand", 1e3), (r"m|mn|million", 1e6), (r"bn?|billion", 1e9)],
    "count": [(r"k|thousand", 1e3), (r"m|mn|million", 1e6), (r"bn?|billion", 1e9)],
}
_WORDS = {unit: [(re.compile(rf"(?:{p})\b", re.IGNORECASE), f) for p, f in table] for unit, table in _WORD_TEXT.items()}
_SCALES = (1.0, 1e3, 1e6, 1e9, 60.0, 3600.0, 86400.0, 7.0)
EPSILON = 1e-9


def _decimals(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def _value_decimals(value: float) -> int:
    text = f"{abs(value):.6f}".rstrip("0")
    return len(text.split(".", 1)[1]) if "." in text else 0


def _scale(figure: str, match: re.Match[str], value: float, unit: str, single: bool) -> float:
    after = figure[match.end() :].lstrip(" ")
    for pattern, factor in _WORDS.get(unit, []):
        if pattern.match(after):
            return factor
    number = float(match.group().replace(",", ""))
    if single and number and value:
        ratio = abs(value) / number
        for scale in _SCALES:
            if abs(ratio - scale) <= 1e-6 * scale:
                return scale
    return 1.0


def last_place(row: dict[str, Any]) -> float:
    """One unit of the last decimal place written, in the units of ``value``."""
    return _last_place(str(row.get("figure") or ""), float(row.get("value") or 0.0), str(row.get("unit") or ""))


@lru_cache(maxsize=65536)
def _last_place(figure: str, value: float, unit: str) -> float:
    matches = list(_NUMBER.finditer(figure))
    if not matches:
        return 10.0 ** -_value_decimals(value)
    last = matches[-1]
    return 10.0 ** -_decimals(last.group()) * _scale(figure, last, value, unit, single=len(matches) == 1)


def tolerance(row: dict[str, Any]) -> float:
    """How far the true value may be from ``value`` given how the figure was written.

    A figure with an open ``bound`` ("over 2,000") is exact on its closed side: ``bounds``
    opens the other side, so its "over" is not also read as a hedge.
    """
    if row.get("bound") in ("at_least", "at_most"):
        return 0.5 * last_place(row)
    return _tolerance(
        str(row.get("figure") or ""),
        float(row.get("value") or 0.0),
        str(row.get("unit") or ""),
        bool(row.get("approximate")) or row.get("bound") == "approximate",
    )


@lru_cache(maxsize=65536)
def _tolerance(figure: str, value: float, unit: str, approximate: bool) -> float:
    half = 0.5 * _last_place(figure, value, unit)
    if approximate or _HEDGE.search(figure):
        return max(2 * half, 0.05 * abs(value))
    return half


def bounds(row: dict[str, Any]) -> tuple[float, float]:
    """The values a figure allows: its rounding interval, open-ended for "over" and "under".

    ``bound`` is the observation column: ``at_least`` ("over 2,000") allows anything from
    the figure up, ``at_most`` ("under 10 seconds") anything up to it.
    """
    value, reach = float(row["value"]), tolerance(row)
    low, high = value - reach, value + reach
    if row.get("bound") == "at_least":
        high = math.inf
    elif row.get("bound") == "at_most":
        low = -math.inf
    return low, high


def agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two figures can be the same number, given the rounding and bound of each."""
    va, vb = float(a["value"]), float(b["value"])
    if va == vb:
        return True
    (low_a, high_a), (low_b, high_b) = bounds(a), bounds(b)
    # Rounding intervals are half-open: "41" and "42" only touch, they do not overlap.
    slack = EPSILON * max(1.0, abs(va), abs(vb))
    return low_a < high_b - slack and low_b < high_a - slack


def relative_difference(a: float, b: float) -> float:
    """|a - b| as a share of the larger magnitude (0 when both are 0)."""
    top = max(abs(a), abs(b))
    return abs(a - b) / top if top else 0.0

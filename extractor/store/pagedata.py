"""What the served pages show of a measure, as plain data the build computes once: chart points, sparklines.

Pure functions, no database and no Datasette: the build (``summary.py``) stores their output in the
archive so that a page reads it with one indexed lookup, and ``datasette_plugins/charts.py`` re-exports
them for the pages and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from datetime import date
from typing import Any

from markupsafe import Markup, escape

FLAGGED = "flagged by a check"
UNFLAGGED = "no check raised"
QUOTE_CHARS = 160

ObservationUrl = Callable[[str], str] | None
PointKey = tuple[Any, str, str, float]


def shorten(text: str | None, limit: int = QUOTE_CHARS) -> str:
    """``text`` with whitespace runs collapsed, cut to ``limit`` characters with an ellipsis."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def format_value(value: float, unit: str | None = None) -> str:
    """A value as a reader writes it: 12,915; 57%; £3,200,000; 764 seconds."""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit == "percent":
        return number + "%"
    if unit == "GBP":
        return "£" + number
    if unit in ("seconds", "days"):
        return f"{number} {unit}"
    return number


def _paper(row: Mapping[str, Any]) -> str:
    title = row.get("document_title") or row.get("document_id") or "a paper"
    return f"{title} ({row['document_date']})" if row.get("document_date") else str(title)


def chart_points(
    rows: Iterable[Mapping[str, Any]], flagged: Container[str], observation_url: ObservationUrl = None
) -> list[dict[str, Any]]:
    """One chart datum per distinct figure: the same value, unit, kind and period stated by several
    papers is one point, whose tooltip lists every paper.

    ``rows`` carry ``id, value, unit, kind, figure, quote, period_end, period_text, document_title,
    document_date``. The date is ``period_end``, or the paper's date when the period is unknown
    (``dated_by`` says which). ``observation_url(id)`` links each point to its first figure; without
    it ``href`` is empty (the build stores points so, and the page adds its own links).
    """
    points: dict[PointKey, dict[str, Any]] = {}
    for row in rows:
        day = row.get("period_end") or row.get("document_date")
        if row.get("value") is None or not day:
            continue
        key = (row.get("unit"), row.get("kind") or "value", str(day)[:10], float(row["value"]))
        point = points.get(key)
        if point is None:
            point = points[key] = _new_point(row, str(day)[:10], observation_url)
        point["papers_list"].append(_paper(row))
        if row["id"] in flagged:
            point["check"] = FLAGGED
    for point in points.values():
        papers = list(dict.fromkeys(point.pop("papers_list")))
        point["papers"] = "; ".join(papers)
        point["paper_count"] = len(papers)
    return sorted(points.values(), key=lambda p: (p["date"], p["value"]))


def _new_point(row: Mapping[str, Any], day: str, observation_url: ObservationUrl) -> dict[str, Any]:
    unit = row.get("unit") or ""
    return {
        "id": row["id"],
        "date": day,
        "dated_by": "end of its period" if row.get("period_end") else "the paper's date (period unknown)",
        "value": row["value"],
        "shown": format_value(float(row["value"]), unit),
        "unit": unit,
        "kind": row.get("kind") or "value",
        "figure": row.get("figure") or "",
        "period": row.get("period_text") or "",
        "quote": shorten(row.get("quote")),
        "check": UNFLAGGED,
        "papers_list": [],
        "href": observation_url(row["id"]) if observation_url else "",
    }


# -- sparklines: a measure's levels in the index, drawn on the server as a small SVG ------------------
def sparkline_words(points: list[Any], unit: str | None) -> str:
    """What a sparkline shows, in words, for screen readers and its tooltip."""
    if not points:
        return "no levels over time"
    first, last = points[0], points[-1]
    start = f"{format_value(first[1], unit)} ({str(first[0])[:4]})"
    if len(points) == 1:
        return f"one level: {start}"
    return f"{start} to {format_value(last[1], unit)} ({str(last[0])[:4]}), {len(points)} periods"


def sparkline_svg(points: list[Any], *, label: str = "", width: int = 120, height: int = 28) -> Markup:
    """``[[iso_date, value], ...]`` as an inline SVG line, y from zero; empty when fewer than one point.

    x follows the dates (days since the first), so uneven gaps between periods show as gaps.
    """
    if not points:
        return Markup("")
    days = [_day_number(p[0]) for p in points]
    values = [float(p[1]) for p in points]
    low, high = min(0.0, min(values)), max(values)
    first = min(days)
    span_x, span_y = (max(days) - first) or 1, (high - low) or 1
    pad = 3
    xy = [
        (
            pad + (d - first) / span_x * (width - 2 * pad) if len(points) > 1 else width / 2,
            height - pad - (v - low) / span_y * (height - 2 * pad),
        )
        for d, v in zip(days, values, strict=True)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    last_x, last_y = xy[-1]
    return Markup(  # numbers only, and the label escaped
        f'<svg class="bp-spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><polyline points="{line}" fill="none" stroke="#1f5fa8" stroke-width="1.5"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.2" fill="#1f5fa8"/></svg>'
    )


def _day_number(iso: Any) -> int:
    try:
        return date.fromisoformat(str(iso)[:10]).toordinal()
    except ValueError:
        return 0

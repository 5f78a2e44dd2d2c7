"""Pure helpers: observation rows into the data and Vega-Lite spec of a measure's timeline.

No Datasette here, so the chart is unit-tested without a server (tests/test_plugins.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from markupsafe import Markup, escape

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
FLAGGED = "flagged by a check"
UNFLAGGED = "no check raised"
QUOTE_CHARS = 160


def flagged_observations(check_rows: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Observation id -> the messages of the checks naming it (``checks.observation_ids`` is a JSON list)."""
    flagged: dict[str, list[str]] = {}
    for row in check_rows:
        try:
            ids = json.loads(row.get("observation_ids") or "[]")
        except (TypeError, ValueError):
            continue
        if not isinstance(ids, list):
            continue
        for obs_id in ids:
            if isinstance(obs_id, str):
                flagged.setdefault(obs_id, []).append(str(row.get("message") or row.get("type") or "check"))
    return flagged


def shorten(text: str | None, limit: int = QUOTE_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


KIND_TITLES = {"change": "Changes", "target": "Targets"}
ZERO_BASED = {"count", "per_million", "per_1000", "GBP", "days", "seconds"}  # amounts: the axis starts at 0


def _paper(row: Mapping[str, Any]) -> str:
    title = row.get("document_title") or row.get("document_id") or "a paper"
    return f"{title} ({row['document_date']})" if row.get("document_date") else str(title)


def chart_points(
    rows: Iterable[Mapping[str, Any]], flagged: Mapping[str, Any], observation_url: Any = None
) -> list[dict[str, Any]]:
    """One chart datum per distinct figure: the same value, unit, kind and period stated by several
    papers is one point, whose tooltip lists every paper.

    ``rows`` carry ``id, value, unit, kind, figure, quote, period_end, period_text, document_title,
    document_date``. The date is ``period_end``, or the paper's date when the period is unknown
    (``dated_by`` says which). ``observation_url(id)`` links each point to its first figure.
    """
    points: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        date = row.get("period_end") or row.get("document_date")
        if row.get("value") is None or not date:
            continue
        key = (row.get("unit"), row.get("kind") or "value", str(date)[:10], float(row["value"]))
        point = points.get(key)
        if point is None:
            point = points[key] = _new_point(row, str(date)[:10], observation_url)
        point["papers_list"].append(_paper(row))
        if row["id"] in flagged:
            point["check"] = FLAGGED
    for point in points.values():
        papers = list(dict.fromkeys(point.pop("papers_list")))
        point["papers"] = "; ".join(papers)
        point["paper_count"] = len(papers)
    return sorted(points.values(), key=lambda p: (p["date"], p["value"]))


def _new_point(row: Mapping[str, Any], date: str, observation_url: Any) -> dict[str, Any]:
    unit = row.get("unit") or ""
    return {
        "id": row["id"],
        "date": date,
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


def panels(levels: list[dict[str, Any]], others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chart's panels, in order: levels, one per unit (most figures first); then changes and
    targets, one small panel per kind and unit. Each ``{title, unit, kind, points}``."""
    out = []
    for kind, points in (("value", levels), *((k, [p for p in others if p["kind"] == k]) for k in KIND_TITLES)):
        by_unit: dict[str, list[dict[str, Any]]] = {}
        for point in points:
            by_unit.setdefault(point["unit"], []).append(point)
        for unit, unit_points in sorted(by_unit.items(), key=lambda item: -len(item[1])):
            title = f"{KIND_TITLES[kind]}: {unit_words(unit).lower()}" if kind in KIND_TITLES else ""
            out.append({"title": title, "unit": unit, "kind": kind, "points": unit_points})
    if len([p for p in out if p["kind"] == "value"]) > 1:
        for panel in out:
            if panel["kind"] == "value":
                panel["title"] = f"Levels: {unit_words(panel['unit']).lower()}"
    return out


def year_domain(points: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The x domain: 1 January of the first year to 1 January after the last, so every year has its tick."""
    years = [int(p["date"][:4]) for p in points]
    first, last = (min(years), max(years)) if years else (2000, 2000)
    return [{"year": first, "month": 1, "date": 1, "utc": True}, {"year": last + 1, "month": 1, "date": 1, "utc": True}]


TOOLTIP = [
    {"field": "figure", "title": "Figure"},
    {"field": "period", "title": "Period"},
    {"field": "date", "title": "Date", "type": "temporal", "format": "%-d %b %Y", "formatType": "utc"},
    {"field": "papers", "title": "Paper(s)"},
    {"field": "quote", "title": "Quote"},
    {"field": "check", "title": "Checks"},
]


def _axes(panel: Mapping[str, Any], domain: list[dict[str, Any]], height: int) -> tuple[dict, dict]:
    x = {
        "field": "date",
        "type": "temporal",
        "title": None,
        "scale": {"type": "utc", "domain": domain},
        "axis": {
            "format": "%Y",
            "formatType": "utc",
            "tickCount": {"interval": "year", "step": 1},
            "labelOverlap": True,
            "labelSeparation": 6,
            "grid": True,
        },
    }
    y = {
        "field": "value",
        "type": "quantitative",
        "title": unit_words(panel["unit"]),
        "scale": {"zero": panel["unit"] in ZERO_BASED, "nice": True},
        "axis": {"tickCount": 4 if height < 120 else 6},
    }
    return x, y


def panel_spec(panel: Mapping[str, Any], domain: list[dict[str, Any]], *, width: int, height: int) -> dict[str, Any]:
    """One panel: a real time axis (each year once), the y axis titled with the unit in words, amounts from
    zero; levels joined by a line; a point per distinct figure, ringed red when a check flagged it."""
    x, y = _axes(panel, domain, height)
    colour = "#1f5fa8" if panel["kind"] == "value" else "#6b7785"
    points = {
        "mark": {"type": "point", "filled": True, "size": 70, "color": colour, "cursor": "pointer", "opacity": 1},
        "encoding": {"x": x, "y": y, "tooltip": TOOLTIP, "href": {"field": "href"}},
    }
    rings = {
        "transform": [{"filter": {"field": "check", "equal": FLAGGED}}],
        "mark": {"type": "point", "filled": False, "size": 260, "strokeWidth": 2, "color": "#c00"},
        "encoding": {"x": x, "y": y, "tooltip": TOOLTIP, "href": {"field": "href"}},
    }
    layer: list[dict[str, Any]] = [points, rings]
    if panel["kind"] == "value":
        layer.insert(0, {"mark": {"type": "line", "color": colour, "strokeWidth": 1.5}, "encoding": {"x": x, "y": y}})
    spec: dict[str, Any] = {"data": {"values": panel["points"]}, "width": width, "height": height, "layer": layer}
    if panel["title"]:
        spec["title"] = {"text": panel["title"], "anchor": "start", "fontSize": 13}
    return spec


def timeline_spec(
    levels: list[dict[str, Any]],
    others: Iterable[dict[str, Any]] = (),
    *,
    title: str = "",
    width: int = 640,
    draw_others: bool = True,
) -> dict[str, Any]:
    """A Vega-Lite spec: the levels panel(s) and, when ``others`` are given and ``draw_others``, small panels
    for the changes and targets. Panels stack one above the other, each with its own dated x axis over the
    years of every figure given (drawn or not), so panels added later line up; the page sets ``width``
    to its own (``timeline.js``)."""
    others = list(others)
    domain = year_domain([*levels, *others])
    stacked = [
        panel_spec(p, domain, width=width, height=180 if p["kind"] == "value" else 90)
        for p in panels(levels, others if draw_others else [])
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": f"{title} over time" if title else "Figures over time",
        "vconcat": stacked,
        "spacing": 24,
        "config": {"view": {"stroke": "#ddd"}, "axis": {"labelFontSize": 12, "titleFontSize": 12}},
    }


def added_panels(levels: list[dict[str, Any]], others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The panels ``timeline_spec(levels, others)`` has beyond ``timeline_spec(levels, others, draw_others=False)``:
    the page sends them apart, so that the levels' points are sent once."""
    every = timeline_spec(levels, others)["vconcat"]
    return every[len(timeline_spec(levels, others, draw_others=False)["vconcat"]) :]


def spec_json(spec: Mapping[str, Any]) -> str:
    """JSON safe to put inside a ``<script type="application/json">``: no ``<``, ``>`` or ``&`` left raw."""
    return (
        json.dumps(spec, ensure_ascii=False, default=str)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# -- sparklines: a measure's levels in the index, drawn on the server as a small SVG ------------------
UNIT_WORDS = {
    "count": "Number",
    "percent": "Per cent",
    "seconds": "Time in seconds",
    "days": "Days",
    "GBP": "Pounds (£)",
    "per_million": "Per million people",
    "per_1000": "Per 1,000 people",
    "rank": "Rank",
    "ratio": "Ratio",
    "other": "Value",
}


def unit_words(unit: str | None) -> str:
    """A unit as an axis title a reader understands: ``per_million`` is "Per million people"."""
    return UNIT_WORDS.get(unit or "", (unit or "value").replace("_", " ").capitalize())


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


def sparkline_words(points: list, unit: str | None) -> str:
    """What a sparkline shows, in words, for screen readers and its tooltip."""
    if not points:
        return "no levels over time"
    first, last = points[0], points[-1]
    start = f"{format_value(first[1], unit)} ({str(first[0])[:4]})"
    if len(points) == 1:
        return f"one level: {start}"
    return f"{start} to {format_value(last[1], unit)} ({str(last[0])[:4]}), {len(points)} periods"


def sparkline_svg(points: list, *, label: str = "", width: int = 120, height: int = 28) -> Markup:
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

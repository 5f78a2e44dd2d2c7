"""Pure helpers: observation rows into the data and Vega-Lite spec of a measure's timeline.

No Datasette here, so the chart is unit-tested without a server (tests/test_plugins.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
FLAGGED = "flagged by a check"
UNFLAGGED = "no check raised"
QUOTE_CHARS = 240


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


def series_name(unit: str | None, kind: str | None) -> str:
    return f"{unit or 'unknown unit'} ({kind or 'value'})"


def shorten(text: str | None, limit: int = QUOTE_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def timeline_data(
    rows: Iterable[Mapping[str, Any]], flagged: Mapping[str, list[str]], observation_url: Any = None
) -> list[dict[str, Any]]:
    """One chart datum per observation with a number and a date.

    ``rows`` carry ``id, value, unit, kind, figure, quote, period_end, period_text, document_title,
    document_date, page``. The date is ``period_end``, or the paper's date when the period is unknown
    (``date_source`` says which). ``observation_url(id)`` makes each point's link.
    """
    data = []
    for row in rows:
        date = row.get("period_end") or row.get("document_date")
        if row.get("value") is None or not date:
            continue
        obs_id = row["id"]
        data.append(
            {
                "id": obs_id,
                "date": str(date)[:10],
                "date_source": "period end" if row.get("period_end") else "paper date (period unknown)",
                "value": row["value"],
                "unit": row.get("unit") or "",
                "kind": row.get("kind") or "",
                "series": series_name(row.get("unit"), row.get("kind")),
                "figure": row.get("figure") or "",
                "period": row.get("period_text") or "",
                "quote": shorten(row.get("quote")),
                "paper": row.get("document_title") or row.get("document_id") or "",
                "paper_date": row.get("document_date") or "",
                "page": row.get("page"),
                "check": FLAGGED if obs_id in flagged else UNFLAGGED,
                "check_message": shorten("; ".join(flagged.get(obs_id, [])), 160),
                "href": observation_url(obs_id) if observation_url else "",
            }
        )
    return data


def timeline_spec(
    data: list[dict[str, Any]], *, title: str = "", width: int = 640, height: int = 130
) -> dict[str, Any]:
    """A Vega-Lite spec: one row of the facet per unit and kind, points coloured by paper,
    figures flagged by a check drawn as a red ring and a diamond, clicking a point opens its observation."""
    tooltip = [
        {"field": "figure", "title": "Figure"},
        {"field": "value", "title": "Value", "type": "quantitative"},
        {"field": "unit", "title": "Unit"},
        {"field": "kind", "title": "Kind"},
        {"field": "date", "title": "Date", "type": "temporal", "format": "%-d %b %Y"},
        {"field": "date_source", "title": "Dated by"},
        {"field": "period", "title": "Period"},
        {"field": "paper", "title": "Paper"},
        {"field": "page", "title": "Page"},
        {"field": "quote", "title": "Quote"},
        {"field": "check_message", "title": "Check"},
    ]
    x = {"field": "date", "type": "temporal", "title": "Period end (or paper date)", "axis": {"format": "%Y"}}
    y = {"field": "value", "type": "quantitative", "title": None, "scale": {"zero": False}}
    layer = [
        {
            "mark": {"type": "point", "filled": True, "size": 90, "cursor": "pointer"},
            "encoding": {
                "x": x,
                "y": y,
                "color": {
                    "field": "paper",
                    "type": "nominal",
                    "title": "Paper",
                    "legend": {"orient": "bottom", "columns": 1, "labelLimit": 600},
                },
                "shape": {
                    "field": "check",
                    "type": "nominal",
                    "title": "Checks",
                    "scale": {"domain": [UNFLAGGED, FLAGGED], "range": ["circle", "diamond"]},
                    "legend": {"orient": "bottom"},
                },
                "tooltip": tooltip,
                "href": {"field": "href"},
            },
        },
        {
            "transform": [{"filter": {"field": "check", "equal": FLAGGED}}],
            "mark": {"type": "point", "filled": False, "size": 380, "strokeWidth": 2, "color": "#c00"},
            "encoding": {"x": x, "y": y, "tooltip": tooltip, "href": {"field": "href"}},
        },
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": f"Figures for {title} over time, one chart per unit and kind" if title else "Figures over time",
        "data": {"values": data},
        "facet": {
            "row": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "header": {
                    "labelAngle": 0,
                    "labelAlign": "left",
                    "labelAnchor": "start",
                    "labelFontWeight": "bold",
                    "labelOrient": "top",
                },
            }
        },
        "spec": {"width": width, "height": height, "layer": layer},
        "resolve": {"scale": {"y": "independent", "x": "shared"}},
        "config": {"view": {"stroke": "#ddd"}},
    }


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
    span_x, span_y = (max(days) - min(days)) or 1, (high - low) or 1
    pad = 3
    xy = [
        (
            pad + (d - min(days)) / span_x * (width - 2 * pad) if len(points) > 1 else width / 2,
            height - pad - (v - low) / span_y * (height - 2 * pad),
        )
        for d, v in zip(days, values, strict=True)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    last_x, last_y = xy[-1]
    return Markup(
        '<svg class="bp-spark" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
        '<polyline points="{line}" fill="none" stroke="#1f5fa8" stroke-width="1.5"/>'
        '<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="#1f5fa8"/></svg>'
    ).format(w=width, h=height, label=label, line=line, x=last_x, y=last_y)


def _day_number(iso: Any) -> int:
    from datetime import date

    try:
        return date.fromisoformat(str(iso)[:10]).toordinal()
    except ValueError:
        return 0

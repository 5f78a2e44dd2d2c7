"""Pure helpers: observation rows into the data and Vega-Lite spec of a measure's timeline.

No Datasette here, so the chart is unit-tested without a server (tests/test_plugins.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

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

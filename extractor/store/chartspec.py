"""A measure's chart as a Vega-Lite spec: panels, axes and tooltips, and the spec as the build stores it.

Pure functions, no database and no Datasette: the build (``summary.py``) stores each measure's spec
as JSON so that its page sends it without building it again, and ``datasette_plugins/charts.py``
re-exports them for the pages (an archive built without stored specs) and the tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .pagedata import FLAGGED

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"

KIND_TITLES = {"change": "Changes", "target": "Targets"}
ZERO_BASED = {"count", "per_million", "per_1000", "GBP", "days", "seconds"}  # amounts: the axis starts at 0


def panels(levels: list[dict[str, Any]], others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chart's panels, in order: levels, one per unit (most figures first); then changes and
    targets, one small panel per kind and unit. Each ``{title, unit, kind, points}``."""
    out: list[dict[str, Any]] = []
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


def _axes(panel: Mapping[str, Any], domain: list[dict[str, Any]], height: int) -> tuple[dict[str, Any], dict[str, Any]]:
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


def split_spec(
    levels: list[dict[str, Any]], others: list[dict[str, Any]], title: str = ""
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The spec of the levels (``draw_others=False``), and the panels ``timeline_spec(levels, others)``
    has beyond it: the page sends them apart, so that the levels' points are sent once."""
    every: list[dict[str, Any]] = timeline_spec(levels, others, title=title)["vconcat"]
    drawn = timeline_spec(levels, others, title=title, draw_others=False)
    return drawn, every[len(drawn["vconcat"]) :]


def added_panels(levels: list[dict[str, Any]], others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The panels of the changes and targets the page adds to the levels' spec (``split_spec``)."""
    return split_spec(levels, others)[1]


def spec_json(spec: Any) -> str:
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


# -- the spec as stored: its points' links left for the page to make ---------------------------------
LINK = "\x00"  # stands for the observations table's URL in a stored spec (paper text holds none: see stored_chart)
_STORED_LINK = json.dumps(LINK)[1:-1]  # how it reads in the stored JSON
_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]+")  # ids the URL takes as they are (content ids are hex)


def _linkable(point: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v.replace(LINK, "") if isinstance(v, str) else v for k, v in point.items()}
    obs_id = str(point["id"])
    if not _PLAIN_ID.fullmatch(obs_id):
        from datasette.utils import tilde_encode

        obs_id = tilde_encode(obs_id)
    out["href"] = LINK + obs_id
    return out


def stored_chart(levels: list[dict[str, Any]], others: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """The chart of a measure's page as the build stores it: the spec of its levels and the panels its
    changes and targets add (sent apart, so each point is sent once), as ``spec_json``, each point's
    link ``LINK`` + its id (``linked`` makes it the page's); the units in words; how many points."""
    levels, others = [_linkable(p) for p in levels], [_linkable(p) for p in others]
    drawn, added = split_spec(levels, others, title)
    return {
        "chart_spec": spec_json(drawn),
        "chart_spec_added": spec_json(added) if others else None,
        "chart_units": json.dumps([unit_words(u) for u in dict.fromkeys(p["unit"] for p in levels)]),
        "chart_point_count": len(levels),
        "chart_other_count": len(others),
    }


def linked(stored: str, observations_url: str) -> str:
    """A stored spec with each point linked to its figure's page under ``observations_url``."""
    return stored.replace(_STORED_LINK, spec_json(observations_url)[1:-1])

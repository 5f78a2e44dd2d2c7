"""Pure helpers: observation rows into the data and Vega-Lite spec of a measure's timeline (the spec's
parts live in ``extractor/store/chartspec.py``, which the build uses to store each measure's).

No Datasette here, so the chart is unit-tested without a server (tests/test_plugins.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from extractor.store.chartspec import (  # noqa: F401  (the pages' and tests' names for them)
    KIND_TITLES,
    TOOLTIP,
    UNIT_WORDS,
    VEGA_LITE_SCHEMA,
    ZERO_BASED,
    added_panels,
    panel_spec,
    panels,
    spec_json,
    timeline_spec,
    unit_words,
    year_domain,
)
from extractor.store.pagedata import (  # noqa: F401  (the pages' and tests' names for them)
    FLAGGED,
    QUOTE_CHARS,
    UNFLAGGED,
    chart_points,
    format_value,
    shorten,
    sparkline_svg,
    sparkline_words,
)


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

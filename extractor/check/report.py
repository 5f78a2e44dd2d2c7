"""The text report of checks, grouped by measure, for ``boardpapers check``."""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict

from .model import SEVERITIES, Check

_MARK = {"error": "ERROR", "warning": "WARNING", "info": "info"}
_QUIET = {"verified": "checked", "curation": "check link", "note": "info"}  # marks of the checks never flagged


def summary(checks: list[Check]) -> str:
    """ "3 errors, 1 warning and 12 notes (16 checks)": the errors and warnings are the disagreements;
    notes are the verifications, things worth knowing and links to check."""
    counts = Counter(c.severity for c in checks)
    parts = [
        f"{counts['error']} error{'s' * (counts['error'] != 1)}",
        f"{counts['warning']} warning{'s' * (counts['warning'] != 1)}",
        f"{counts['info']} note{'s' * (counts['info'] != 1)}",
    ]
    return f"{parts[0]}, {parts[1]} and {parts[2]} ({len(checks)} check{'s' * (len(checks) != 1)})"


def format_report(checks: list[Check], min_severity: str = "info", width: int = 88) -> str:
    """Checks grouped by measure, most severe first within each measure, then a summary line."""
    floor = SEVERITIES.index(min_severity)
    shown = [c for c in checks if SEVERITIES.index(c.severity) >= floor]
    groups: dict[str, list[Check]] = defaultdict(list)
    for check in shown:
        groups[check.measure or check.measure_id or "(no measure)"].append(check)
    lines: list[str] = []
    for measure in sorted(groups, key=str.casefold):
        group = sorted(groups[measure], key=lambda c: (-SEVERITIES.index(c.severity), c.type, c.id))
        lines.append(measure)
        lines.append("-" * min(len(measure), width))
        for c in group:
            mark = _MARK[c.severity] if c.outcome == "disagreement" else _QUIET[c.outcome]
            head = f"  {mark} [{c.type}] "
            body = textwrap.wrap(c.message, width=width - len(head)) or [""]
            lines.append(head + body[0])
            lines.extend(" " * len(head) + more for more in body[1:])
        lines.append("")
    lines.append(summary(shown) if shown else "No checks to report.")
    return "\n".join(lines) + "\n"

"""The ``Check`` record: one finding of the scrutiny checks, one row of ``checks``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..models import content_id

CHECK_TYPES = (
    "conflict",
    "near_conflict",
    "restatement",
    "baseline_change",
    "arithmetic",
    "percentage_points",
    "share",
    "outlier",
)
SEVERITIES = ("info", "warning", "error")
# What a check tells a reader, from its type and severity (``outcome``):
# a disagreement is flagged; a verification is a quiet "checked" mark; a note is worth
# knowing (figures of nearly the same period, a breakdown paired by nearest value); a
# curation item asks whether a figure is filed under the right measure.
OUTCOMES = ("disagreement", "verified", "note", "curation")
VERIFYING_TYPES = ("arithmetic", "share")


def outcome(check_type: str, severity: str) -> str:
    """``disagreement`` for warnings and errors, else ``verified``, ``curation`` or ``note``."""
    if severity in ("warning", "error"):
        return "disagreement"
    if check_type in VERIFYING_TYPES:
        return "verified"
    if check_type == "outlier":
        return "curation"
    return "note"


@dataclass
class Check:
    """A finding about one or more observations.

    ``id`` is derived from ``type`` and the sorted observation ids, so a re-run over the
    same observations gives the same ids. ``stated`` is the figure a paper gives and
    ``expected`` what the other figures imply, where the check computes one.
    """

    type: str
    severity: str
    measure_id: str | None
    measure: str
    observation_ids: list[str]
    message: str
    stated: float | None = None
    expected: float | None = None
    details: dict[str, Any] | None = None
    id: str = field(default="")

    def __post_init__(self) -> None:
        if self.type not in CHECK_TYPES:
            raise ValueError(f"check type {self.type!r} is not one of {CHECK_TYPES}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {SEVERITIES}")
        if not self.observation_ids:
            raise ValueError("a check must name at least one observation")
        self.observation_ids = sorted(set(self.observation_ids))
        if not self.id:
            self.id = content_id(self.type, *self.observation_ids)

    @property
    def outcome(self) -> str:
        """``disagreement``, ``verified``, ``note`` or ``curation`` (see ``OUTCOMES``)."""
        return outcome(self.type, self.severity)

    def to_row(self) -> dict[str, Any]:
        """The row for the ``checks`` table; lists and details are JSON text."""
        return {
            "id": self.id,
            "type": self.type,
            "measure_id": self.measure_id,
            "measure": self.measure,
            "severity": self.severity,
            "outcome": self.outcome,
            "message": self.message,
            "observation_ids": json.dumps(self.observation_ids),
            "stated": self.stated,
            "expected": self.expected,
            "details": None if self.details is None else json.dumps(self.details, sort_keys=True),
        }

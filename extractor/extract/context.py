"""What carries from one passage of a paper to the next, as one frozen value.

The driver threads a ``PaperContext`` through the passages; every change goes through
``advance``, which also keeps the anchors of relative periods in step with the period
the paper stated last.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..models import evolve
from .periods import is_recent

Period = tuple[str, str]


@dataclass(frozen=True)
class PaperContext:
    """The reading state of a paper between passages and sentences."""

    reference: date | None  # the paper's meeting date
    current: Period | None = None  # the reporting period stated last
    current_text: str | None = None
    topic: str = ""  # the topic of the last passage that stated one
    section_topic: str = ""  # the section's topic: its heading, or a goal stated under it
    last_prose: str = ""  # the text of the last prose passage (a table's context)
    section_current: Period | None = None  # what relative periods ("same period last year") count from
    latest: Period | None = None  # the recent period stated last that ends by the paper's date
    furthest: Period | None = None  # the recent period stated so far that ends latest
    antecedent: str = ""  # what the last sentence naming a population named
    grade: str = ""  # the grade the section's last passage naming one named ("2" of "P2")
    baseline: Period | None = None  # the baseline period stated last
    passage_grade: str = ""  # the grade the passage being read refers back to
    passage_topic: str = ""  # the first topic the passage being read states
    previous_phrase: str = ""  # the phrase of the first figure of the sentence before
    # the period a line says the whole paper covers ("* Data covers ..."): each passage
    # starts from it (or from its section heading's period) again, as a period a passage
    # states is its own ("unless stated")
    statement: Period | None = None
    statement_text: str | None = None


def advance(ctx: PaperContext, **changes: Any) -> PaperContext:
    """``ctx`` with ``changes``. A new ``current`` period moves the anchors: relative periods
    count from it; forms of the latest data ("the last 12 months", "Q2") too when it is
    recent and ends by the paper's date."""
    new = evolve(ctx, **changes)
    if "current" not in changes:
        return new
    cur = new.current
    latest, furthest = new.latest, new.furthest
    ref = new.reference
    if cur and is_recent(cur, ref) and (ref is None or cur[1] <= ref.isoformat()):
        latest = cur
        if furthest is None or cur[1] > furthest[1]:
            furthest = cur
    return evolve(new, section_current=cur, latest=latest, furthest=furthest)

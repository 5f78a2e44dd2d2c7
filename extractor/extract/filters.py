"""Precision rules: numbers that look like figures but are not measurements.

The figure patterns already block dates, URLs, grades and label numbers; these rules
need the words around a figure: years written alone, spelled-out numbers that count
no measured thing, paragraph numbers, fixed sets ("all 43 forces"), examples ("e.g.").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Figure

# Where the word lists of cues.yml sit around a figure (read as cues.around(list, TEMPLATE)):
# "in 2023", "financial year 2023": a word right before a number that makes it a year (year_lead_words)
YEAR_BEFORE = r"\b(?:{words})\W*$"
PLURAL_NOUN = re.compile(r"^\s+([a-z][a-z'’-]*s)\b")
NUMBERED_START = re.compile(r"^\s*[-–•]?\s*\(?\d{1,3}(?:\.\d{1,2})?[.,)]\s")
ALL_OF = r"\b(?:{words})\s*$"  # "all 43 forces": a set's size (set_quantifiers)
EXAMPLE = r"\b(?:{words})\W"  # "e.g. 3 officers": an example (example_words)
QUOTED_AFTER = re.compile(r"^\s+(?:\w+\s+)?['‘\"“]")

if TYPE_CHECKING:
    from .vocabulary import Cues


def is_year(fig: Figure, text: str, cues: Cues) -> bool:
    """A bare four-digit 1900-2099 that names a year rather than counting things."""
    if fig.unit != "count" or fig.signed or not re.fullmatch(r"(?:19|20)\d\d", fig.text):
        return False
    before, after = text[: fig.start], text[fig.end :]
    if cues.around("year_lead_words", YEAR_BEFORE).search(before[-25:]):
        return True
    m = PLURAL_NOUN.match(after)
    return not (m and m.group(1).lower() not in ("years", "results", "levels"))


def counts_nothing(fig: Figure, text: str, cues: Cues) -> bool:
    """A spelled-out number that is not followed by a counted noun ("three deployments")."""
    if not (fig.spelled and fig.unit == "count"):
        return False
    before = re.sub(r"\s+by\s*$", " ", text[max(0, fig.start - 30) : fig.start])
    if cues.cue("change_verbs", anchored="end").search(before):
        return False  # "numbers rose by four hundred": the size of a change
    after = text[fig.end : fig.end + 40]
    nouns = cues.cue("counted_nouns", anchored="start")
    for skip in range(3):  # "six young lives": up to two words before the noun
        m = re.match(r"^\s+(?:[a-z-]+\s+){" + str(skip) + "}", after)
        if m and nouns.match(" " + after[m.end() :]):
            return False
    return not nouns.match(after)


def is_denominator(fig: Figure, text: str) -> bool:
    """ "per 1,000 residents": the base of a rate, not a figure."""
    return bool(re.search(r"\bper\s*$", text[max(0, fig.start - 6) : fig.start], re.IGNORECASE))


def is_set_size(fig: Figure, text: str, cues: Cues) -> bool:
    """ "all 43 Police Forces", "18 new 'Recorded Crime Outcomes'", "the 10 LPUs"."""
    if fig.unit != "count" or fig.signed:
        return False
    before, after = text[: fig.start], text[fig.end : fig.end + 40]
    if cues.around("set_quantifiers", ALL_OF).search(before[-20:]) or QUOTED_AFTER.match(after):
        return True
    nouns = cues.cue("set_nouns", anchored="start")
    return bool(nouns.match(after) or nouns.match(re.sub(r"^\s+[A-Za-z][\w-]*", "", after)))


def is_paragraph_number(fig: Figure, text: str) -> bool:
    m = NUMBERED_START.match(text)
    return m is not None and fig.start < m.end() and fig.unit == "count"


def in_example(fig: Figure, text: str, cues: Cues) -> bool:
    return bool(cues.around("example_words", EXAMPLE).search(text[max(0, fig.start - 20) : fig.start]))


def is_list_marker(fig: Figure, text: str) -> bool:
    """ "(1)" or "1)" numbering a list item."""
    before, after = text[: fig.start], text[fig.end :]
    lead = before[:-1] if before.endswith("(") else before
    return (
        fig.unit == "count"
        and not fig.signed
        and after.startswith(")")
        and float(fig.value).is_integer()
        and fig.value < 30
        and (not lead.strip() or lead.rstrip()[-1:] in ".:;")
    )


# "a 15-minute target": a duration that is still a measure (duration_measure_nouns)
ADJECTIVAL_OK = r"^\s+(?:{words})\b"


def is_adjectival_duration(fig: Figure, text: str, cues: Cues) -> bool:
    """ "12-hour shifts", "a 30-minute patrol": a duration naming a kind of thing, not a measure."""
    if fig.label != "duration" or not re.search(r"\d\s*-\s*[a-z]", fig.text, re.IGNORECASE):
        return False
    after = text[fig.end : fig.end + 30]
    return bool(re.match(r"^\s+[a-z]", after)) and not cues.around("duration_measure_nouns", ADJECTIVAL_OK).match(after)


FOOTNOTE_MARK = re.compile(r"(?:^|[.!?]\s+)(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[\d{1,2}\])\s*[A-Z]")


def is_footnote_number(fig: Figure, text: str) -> bool:
    """ "3 Shoplifting figures exclude ...": a footnote's number at the start of a footnote
    line, in a block of footnotes (one of them marked "¹" or "[4]")."""
    if fig.unit != "count" or fig.signed or fig.spelled or not re.fullmatch(r"\d{1,2}", fig.text):
        return False
    before = text[: fig.start].rstrip()
    if before and before[-1] not in ".!?":
        return False
    return bool(re.match(r"\s+[A-Z][a-z]", text[fig.end :])) and bool(FOOTNOTE_MARK.search(text))


def is_ordinal_second(fig: Figure, text: str) -> bool:
    """ "for a second year": the ordinal "second", not a duration of one second."""
    return fig.label == "duration" and bool(re.fullmatch(r"(?i)an?\s*-?\s*seconds?", fig.text))


def not_a_measure(fig: Figure, text: str, cues: Cues) -> bool:
    """Whether the figure at ``fig`` in ``text`` (a passage's text) is not a measurement;
    ``cues`` are the board's cue words (``Vocabulary.cues``)."""
    return (
        is_paragraph_number(fig, text)
        or is_year(fig, text, cues)
        or counts_nothing(fig, text, cues)
        or is_set_size(fig, text, cues)
        or is_denominator(fig, text)
        or in_example(fig, text, cues)
        or is_list_marker(fig, text)
        or is_adjectival_duration(fig, text, cues)
        or is_footnote_number(fig, text)
        or is_ordinal_second(fig, text)
    )

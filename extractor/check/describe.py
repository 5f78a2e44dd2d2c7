"""Plain-English pieces of check messages: where a figure was read, and numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

from .periods import row_period_label

Documents = dict[str, dict[str, Any]]


def document_date(documents: Documents, document_id: str) -> date | None:
    text = (documents.get(document_id) or {}).get("date")
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def document_title(documents: Documents, document_id: str) -> str:
    return str((documents.get(document_id) or {}).get("title") or document_id)


def where(row: dict[str, Any], documents: Documents) -> str:
    """ "'Title' (27 Feb 2024, page 3, paragraph 7)": the paper and the place in it."""
    doc_id = str(row.get("document_id") or "")
    parts: list[str] = []
    day = document_date(documents, doc_id)
    if day is not None:
        parts.append(f"{day.day} {day.strftime('%b %Y')}")
    if row.get("page") is not None:
        parts.append(f"page {row['page']}")
    if row.get("paragraph") not in (None, ""):
        parts.append(f"paragraph {row['paragraph']}")
    place = f" ({', '.join(parts)})" if parts else ""
    return f"'{document_title(documents, doc_id)}'{place}"


def number(value: float, unit: str | None, decimals: int = 1) -> str:
    """A computed value written for people: 31.1%, 12,915, £3,200,000, 1 minute 20 seconds."""
    if unit == "seconds":
        return duration(value)
    rounded = round(value, decimals)
    text = f"{rounded:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{rounded:,.0f}"
    if text in ("-0", ""):
        text = "0"
    if unit == "percent":
        return f"{text}%"
    if unit == "GBP":
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    if unit == "days":
        return f"{text} days"
    return text


def duration(seconds: float) -> str:
    sign = "minus " if seconds < 0 else ""
    total = round(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    for amount, name in ((hours, "hour"), (minutes, "minute"), (secs, "second")):
        if amount:
            parts.append(f"{amount} {name}{'' if amount == 1 else 's'}")
    return sign + (" ".join(parts) or "0 seconds")


def figure(row: dict[str, Any]) -> str:
    """The figure as the paper wrote it, or the value when the figure is missing."""
    text = str(row.get("figure") or "").strip()
    return text or number(float(row["value"]), row.get("unit"))


def subject(row: dict[str, Any]) -> str:
    """ "Homicides for Nov 2022 – Oct 2023" """
    measure = str(row.get("measure") or row.get("measure_id") or "This measure")
    return f"{measure[:1].upper()}{measure[1:]} for {row_period_label(row)}"


def signed_change(value: float, change_type: str | None, unit: str | None) -> str:
    if change_type == "percent":
        text = number(value, "percent", 2)
    elif change_type == "points":
        text = f"{number(value, None, 2)} percentage points"
    else:
        text = number(value, unit, 2)
    return text if text.startswith("-") or text.startswith("minus") else f"+{text}"

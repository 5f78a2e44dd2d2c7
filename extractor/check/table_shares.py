"""Shares in tables: a "%" column beside a column of counts, checked against the column's total.

A table such as

    ========  =========  ===  =========  ====
    religion  2012-13 No.  %  2013-14 No.  %
    ========  =========  ===  =========  ====
    Islam     18         32%  27         43%
    Hinduism  2          4%   2          4.8%
    ========  =========  ===  =========  ====

states each row's share of its column: 2 of the 2013-14 column's 62 is 3.2%, not 4.8%.
The share heading and the total row's label are expressions of ``patterns/shares.yml``;
the whole is the row labelled as the total when there is one, else the sum of the rows.
A column whose shares all agree gives one ``share`` check (info: verified); each row that
does not gives its own (a warning, or an error more than a point off). Rows are the
``passages`` of kind ``table_row`` of one paper sharing one header; a table needs
``MIN_ROWS`` rows of counts and shares to be checked.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .arithmetic import gap_is_large
from .describe import Documents, document_title, number
from .model import Check
from .shares import patterns, share_allowance

Row = dict[str, Any]
MIN_ROWS = 3
_COUNT = re.compile(r"^\d(?:[\d,]*\d)?$")
_SHARE = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")


@dataclass(frozen=True)
class Line:
    """One table row's count and share in a column pair, and the observations read there."""

    label: str
    count: float
    share: float
    written: str
    ids: tuple[str, ...]


def _cells(value: Any) -> list[str] | None:
    found = json.loads(value) if isinstance(value, str) else value
    return [str(c or "").strip() for c in found] if isinstance(found, list) else None


def tables(passages: list[Row]) -> list[list[Row]]:
    """The table rows of each table: ``table_row`` passages of one paper with one header, in order."""
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for passage in passages:
        if passage.get("kind") == "table_row" and passage.get("header") and passage.get("cells"):
            groups[(str(passage.get("document_id")), str(passage["header"]))].append(passage)
    return [sorted(rows, key=lambda p: int(p.get("char_start") or 0)) for _, rows in sorted(groups.items())]


def table_share_checks(table: list[Row], by_passage: dict[str, list[Row]], documents: Documents) -> list[Check]:
    """``share`` checks for every count and share column pair of one table."""
    header = _cells(table[0].get("header")) or []
    checks: list[Check] = []
    for j in range(1, len(header)):
        if patterns().share_heading.match(header[j]) and not patterns().share_heading.match(header[j - 1]):
            lines, total = _column(table, j, by_passage)
            if len(lines) >= MIN_ROWS:
                whole = total.count if total is not None else sum(line.count for line in lines)
                if whole > 0:
                    checks.extend(_column_checks(table[0], header[j - 1], lines, whole, total is not None, documents))
    return checks


def _column(table: list[Row], j: int, by_passage: dict[str, list[Row]]) -> tuple[list[Line], Line | None]:
    lines: list[Line] = []
    total: Line | None = None
    for passage in table:
        cells = _cells(passage.get("cells")) or []
        if len(cells) <= j:
            continue
        count, share = cells[j - 1], _SHARE.match(cells[j])
        if not _COUNT.match(count) or share is None:
            continue
        ids = _ids_at(passage, cells, (j - 1, j), by_passage.get(str(passage.get("id")), []))
        line = Line(cells[0], float(count.replace(",", "")), float(share.group(1)), share.group(1), ids)
        if patterns().total_row.match(cells[0]):
            total = line
        else:
            lines.append(line)
    return lines, total


def _ids_at(passage: Row, cells: list[str], columns: tuple[int, int], rows: list[Row]) -> tuple[str, ...]:
    """The observations read from the cells of ``columns`` in this row, found by their offsets
    (the passage's text is its cells in order), else by their figure."""
    text, start = str(passage.get("text") or ""), passage.get("char_start")
    spans: list[tuple[int, int]] = []
    at = 0
    for cell in cells:
        found = text.find(cell, at) if cell else -1
        spans.append((found, found + len(cell)) if found >= 0 else (-1, -1))
        at = found + len(cell) if found >= 0 else at
    if isinstance(start, int) and all(spans[j][0] >= 0 for j in columns):
        wanted = [(start + spans[j][0], start + spans[j][1]) for j in columns]
        return tuple(str(r["id"]) for r in rows if any(a <= int(r.get("char_start") or -1) < b for a, b in wanted))
    figures = {" ".join(cells[j].split()) for j in columns}
    return tuple(str(r["id"]) for r in rows if " ".join(str(r.get("figure") or "").split()) in figures)


def _column_checks(
    first: Row, heading: str, lines: list[Line], whole: float, stated_total: bool, documents: Documents
) -> list[Check]:
    title = document_title(documents, str(first.get("document_id")))
    of_what = f"the column's total of {number(whole, None, 0)}" if stated_total else f"{number(whole, None, 0)}"
    column = f"'{title}', the table column “{heading or 'No.'}” and its shares"
    if not stated_total:
        column += f" (its rows add up to {number(whole, None, 0)})"
    wrong = [line for line in lines if abs(line.share - line.count / whole * 100) > _allowed(line, whole)]
    checks = [_wrong(line, whole, column, of_what) for line in wrong if line.ids]
    if not wrong:
        ids = [i for line in lines for i in line.ids]
        if ids:
            message = f"Verified: {column}: every row's share is its count of {of_what}."
            checks.append(Check("share", "info", None, "", ids, message, details={"whole": whole, "rows": len(lines)}))
    return checks


def _allowed(line: Line, whole: float) -> float:
    return share_allowance(line.share, line.written, line.count, whole)


def _wrong(line: Line, whole: float, column: str, of_what: str) -> Check:
    expected = line.count / whole * 100
    message = (
        f"{column}: {line.label or 'a row'} gives {number(line.count, None, 0)} as {line.written}%, "
        f"but {number(line.count, None, 0)} of {of_what} is {number(expected, 'percent', 2)}, "
        "which the rounding of the share does not explain."
    )
    severity = "error" if gap_is_large("percent", line.share, expected) else "warning"
    details = {"part": line.count, "whole": whole, "share": line.share, "row": line.label}
    return Check("share", severity, None, "", list(line.ids), message, line.share, expected, details)

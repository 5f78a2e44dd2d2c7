"""The period finder never raises and always returns well-formed mentions."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.extract.periods import find_periods, resolve_period

FRAGMENTS = [
    "Jan",
    "January",
    "Feb",
    "March",
    "Mar",
    "April",
    "May",
    "June",
    "Sept",
    "Oct.",
    "December",
    "2013",
    "2019",
    "2023",
    "23",
    "24",
    "34",
    "14",
    "/",
    "-",
    "–",
    ".",
    " ",
    " to ",
    " and ",
    "between ",
    "from ",
    "since ",
    "as at ",
    "year ending ",
    "12 months",
    "last",
    "the",
    "same period",
    "last year",
    "Q3",
    "FY",
    "YTD",
    "year to date",
    "first",
    "nine months of the financial year",
    "1st",
    "31",
    "01",
    "12",
    "(",
    ")",
    "'",
    "\xa0",
    "\n",
    "calendar year",
    "in ",
    "baseline",
    "compared to",
    "than",
    "this quarter",
    "rolling",
    "0",
    "9",
    "99",
    "00",
    "1950",
    "2099",
]

CONTEXTS = st.one_of(
    st.none(),
    st.tuples(st.dates(min_value=date(1950, 1, 1)), st.dates(min_value=date(1950, 1, 1))).map(
        lambda d: (min(d).isoformat(), max(d).isoformat())
    ),
    st.tuples(st.text(max_size=12), st.text(max_size=12)),
)
REFERENCES = st.one_of(st.none(), st.dates())
texts = st.one_of(st.text(), st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join))


def _check(text: str, reference: date | None, current: tuple[str, str] | None) -> None:
    mentions = find_periods(text, reference=reference, current=current)
    last_end = 0
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert m.start >= last_end  # in order, never overlapping
        last_end = m.end
        assert text[m.start : m.end] == m.text
        assert m.role in ("current", "comparison", "baseline", "point", "aside")
        for value in (m.period_start, m.period_end):
            if value is not None:
                assert date.fromisoformat(value).isoformat() == value
        if m.period_start and m.period_end:
            assert m.period_start <= m.period_end
    resolved = resolve_period(text, reference=reference, current=current)
    if resolved is not None:
        start, end = resolved
        assert date.fromisoformat(start) <= date.fromisoformat(end)


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, REFERENCES, CONTEXTS)
def test_never_raises_and_mentions_are_well_formed(text, reference, current):
    _check(text, reference, current)


@settings(max_examples=200, deadline=None, database=None)
@given(st.text())
def test_arbitrary_text_without_context(text):
    _check(text, None, None)


def test_repeated_words_do_not_make_the_scan_quadratic():
    import time

    for text in ("rolling " * 4000 + "12 months", "Q3 " * 5000, "last " * 4000, "1/" * 10000):
        began = time.perf_counter()
        find_periods(text, reference=date(2024, 2, 27))
        assert time.perf_counter() - began < 3

"""Period expressions of board papers, resolved to ISO dates."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.extract.periods import PeriodMention, financial_year, find_periods, resolve_period

PAPER_2024 = date(2024, 2, 27)
PAPER_2014 = date(2014, 5, 13)
FY23_TO_DEC = ("2023-04-01", "2023-12-31")

# (text, reference, current, expected mention text, start, end)
ABSOLUTE = [
    ("Nov 2022 to Oct 2023", None, None, "Nov 2022 to Oct 2023", "2022-11-01", "2023-10-31"),
    ("November 2022 - October 2023", None, None, "November 2022 - October 2023", "2022-11-01", "2023-10-31"),
    ("Sept 22 – Aug 23 saw", None, None, "Sept 22 – Aug 23", "2022-09-01", "2023-08-31"),
    ("between 01.01.2023 and 31.12.2023", None, None, "between 01.01.2023 and 31.12.2023", "2023-01-01", "2023-12-31"),
    ("01/04/2021 - 30/06/2021", None, None, "01/04/2021 - 30/06/2021", "2021-04-01", "2021-06-30"),
    (
        "this reporting period (1/10/23-31/12/23) is",
        None,
        None,
        "this reporting period (1/10/23-31/12/23)",
        "2023-10-01",
        "2023-12-31",
    ),
    (
        "the RCT (3 October 2022 until 30 April 2023)",
        None,
        None,
        "3 October 2022 until 30 April 2023",
        "2022-10-03",
        "2023-04-30",
    ),
    ("1st April 2020 to 31st March 2021", None, None, "1st April 2020 to 31st March 2021", "2020-04-01", "2021-03-31"),
    ("from 1 April to 30 June 2021", None, None, "from 1 April to 30 June 2021", "2021-04-01", "2021-06-30"),
    ("the year ending Dec 2019", None, None, "the year ending Dec 2019", "2019-01-01", "2019-12-31"),
    ("55 in the year ending June 19 baseline", None, None, "the year ending June 19", "2018-07-01", "2019-06-30"),
    ("the 12 months ending June 2019", None, None, "the 12 months ending June 2019", "2018-07-01", "2019-06-30"),
    ("12 months to March 2021", None, None, "12 months to March 2021", "2020-04-01", "2021-03-31"),
    ("The three months to April 2021 saw", None, None, "The three months to April 2021", "2021-02-01", "2021-04-30"),
    ("KPIs for month-ending April 2021.", None, None, "month-ending April 2021", "2021-04-01", "2021-04-30"),
    (
        "the last rolling 12 months ending Dec 23",
        None,
        None,
        "the last rolling 12 months ending Dec 23",
        "2023-01-01",
        "2023-12-31",
    ),
    ("year ending 31 March 2021", None, None, "year ending 31 March 2021", "2020-04-01", "2021-03-31"),
    ("the baseline is calendar year 2019.", None, None, "calendar year 2019", "2019-01-01", "2019-12-31"),
    ("in the 2013/14 Police and Crime Plan", None, None, "2013/14", "2013-04-01", "2014-03-31"),
    ("For 2013-14 there was", None, None, "2013-14", "2013-04-01", "2014-03-31"),
    ("the 2019/20 financial year.", None, None, "2019/20 financial year", "2019-04-01", "2020-03-31"),
    ("FY 21/22", None, None, "FY 21/22", "2021-04-01", "2022-03-31"),
    ("financial year 1999/00", None, None, "financial year 1999/00", "1999-04-01", "2000-03-31"),
    ("plans for 2013 / 2014", None, None, "2013 / 2014", "2013-04-01", "2014-03-31"),
    ("During Q3 23/24 County Lines", None, None, "Q3 23/24", "2023-10-01", "2023-12-31"),
    ("Q1 2021/22", None, None, "Q1 2021/22", "2021-04-01", "2021-06-30"),
    ("the fourth quarter of 2013/14", None, None, "fourth quarter of 2013/14", "2014-01-01", "2014-03-31"),
    ("repeat rate in May 2021 (<50% good)", None, None, "May 2021", "2021-05-01", "2021-05-31"),
    ("Baseline (Apr-20)", None, None, "Apr-20", "2020-04-01", "2020-04-30"),
    (
        "survey was conducted between Jan and March 2014.",
        None,
        None,
        "between Jan and March 2014",
        "2014-01-01",
        "2014-03-31",
    ),
    ("Jan and March 2014", None, None, "Jan and March 2014", "2014-01-01", "2014-03-31"),
    ("April to June 2021", None, None, "April to June 2021", "2021-04-01", "2021-06-30"),
    ("Nov to Feb 2024", None, None, "Nov to Feb 2024", "2023-11-01", "2024-02-29"),
    ("As at 1 April 2014 the", None, None, "As at 1 April 2014", "2014-04-01", "2014-04-01"),
    ("as of 31st March 2021", None, None, "as of 31st March 2021", "2021-03-31", "2021-03-31"),
    ("In 2012, a programme", None, None, "In 2012", "2012-01-01", "2012-12-31"),
    ("the 2020-2023 Force Strategy", None, None, "2020-2023", "2020-01-01", "2023-12-31"),
    ("Data Updated: 2021-07-01 06:00", None, None, "2021-07-01", "2021-07-01", "2021-07-01"),
]

RELATIVE = [
    ("over the last 12 months", PAPER_2024, None, "the last 12 months", "2023-02-01", "2024-01-31"),
    (
        "over the last 12 months",
        PAPER_2024,
        ("2023-01-01", "2023-12-31"),
        "the last 12 months",
        "2023-01-01",
        "2023-12-31",
    ),
    ("the previous 12 months", PAPER_2024, None, "the previous 12 months", "2023-02-01", "2024-01-31"),
    (
        "the rolling 12 month average",
        PAPER_2014,
        ("2013-04-01", "2014-03-31"),
        "the rolling 12 month",
        "2013-04-01",
        "2014-03-31",
    ),
    (
        "The last 12 months (Sep 2022 to Aug 2023)",
        PAPER_2024,
        None,
        "The last 12 months (Sep 2022 to Aug 2023)",
        "2022-09-01",
        "2023-08-31",
    ),
    (
        "Over the last 12 months (to end of March 2014)",
        PAPER_2014,
        None,
        "the last 12 months (to end of March 2014)",
        "2013-04-01",
        "2014-03-31",
    ),
    (
        "compared to the same period last year",
        PAPER_2024,
        FY23_TO_DEC,
        "the same period last year",
        "2022-04-01",
        "2022-12-31",
    ),
    (
        "lower than the same period in 2012/13",
        PAPER_2014,
        ("2013-04-01", "2014-03-31"),
        "the same period in 2012/13",
        "2012-04-01",
        "2013-03-31",
    ),
    (
        "the same period in 2019",
        None,
        ("2023-04-01", "2023-12-31"),
        "the same period in 2019",
        "2019-04-01",
        "2019-12-31",
    ),
    (
        "In the first 9 months of the financial year",
        PAPER_2024,
        None,
        "the first 9 months of the financial year",
        "2023-04-01",
        "2023-12-31",
    ),
    (
        "the first nine months of this year",
        None,
        FY23_TO_DEC,
        "the first nine months of this year",
        "2023-04-01",
        "2023-12-31",
    ),
    ("up 2.3% YTD", PAPER_2024, None, "YTD", "2023-04-01", "2024-01-31"),
    (
        "financial year to date",
        PAPER_2014,
        ("2013-04-01", "2014-03-31"),
        "financial year to date",
        "2013-04-01",
        "2014-03-31",
    ),
    ("year to date", date(2024, 4, 10), None, "year to date", "2023-04-01", "2024-03-31"),
    ("this quarter", PAPER_2024, None, "this quarter", "2024-01-01", "2024-03-31"),
    ("during the last quarter", PAPER_2024, None, "the last quarter", "2023-10-01", "2023-12-31"),
    ("this year", PAPER_2014, ("2013-04-01", "2014-03-31"), "this year", "2013-04-01", "2014-03-31"),
    ("than last year", PAPER_2024, FY23_TO_DEC, "last year", "2022-04-01", "2022-12-31"),
    ("the previous year", PAPER_2024, None, "the previous year", "2022-04-01", "2023-03-31"),
    ("also stepped up during Q3 with", PAPER_2024, None, "Q3", "2023-10-01", "2023-12-31"),
    ("Since April the Force", PAPER_2024, FY23_TO_DEC, "Since April", "2023-04-01", "2023-12-31"),
    (
        "Since October 2010 confidence",
        PAPER_2014,
        ("2013-04-01", "2014-03-31"),
        "Since October 2010",
        "2010-10-01",
        "2014-03-31",
    ),
    ("From 23/10/2023 to date there", PAPER_2024, None, "From 23/10/2023 to date", "2023-10-23", "2024-02-27"),
    ("two discharges during December", PAPER_2024, None, "during December", "2023-12-01", "2023-12-31"),
    (
        "the corresponding period last year",
        None,
        FY23_TO_DEC,
        "the corresponding period last year",
        "2022-04-01",
        "2022-12-31",
    ),
    ("Q3 23/34 was", PAPER_2024, None, "Q3", "2023-10-01", "2023-12-31"),  # typo label left out
    (
        "compared to the 12 months previous",
        PAPER_2024,
        ("2023-01-01", "2023-12-31"),
        "the 12 months previous",
        "2022-01-01",
        "2022-12-31",
    ),
]


@pytest.mark.parametrize("text,reference,current,expected,start,end", ABSOLUTE + RELATIVE)
def test_period_resolves(text, reference, current, expected, start, end):
    mentions = find_periods(text, reference=reference, current=current)
    assert [m.text for m in mentions] == [expected]
    m = mentions[0]
    assert text[m.start : m.end] == expected
    assert (m.period_start, m.period_end) == (start, end)
    assert resolve_period(text, reference=reference, current=current) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "Section 163 of the Act",
        "Outcome 15 (evidential difficulties)",
        "page 3 of 24",
        "P1 incidents",
        "P1-P3 grades",
        "referred to in paragraphs 38-41 of this report",
        "Phase 3 of Targeted Guardian Patrols",
        "Step 3",
        "the Order 2021 requires",
        "Under 25 Violence",
        "aged 12-13",
        "sentenced to 12 months in prison",
        "the response for 23/34 was 14 minutes",  # a FY label with a typo: not a FY
        "a 3-year non-maintenance lease",
        "1 in 10 days or more",
        "31/02/2023",  # no such day
        "we may see 2,000 more",
        "wmpcc-043-2013-invest-to-save-november-13.pdf",
        "Principle 1: Supporting the Local Economy",
        "24/7 cover at 0121 626 5050",
    ],
)
def test_not_a_period(text):
    assert find_periods(text, reference=PAPER_2024, current=FY23_TO_DEC) == []
    assert resolve_period(text, reference=PAPER_2024, current=FY23_TO_DEC) is None


@pytest.mark.parametrize(
    "text,roles",
    [
        ("2013/14 vs 2012/13", ["current", "comparison"]),
        ("Nov 2022 to Oct 2023 compared to Nov 2021 to Oct 2022", ["current", "comparison"]),
        ("the year ending Dec 2019 baseline", ["baseline"]),
        ("The government has set June 2019 as a baseline.", ["baseline"]),
        ("As at 1 April 2014 the position", ["point"]),
        ("same period last year", ["comparison"]),
        ("In the first 9 months of the financial year", ["current"]),
        ("2% higher than in 2018.", ["comparison"]),
    ],
)
def test_roles(text, roles):
    found = find_periods(text, reference=PAPER_2024, current=FY23_TO_DEC)
    assert [m.role for m in found] == roles


def test_offsets_are_those_of_the_original_text():
    text = "In\xa0May\xa02021 and\u00a0the 12\u2009months ending June\xa02019"
    found = find_periods(text)
    assert [text[m.start : m.end] for m in found] == [m.text for m in found]
    assert [m.text for m in found] == ["In\xa0May\xa02021"[3:], "the 12\u2009months ending June\xa02019"]


def test_relative_forms_without_context_are_found_unresolved():
    (m,) = find_periods("same period last year")
    assert (m.period_start, m.period_end, m.relative) == (None, None, True)
    assert resolve_period("same period last year") is None


def test_several_mentions_in_order():
    text = "Volumes from Nov 2022 to Oct 2023 saw 43 homicides compared to 55 in the year ending Dec 2019."
    assert [(m.period_start, m.role) for m in find_periods(text)] == [
        ("2022-11-01", "current"),
        ("2019-01-01", "comparison"),
    ]


def test_financial_year():
    assert financial_year(2013) == ("2013-04-01", "2014-03-31")


def test_resolve_period_falls_back_to_dateutil():
    assert resolve_period("Oct 1, 2023") == ("2023-10-01", "2023-10-01")
    assert resolve_period("2023 Oct") == ("2023-10-01", "2023-10-31")
    assert resolve_period("nonsense") is None
    assert resolve_period("Q3") is None  # found, but nothing to resolve it from


def test_mention_is_frozen():
    (m,) = find_periods("May 2021")
    assert isinstance(m, PeriodMention)
    with pytest.raises(AttributeError):
        m.text = "x"  # type: ignore[misc]


# --- regressions: relative forms count from the paper's reporting period ---------------------

_REF_2024 = date(2024, 2, 27)
_REF_2021 = date(2021, 10, 26)


def _only(text: str, **kw: object) -> PeriodMention:
    found = [m for m in find_periods(text, **kw) if m.period_end]  # type: ignore[arg-type]
    return found[-1]


def test_regression_first_months_of_the_financial_year_use_the_reporting_year():
    m = _only(
        "In the first 9 months of the financial year the force created 138,804 incidents",
        reference=_REF_2024,
        current=("2022-11-01", "2023-10-31"),
    )
    assert (m.period_start, m.period_end) == ("2023-04-01", "2023-12-31")


def test_regression_this_fy_is_found_and_runs_to_the_latest_data():
    m = _only("In total, this FY there have been 74 viable firearms recovered", reference=_REF_2021)
    assert (m.text, m.period_start, m.period_end) == ("this FY", "2021-04-01", "2021-09-30")


def test_regression_bare_month_as_the_subject_of_a_figure():
    ms = find_periods("offences doubled with September recording 2599 offences", reference=_REF_2021)
    assert [(m.text, m.period_start, m.role) for m in ms] == [("September", "2021-09-01", "current")]
    assert not find_periods("It may see a rise and 25 may recorded", reference=_REF_2021)


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("During Q2 there were 41 viable firearms recovered", "2021-07-01", "2021-09-30"),
        ("During the last quarter there have been 61 firearms warrants", "2021-07-01", "2021-09-30"),
        ("The majority of firearms recovered this quarter have been handguns (21)", "2021-07-01", "2021-09-30"),
        ("within the last 12 months was 45.4%", "2020-10-01", "2021-09-30"),
    ],
)
def test_regression_relative_forms_ignore_a_stale_carried_period(text, start, end):
    # "April 2020 to Mar 2021" stated pages earlier is history, not the October 2021 paper's period
    m = _only(text, reference=_REF_2021, current=("2020-04-01", "2021-03-31"))
    assert (m.period_start, m.period_end) == (start, end)


def test_regression_a_recent_stated_period_still_anchors_relative_forms():
    m = _only(
        "The last 12 months have seen 7,633 Robberies",
        reference=_REF_2024,
        current=("2019-01-01", "2019-12-31"),
        latest=("2023-01-01", "2023-12-31"),
    )
    assert (m.period_start, m.period_end) == ("2023-01-01", "2023-12-31")


def test_regression_as_of_month_anchors_the_last_twelve_months():
    m = _only(
        "As of September 2023, in the last twelve months U25 admissions for sharps stands at 165",
        reference=_REF_2024,
        current=("2022-11-01", "2023-10-31"),
    )
    assert (m.period_start, m.period_end) == ("2022-10-01", "2023-09-30")


def test_regression_the_12_months_previous_to_a_stated_range():
    ms = find_periods(
        "between 01.01.2023 and 31.12.2023, WMP recovered 152 firearms, an increase of 31 "
        "compared to the 12 months previous where 121 were recovered",
        reference=_REF_2024,
        current=("2021-10-01", "2022-09-30"),
    )
    prev = [m for m in ms if m.text == "the 12 months previous"][0]
    assert (prev.period_start, prev.period_end, prev.role) == ("2022-01-01", "2022-12-31", "comparison")


def test_regression_more_than_doubled_is_no_comparison_cue():
    m = _only("Cyber offences have more than doubled in last 6 months", reference=_REF_2021)
    assert m.role == "current"


def test_regression_reduced_from_a_level_in_a_year_is_the_comparison():
    m = _only("Currently 68% of demand is by telephone, this has reduced from 92% in 2018", reference=_REF_2021)
    assert (m.text, m.role) == ("in 2018", "comparison")


def test_regression_below_our_baseline_after_a_period_is_not_its_role():
    m = _only(
        "female representation of joiners within the last 12 months was below our baseline at 45.4%",
        reference=_REF_2021,
    )
    assert m.role == "current"


# --- regressions: one per class of period the extraction got wrong ----------------------


def test_regression_written_range_without_a_year_takes_the_papers_year() -> None:
    (m,) = find_periods("planned course spaces available from 1st May to 31st July, the", reference=date(2021, 7, 20))
    assert (m.period_start, m.period_end) == ("2021-05-01", "2021-07-31")


def test_regression_baseline_year_named_by_its_year() -> None:
    (m,) = find_periods("a -13% decrease on the 2019 baseline year which had 190 admissions", reference=PAPER_2024)
    assert (m.period_start, m.period_end, m.role) == ("2019-01-01", "2019-12-31", "baseline")


def test_regression_last_years_performance_is_the_year_before_the_reporting_year() -> None:
    found = find_periods(
        "Last year's performance carried challenges over into 2021/22.",
        reference=date(2021, 7, 20),
        current=("2021-04-01", "2021-04-30"),
    )
    assert (found[0].period_start, found[0].period_end, found[0].role) == ("2020-04-01", "2021-03-31", "current")


def test_regression_contrast_clause_starts_a_new_period_role() -> None:
    found = find_periods(
        "Theft has increased by 25% compared to the baseline, however since April these numbers fell",
        reference=PAPER_2024,
        current=("2023-10-01", "2023-10-31"),
    )
    since = [m for m in found if m.text == "since April"][0]
    assert since.role == "current"


def test_regression_since_a_month_runs_to_the_latest_data_stated() -> None:
    (m,) = find_periods(
        "since April these numbers have been reducing",
        reference=PAPER_2024,
        current=("2023-10-01", "2023-10-31"),
        furthest=("2023-01-01", "2023-12-31"),
    )
    assert (m.period_start, m.period_end) == ("2023-04-01", "2023-12-31")


def test_same_period_last_year_counts_from_ytd_in_the_same_sentence() -> None:
    text = "Offences YTD stand at 2,315, compared with 2,602 in the same period last year."
    found = find_periods(text, reference=date(2023, 11, 1), current=("2022-11-01", "2023-10-31"))
    same = next(m for m in found if m.text.startswith("the same period"))
    assert (same.period_start, same.period_end) == ("2022-04-01", "2022-10-31")


def test_so_far_this_quarter_is_the_quarter_of_the_papers_date() -> None:
    found = find_periods(
        "So far this quarter 143 knives were handed in.",
        reference=date(2023, 11, 1),
        current=("2023-07-01", "2023-09-30"),
    )
    assert [(m.period_start, m.period_end) for m in found] == [("2023-10-01", "2023-12-31")]


def test_ytd_runs_to_the_latest_data_stated_in_the_year() -> None:
    found = find_periods(
        "Arrests YTD total 402.",
        reference=date(2023, 11, 1),
        current=("2023-04-01", "2023-09-30"),
        furthest=("2022-11-01", "2023-10-31"),
    )
    assert [(m.period_start, m.period_end) for m in found] == [("2023-04-01", "2023-10-31")]

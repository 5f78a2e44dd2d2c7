"""The extraction stage end to end: a small made-up paper in, observations out."""

from __future__ import annotations

import pytest

from extractor.extract import extract_observations
from extractor.models import Document, Observation, SourceText
from extractor.segment import segment

PAPER = """STRATEGIC POLICING AND CRIME BOARD
12th March 2024

Measure: Response Times
3. In the first 9 months of the financial year the force created 138,804 P1 immediate
response incidents. This is about 2% more than same period last year.

4. The median response time for these incidents was 12 minutes and 44 seconds, with 57% of
incidents being responded to within 15 minutes. This is a minute and 20 seconds quicker
than the same period last year.

Measure: Reduce Neighbourhood Crimes
1. Burglary Residential during the year ending Dec 2019 saw West Midlands record 18,733
Residential Burglaries; the last rolling 12 months ending Dec 23 saw

12,915 equating to a 31% reduction.

2. Volumes from Nov 2022 to Oct 2023 saw 41 homicides, compared to 43 in the year ending
Dec 2019 baseline. As stated in paragraph 21, Phase 3 began on 8th May 2023.

5. Grip funding comprises £3.2m per annum. Under 25 Violence is a priority for all 43 forces.

	2012/13	2013/14	Difference	Milestone
Reduce Burglary Dwelling	13,559	12,721	-838	-8 %
"""


@pytest.fixture(scope="module")
def observations() -> list[Observation]:
    source = SourceText(PAPER)
    doc = Document(id="made-up", path="made-up.txt", date="2024-03-12")
    return extract_observations(doc, source, segment(doc.id, source))


def _by_figure(observations: list[Observation]) -> dict[str, list[Observation]]:
    out: dict[str, list[Observation]] = {}
    for o in observations:
        out.setdefault(o.figure, []).append(o)
    return out


@pytest.mark.parametrize(
    "figure, value, unit, kind, period_end",
    [
        ("18,733", 18733, "count", "value", "2019-12-31"),
        ("12,915", 12915, "count", "value", "2023-12-31"),
        ("31%", -31, "percent", "change", "2023-12-31"),
        ("41", 41, "count", "value", "2023-10-31"),
        ("43", 43, "count", "value", "2019-12-31"),
        ("138,804", 138804, "count", "value", "2023-12-31"),
        ("2%", 2, "percent", "change", "2023-12-31"),
        ("12 minutes and 44 seconds", 764, "seconds", "value", "2023-12-31"),
        ("57%", 57, "percent", "value", "2023-12-31"),
        ("15 minutes", 900, "seconds", "target", None),
        ("a minute and 20 seconds", -80, "seconds", "change", "2023-12-31"),
        ("£3.2m", 3200000, "GBP", "value", None),
        ("13,559", 13559, "count", "value", "2013-03-31"),
        ("12,721", 12721, "count", "value", "2014-03-31"),
        ("-838", -838, "count", "change", "2014-03-31"),
        ("-8 %", -8, "percent", "target", "2014-03-31"),
    ],
)
def test_made_up_paper(observations: list[Observation], figure: str, value: float, unit: str, kind: str, period_end: str | None) -> None:
    found = _by_figure(observations).get(figure)
    assert found, sorted(_by_figure(observations))
    o = found[0]
    assert (o.value, o.unit, o.kind) == (pytest.approx(value), unit, kind)
    if period_end:
        assert o.period_end == period_end


def test_no_observations_for_labels_dates_and_paragraph_numbers(observations: list[Observation]) -> None:
    figures = {o.figure for o in observations}
    for junk in ("21", "3", "8", "2019", "25", "43 forces", "12", "1", "2"):
        assert junk not in figures or junk == "43"
    assert not any(o.figure == "43" and "forces" in o.provenance.quote and o.value == 43 and "all 43" in o.provenance.quote for o in observations)


def test_provenance_points_at_the_figure(observations: list[Observation]) -> None:
    for o in observations:
        p = o.provenance
        assert PAPER[p.char_start : p.char_end].split() == o.figure.split()
        assert o.figure in p.quote
        assert p.document_id == "made-up"


def test_ids_are_unique(observations: list[Observation]) -> None:
    ids = [o.id for o in observations]
    assert len(ids) == len(set(ids))


def test_change_is_linked_to_its_baseline(observations: list[Observation]) -> None:
    reduction = _by_figure(observations)["31%"][0]
    assert reduction.change_type == "percent"
    homicide_baseline = _by_figure(observations)["43"][0]
    assert homicide_baseline.period_start == "2019-01-01"


def test_measure_labels_name_the_thing_measured(observations: list[Observation]) -> None:
    by = _by_figure(observations)
    assert "homicides" in by["41"][0].measure.lower()
    assert "response time" in by["12 minutes and 44 seconds"][0].measure.lower()
    assert "burglar" in by["12,721"][0].measure.lower()


def test_regression_ocr_day_of_month_is_not_a_percentage() -> None:
    source = SourceText("Phase 3 of Targeted Guardian Patrols (TGP) commenced November 1% 2023 and 46 TGPs now run.\n")
    doc = Document(id="d", path="d.txt", date="2024-02-27")
    obs = extract_observations(doc, source, segment("d", source))
    assert [o.figure for o in obs] == ["46"]


def test_regression_rate_denominator_is_not_a_count() -> None:
    source = SourceText("The WMP area records fewer crimes per 1,000 residents than its most similar force areas.\n")
    doc = Document(id="d", path="d.txt")
    assert extract_observations(doc, source, segment("d", source)) == []

"""The extraction stage end to end: a small made-up paper in, observations out."""

from __future__ import annotations

from pathlib import Path

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
    doc = Document(id="made-up", path="made-up.txt", date="2024-03-12", board="Strategic Policing and Crime Board")
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
def test_made_up_paper(
    observations: list[Observation], figure: str, value: float, unit: str, kind: str, period_end: str | None
) -> None:
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
    assert not any(
        o.figure == "43" and "forces" in o.provenance.quote and o.value == 43 and "all 43" in o.provenance.quote
        for o in observations
    )


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


def test_pdf_figures_carry_page_and_box(tmp_path: Path) -> None:
    from extractor.read import read_source
    from tests import pdf_factory

    path = pdf_factory.reportlab_paper(tmp_path)
    source = read_source(path)
    doc = Document(id="pdf", path=str(path), date="2014-05-13")
    obs = extract_observations(doc, source, segment(doc.id, source))
    assert obs, "the reportlab paper states figures"
    for o in obs:
        p = o.provenance
        assert p.page is not None and 1 <= p.page <= (source.page_count or 1)
        assert p.x0 is not None and p.x0 <= (p.x1 or 0)
    table = [o for o in obs if o.figure == "13,559"]
    assert table and table[0].period_end == "2013-03-31"


@pytest.mark.parametrize(
    "sentence, figure, value, kind",
    [
        ("This is about 2% more than same period last year.", "2%", 2, "change"),
        (
            "For P2 Priority Response incidents, 69,000 incidents were created, this is a 1% reduction.",
            "1%",
            -1,
            "change",
        ),
        ("This is almost 29 minutes quicker than same period last year.", "29 minutes", -1740, "change"),
        (
            "which has seen improvements of 1 minute and 47 seconds with the SLA improving by 6%.",
            "1 minute and 47 seconds",
            -107,
            "change",
        ),
        ("which has seen improvements of 1 minute and 47 seconds with the SLA improving by 6%.", "6%", 6, "change"),
        (
            "The last 12 months saw 175 episodes, a reduction of 15 compared to the national baseline.",
            "15",
            -15,
            "change",
        ),
        (
            "Anti-Social Behaviour (ASB) has reduced by 13,004 incidents (-35%) in the last 12 months.",
            "13,004",
            -13004,
            "change",
        ),
        ("Theft from Person is currently down 44% compared to the baseline.", "44%", -44, "change"),
        ("The 30 Nissan Leafs showed 9.5% saving over the nearest diesel solution.", "9.5%", -9.5, "change"),
        ("with detections increasing by 7 fold", "7 fold", 7, "change"),
        ("Volumes saw 41 homicides, compared to 43 in the year ending Dec 2019 baseline.", "43", 43, "value"),
        (
            "An average of 30% of VWI has a domestic element, however this year it has risen to almost 36%.",
            "36%",
            36,
            "value",
        ),
        ("Possession offences account for 72% of the volume.", "72%", 72, "value"),
        ("106% of the annual Home Office target of Type 1 closures was met.", "106%", 106, "value"),
        ("2013-14 Milestone to reduce overall crime by 5 per cent", "5 per cent", -5, "target"),
        ("Increase satisfaction with services provided relating to ASB to 80%", "80%", 80, "target"),
        ("WMP are required to demonstrate 20% match funding in year one, 30% in year two.", "30%", 30, "target"),
        ("The median response time is significantly below the 24 hour SLA.", "24 hour", 86400, "target"),
        ("with 57% of incidents being responded to within 15 minutes", "15 minutes", 900, "target"),
        ("There are currently 940 skilled Taser Users in Force (55.6%) of the required 1691.", "1691", 1691, "target"),
        ("By doing so, total number of Police Officers will increase to over 8,000", "8,000", 8000, "target"),
        ("Rape > 5%", "5%", 5, "target"),
        ("Knife crime rose 12% year on year to 3,100 offences.", "12%", 12, "change"),
        ("Knife crime rose 12% year on year to 3,100 offences.", "3,100", 3100, "value"),
        (
            "For Domestic Abuse the Median Response time for P1 response was 15 minutes 41 seconds with a SLA of 46%.",
            "46%",
            46,
            "value",
        ),
    ],
)
def test_kind_and_sign_of_real_sentences(sentence: str, figure: str, value: float, kind: str) -> None:
    source = SourceText(sentence + "\n")
    doc = Document(id="s", path="s.txt", date="2024-02-27")
    found = {o.figure: o for o in extract_observations(doc, source, segment("s", source))}
    assert figure in found, sorted(found)
    assert (found[figure].value, found[figure].kind) == (pytest.approx(value), kind)


def test_regression_a_bare_number_takes_the_unit_it_runs_to() -> None:
    source = SourceText("Between 2019 and 2023 the rate fell from 12.3 to 10.1 per 1,000 population.\n")
    obs = extract_observations(Document(id="d", path="d.txt"), source, segment("d", source))
    assert {(o.figure, o.unit) for o in obs} == {("12.3", "per_1000"), ("10.1 per 1,000", "per_1000")}


def test_regression_adjectival_duration_is_not_a_measure() -> None:
    source = SourceText("Officers worked 12-hour shifts during the summer.\n")
    assert extract_observations(Document(id="d", path="d.txt"), source, segment("d", source)) == []


def test_table_headers_give_units_and_kinds() -> None:
    text = "Budget\n\nArea\tBudget (£m)\t% change\tNo.\nFirearms\t3.2\t5.1\t14\n"
    source = SourceText(text)
    obs = {o.figure: o for o in extract_observations(Document(id="d", path="d"), source, segment("d", source))}
    assert (obs["3.2"].value, obs["3.2"].unit) == (3200000, "GBP")
    assert (obs["5.1"].unit, obs["5.1"].kind) == ("percent", "change")
    assert (obs["14"].unit, obs["14"].kind) == ("count", "value")


# The made-up papers here are worded as the West Midlands board's are (priority grades,
# "the SLA"): they are read with its pattern overlay, as the manifest's `board:` chooses.
WEST_MIDLANDS = "Strategic Policing and Crime Board"


def _extract(text: str, date: str | None = None, board: str | None = WEST_MIDLANDS) -> list[Observation]:
    source = SourceText(text)
    doc = Document(id="d", path="d.txt", date=date, board=board)
    return extract_observations(doc, source, segment("d", source))


def test_regression_variance_from_the_milestone_has_no_baseline_value() -> None:
    obs = _extract(
        "Force Objectives\t2012/13\t2013/14\tDifference\tMilestone\tPerformance\tVariance\n"
        "Reduce Burglary Dwelling\t13,559\t12,721\t-838\t-8 %\t-6.1 %\t247\n",
        date="2014-05-13",
    )
    by = {o.figure: o for o in obs}
    assert by["247"].kind == "change" and by["247"].comparison_value is None
    assert by["-838"].comparison_value == 13559  # "Difference" is against the previous year


def test_regression_share_of_homicides_is_not_the_homicide_count() -> None:
    obs = _extract(
        "Measure: Reduce Murder and Other Homicide\n\n"
        "3. A significant portion of homicides (42%) were associated with knife crime.\n",
        date="2024-02-27",
    )
    share = [o for o in obs if o.figure == "42%"][0]
    # a share keeps the measure it is a share of, as basis share: never a level
    assert (share.measure_id, share.basis) == ("homicide", "share")


def test_regression_stale_period_does_not_date_the_last_12_months() -> None:
    obs = _extract(
        "19. The timeliness of investigations had been as high as 406 days in 2019.\n\n"
        "21. Female representation of joiners within the last 12 months was 45.4%.\n",
        date="2021-07-20",
    )
    share = [o for o in obs if o.figure == "45.4%"][0]
    assert share.period_end == "2021-06-30"


# --- regressions: periods --------------------------------------------------------------


def _one(obs: list[Observation], figure: str) -> Observation:
    return [o for o in obs if o.figure == figure][0]


def test_regression_last_years_paragraph_dates_its_figures_to_last_year() -> None:
    obs = _extract(
        "9. The KPIs for month-ending April 2021 are below.\n\n"
        "10. Last year's performance carried challenges into 2021/22. Total Recorded Crime rose by 7.3% (+19500).\n",
        date="2021-07-20",
    )
    assert _one(obs, "7.3%").period_end == "2021-03-31"


def test_regression_from_figure_of_a_range_takes_the_start_period() -> None:
    obs = _extract(
        "12. The force reduced average answering times from 10 minutes to 45 seconds between December 2022 "
        "and December 2023.\n",
        date="2024-02-27",
    )
    assert (_one(obs, "10 minutes").period_start, _one(obs, "10 minutes").period_end) == ("2022-12-01", "2022-12-31")
    assert _one(obs, "45 seconds").period_end == "2023-12-31"


def test_regression_period_right_after_the_figure_is_its_own() -> None:
    obs = _extract("24. The repeat rate for April 2021 was 55% which reduced to 51% in May 2021.\n", date="2021-07-20")
    assert _one(obs, "51%").period_end == "2021-05-31"
    assert _one(obs, "55%").period_end == "2021-04-30"


def test_regression_table_current_column_dates_the_last_12_months_before_it() -> None:
    obs = _extract(
        "9. The KPIs for month-ending April 2021 are below.\n\n"
        "Increasing representation\n\n"
        "21. Female representation of joiners within the last 12 months was 45.4%.\n\n"
        "22. Female representation of leavers within the last 12 months was 41.1%.\n\n"
        "Measure\tBaseline (Apr-20)\tCurrent (May-21)\n"
        "Joiners\t48.9%\t45.4%\n",
        date="2021-07-20",
    )
    prose = [o for o in obs if o.figure in ("45.4%", "41.1%") and "12 months" in o.provenance.quote]
    assert {o.period_end for o in prose} == {"2021-05-31"}


def test_regression_planned_spaces_take_the_range_stated_before_them() -> None:
    obs = _extract(
        "- Looking ahead to the planned course spaces available from 1st May to 31st July, capacity is limited. "
        "There are 196 Initial planned course spaces for Personal Safety Training (PST).\n",
        date="2021-07-20",
    )
    assert (_one(obs, "196").period_start, _one(obs, "196").period_end) == ("2021-05-01", "2021-07-31")


# --- regressions: measure labels -------------------------------------------------------


def test_regression_back_reference_takes_the_population_named_before(observations: list[Observation]) -> None:
    label = _by_figure(observations)["12 minutes and 44 seconds"][0].measure
    assert label.startswith("P1 immediate response incidents: median response time")
    assert "these" not in label


def test_regression_sla_in_a_later_paragraph_keeps_the_grade_named_before() -> None:
    obs = _extract(
        "Measure: P1-P3 Incident Demand and Response Times\n"
        "5. The force created 138,804 P1 immediate response incidents.\n\n"
        "6. The SLA has improved by 7% compared to the 50% SLA last year.\n\n"
        "7. For P2 Priority Response incidents, 69,000 incidents were created.\n\n"
        "8. The median response time for these incidents was 72 minutes. This is quicker than last year "
        "and the SLA has improved by 10% compared to the 28% SLA last year.\n",
        date="2024-02-27",
    )
    assert _one(obs, "10%").measure_id == "p2_sla"
    assert _one(obs, "7%").measure_id == "p1_sla"
    assert _one(obs, "10%").measure.startswith("P2 Priority Response incidents: SLA")


@pytest.mark.parametrize(
    "sentence, figure, word",
    [
        # a bracketed figure measures the noun phrase before the bracket
        (
            "Crime rose driven largely by increases in recorded Domestic Abuse (+38.9%, which is more).",
            "+38.9%",
            "domestic abuse",
        ),
        ("Communities have a good level of confidence (71.8%) in the police.", "71.8%", "confidence"),
        # "N cases were linked to X": the cases are X
        ("Among these, 2,164 cases were linked to drug trafficking.", "2,164", "trafficking"),
        # "which" stands for the noun before it
        (
            "Much of this will now be crimed as Public Order offences which has increased by 8,165 during the year.",
            "8,165",
            "public order",
        ),
        # a number that is a name stays in the label
        ("The force reached the national standard of answering 90% of 999 calls within 10 seconds.", "90%", "999"),
        # an -ing change verb ends the subject
        ("Theft fell, with detections increasing by 7 fold.", "7 fold", "detections"),
        # a bold term after the figure names what it counts
        (
            "There are 91.4% skilled Constables of the required 1237 in **Standard Car Driving**, albeit fewer.",
            "91.4%",
            "standard car driving",
        ),
        # "reducing X from A to B": both figures measure X
        (
            "It improved, reducing average answering times from 10 minutes to 45 seconds.",
            "10 minutes",
            "answering times",
        ),
        (
            "It improved, reducing average answering times from 10 minutes to 45 seconds.",
            "45 seconds",
            "answering times",
        ),
        # "..., this has increased by 20%": the clause refers to the figure before it
        (
            "With 91% of 999 calls now being answered within 10 seconds, this has increased by over 20% since 2022.",
            "20%",
            "999",
        ),
        # a list of figures carries the noun of its first
        (
            "WMP must show 20% match funding in year one, 30% in year two and 40% in the final year.",
            "40%",
            "match funding",
        ),
        # "a reduction in X ... ; circa -6.3%": the change names X in the clause before
        (
            "It is likely there was a reduction in VWI on the additional patrol days ; circa -6.3%, it is said.",
            "-6.3%",
            "vwi",
        ),
    ],
)
def test_regression_label_names_the_thing_measured(sentence: str, figure: str, word: str) -> None:
    obs = _extract(f"Measure: Performance\n\n3. {sentence}\n", date="2024-02-27")
    label = _one(obs, figure).measure
    assert word in label.lower(), label


def test_regression_the_offence_refers_to_the_sentence_before() -> None:
    obs = _extract(
        "111. Thefts from Shops and Stalls (TSS) accounts for 44% of all business crime. The offence is +15.7% YTD.\n",
        date="2014-05-13",
    )
    assert "tss" in _one(obs, "+15.7%").measure.lower()


@pytest.mark.parametrize(
    "part, expected",
    [
        ("evaluation states it", ""),
        ("57 hotspots", "hotspots"),
        ("91% of 999 calls now", "999 calls"),
        ("to the planned course spaces stated for Specialist Skills, there", "planned course spaces"),
        ("Currently 68% of non-emergency demand", "non-emergency demand"),
        ("crime in the West Midlands by almost 20%", "crime in the West Midlands"),
    ],
)
def test_regression_label_parts_are_noun_phrases_not_clause_fragments(part: str, expected: str) -> None:
    from extractor.extract.labels import tidy_part

    assert tidy_part(part) == expected


@pytest.mark.parametrize(
    "paragraph, figure",
    [
        # things a section's work produces are not the section's measure
        (
            "10. The office funds knife surrender bins across the city. These bins have led to the "
            "removal of over 1500 dangerous weapons from the streets.",
            "1500",
        ),
        ("4. Outreach workers ran 320 mentoring sessions in schools this year.", "320"),
        ("6. The partnership installed 45 surrender bins in the first quarter.", "45"),
    ],
)
def test_regression_own_counted_noun_takes_no_measure_from_the_heading(paragraph: str, figure: str) -> None:
    obs = _extract(f"Reduce Serious Violence\n\n{paragraph}\n", date="2024-02-27")
    o = _one(obs, figure)
    assert o.measure_id is None
    assert "Serious Violence" not in o.measure.split(" (")[0]  # it keeps its own label


def test_regression_heading_still_links_a_figure_that_counts_the_measure() -> None:
    obs = _extract("Reduce Serious Violence\n\n3. There were 1,020 most serious violence offences in 2023.\n")
    assert _one(obs, "1,020").measure_id == "most_serious_violence"


@pytest.mark.parametrize(
    "paragraph, figure",
    [
        # "episodes" and a bare change refer to the measure the paragraph named before them
        (
            "17. The measure relates to hospital admissions: levels of hospital admissions for under 25s "
            "with sharp object wounding have fallen. The last 12 months saw 160 episodes, a reduction of 20.",
            "160",
        ),
        (
            "17. The measure relates to hospital admissions: levels of hospital admissions for under 25s "
            "with sharp object wounding have fallen. The last 12 months saw 160 episodes, a reduction of 20.",
            "20",
        ),
        # a noun of its own that the measure named earlier in the sentence holds
        (
            "7. In the last twelve months U25 admissions for sharps stood at 150, which is a 17% fall on the "
            "baseline year which had 180 admissions.",
            "180",
        ),
        (
            "8. Hospital admissions of under 25s for assault with a sharp object fell; there were 140 cases last year.",
            "140",
        ),
    ],
)
def test_regression_vague_counted_noun_takes_the_measure_named_before(paragraph: str, figure: str) -> None:
    obs = _extract(f"Measure: Reduce Serious Violence\n\n{paragraph}\n", date="2024-02-27")
    assert _one(obs, figure).measure_id == "hospital_admissions_u25_sharp_object"


@pytest.mark.parametrize(
    ("label", "polished"),
    [
        ("homicides; data indicates (latest data)", "homicides (latest data)"),
        ("growth every; subscribers to WMNow (WMNow sign ups)", "subscribers to WMNow (WMNow sign ups)"),
        ("current 2021 monthly; County Lines disruptions", "County Lines disruptions"),
        ("Homicides in West Midlands", "Homicides in West Midlands"),
        ("data indicates", "data indicates"),  # nothing else to keep
    ],
)
def test_polish_label_drops_clause_fragments(label: str, polished: str) -> None:
    from extractor.extract.labels import polish_label
    from extractor.extract.vocabulary import vocabulary

    assert polish_label(label, vocabulary("Strategic Policing and Crime Board").junk_part) == polished

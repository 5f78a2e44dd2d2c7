"""The figure finder: real sentences of the corpus -> value, unit; and what is not a figure."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from extractor.extract.figures import FigureFinder, parse_figure
from extractor.extract.nlp import build_pipeline
from extractor.extract.sentences import sentence_spans


@pytest.fixture(scope="module")
def finder() -> FigureFinder:
    return FigureFinder()


@pytest.mark.parametrize(
    "text, figure, value, unit",
    [
        (
            "created (excluding duplicate calls about same incident) 138,804 P1 immediate response incidents",
            "138,804",
            138804,
            "count",
        ),
        ("From 23/10/2023 to date there have been 3212 reports of Fraud / Cyber Crime", "3212", 3212, "count"),
        ("with 57% of incidents being responded to within 15 minutes", "57%", 57, "percent"),
        ("with 57% of incidents being responded to within 15 minutes", "15 minutes", 900, "seconds"),
        ("Reduce Burglary Dwelling DW 13,559 12,721 -838 -8 % -6.1 % 247", "-6.1 %", -6.1, "percent"),
        ("2013-14 Milestone to reduce overall crime by 5 per cent", "5 per cent", 5, "percent"),
        ("For 2013-14 there was been a percentage increase of +1.9% which is 407 offences.", "+1.9%", 1.9, "percent"),
        (
            "The median response time for these incidents was 12 minutes and 44 seconds",
            "12 minutes and 44 seconds",
            764,
            "seconds",
        ),
        ("the median response time of 10 hours 11 mins is significantly below", "10 hours 11 mins", 36660, "seconds"),
        (
            "For P2 Response 23/34 was 2 hours 3 minutes 44 seconds with a SLA of 30%",
            "2 hours 3 minutes 44 seconds",
            7424,
            "seconds",
        ),
        (
            "This is a minute and 20 seconds quicker than the same period last year",
            "a minute and 20 seconds",
            80,
            "seconds",
        ),
        ("significantly below the 24 hour SLA", "24 hour", 86400, "seconds"),
        ("Complaints – total live 1,230 (average working days 97)", "working days 97", 97, "days"),
        ("a residual impact of a patrol that lasts for 3 days", "3 days", 3, "days"),
        ("Grip funding comprises £3.2m per annum for three years", "£3.2m", 3200000, "GBP"),
        ("decided to allocate up to £350,000, funded from the Budget Reserve", "£350,000", 350000, "GBP"),
        ("equating to £11.3M worth of losses", "£11.3M", 11300000, "GBP"),
        ("an estimated £1 million of harm", "£1 million", 1000000, "GBP"),
        ("a homicide rate of 14.1 per million population", "14.1 per million", 14.1, "per_million"),
        ("their average daily mileage at 45 miles per day is in line", "45 miles per day", 45, "other"),
        ("over 41 tonnes CO2 in tailpipe emissions has been saved", "41 tonnes", 41, "other"),
        ("the mean hotspot size of 0.2 km2", "0.2 km2", 0.2, "other"),
        ("Almost a quarter of crime in the priority areas", "a quarter", 0.25, "ratio"),
        ("During 2013-14 half of TRC was made up of", "half", 0.5, "ratio"),
        ("Almost one in four homicides take place within", "one in four", 0.25, "ratio"),
        ("with detections increasing by 7 fold", "7 fold", 7, "ratio"),
        ("the volume of crime ended the year with the second lowest volume ever", "second lowest", 2, "rank"),
        (
            "Youth Violence With Injury is showing an increase of 58 (+0.8%) vs year ending Dec 19",
            "+0.8%",
            0.8,
            "percent",
        ),
        ("Almost ½ of all threats on the Organised Crime Threat Grid", "½", 0.5, "ratio"),
        ("The force ranked 3rd out of 43 forces.", "3rd", 3, "rank"),
        ("Stop and search rates were 4.5 times higher for Black people.", "4.5 times", 4.5, "ratio"),
        ("Cyber enabled offences have more than doubled in last 6 months", "doubled", 2, "ratio"),
        ("a rate of 45.2 offences per 100,000 population", "45.2 offences per 100,000", 45.2, "other"),
        ("Cost per officer was £65k in 2023/24.", "£65k", 65000, "GBP"),
    ],
)
def test_figures_of_real_sentences(finder: FigureFinder, text: str, figure: str, value: float, unit: str) -> None:
    found = {f.text: f for f in finder.find(text)}
    assert figure in found, [f.text for f in finder.find(text)]
    f = found[figure]
    assert f.value == pytest.approx(value)
    assert f.unit == unit
    assert text[f.start : f.end] == figure


@pytest.mark.parametrize(
    "text, not_figure",
    [
        ("provide an update on incident demand and response times for P1-P3 grades", "1"),
        ("For Domestic Abuse the Median Response time for P1 response for 23/34 was", "23"),
        ("Phase 3 of Targeted Guardian Patrols (TGP) commenced November 1% 2023", "1%"),
        ("Phase 3 of Targeted Guardian Patrols (TGP) commenced November 1% 2023", "3"),
        ("Between 01.01.2023 and 31.12.2023 WMP recorded 92", "01.01.2023"),
        ("Local Policing Governance Board on 8th May 2014", "8"),
        ("¹ <http://www.bbc.co.uk/news/business-25807360>", "25807360"),
        ("wmpcc-043-2013-invest-to-save-november-13.pdf", "043"),
        ("(U25 violence with injury with a focus on knife enabled criminality)", "25"),
        ("levels of hospital admissions for under 25s with sharp object wounding", "25"),
        ("Under 25 Violence is a tactical priority for West Midlands Police", "25"),
        ("the Home Office have introduced Outcome 15 and Section 163 powers", "15"),
        ("the Home Office have introduced Outcome 15 and Section 163 powers", "163"),
        ("Step 3 of the roadmap", "3"),
        ("Principle 1: Supporting the Local Economy", "1"),
        ("the second lowest annual crime level since 2002-03", "2002"),
        ("call 0121 626 5000 or 101 for advice", "0121"),
        ("30 minute patrol between 1lam-4pm", "1"),
        ("a 3-year non-maintenance lease arrangement was signed", "3"),
        ("There is an 8-week cycle for a victim focussed deep dive.", "8"),
        ("has been sentenced to 12 months in prison", "12"),
        ("it occurs at a rate of 1 in 10 days or more", "1"),
        ("Data Updated: 2021-07-01 06:00:00", "06"),
        ("under the Police Reform and Social Responsibility Act 2011", "2011"),
        ("Emergency calls (999) and 101 calls", "999"),
        ("Contact: 0121 626 5000, extension 1234.", "1234"),
        ("Chief Constable's report, version 2.1, page 12 of 40.", "40"),
        ("Of respondents, 12.5% (n=245) were satisfied.", "245"),
        ("The meeting starts at 10.00am on Tuesday 5th March.", "10"),
    ],
)
def test_not_figures(finder: FigureFinder, text: str, not_figure: str) -> None:
    assert not any(f.text.lstrip("+-").startswith(not_figure) for f in finder.find(text))


def test_parse_figure_normalises_signs() -> None:
    assert parse_figure("-13%", "percent", "percent") == (-13.0, "percent")
    assert parse_figure("+19500", "count", "count") == (19500.0, "count")


def test_pipeline_components_are_registered_the_spacy_way() -> None:
    nlp = build_pipeline()
    assert nlp.pipe_names[:2] == ["board_sentences", "figure_finder"]
    doc = nlp("Volumes from Nov 2022 to Oct 2023 saw 41 homicides. A 31% reduction.")
    spans = list(doc.spans["figures"])
    assert [s._.value for s in spans] == [41.0, 31.0]
    assert [s._.unit for s in spans] == ["count", "percent"]
    assert len(list(doc.sents)) == 2


def test_figure_finder_on_blank_english_with_added_patterns(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    finder = nlp.add_pipe("figure_finder")
    finder.add_patterns([{"label": "other", "id": "widgets", "unit": "other", "pattern": r"\b\d+ widgets\b"}])
    doc = nlp("We made 12 widgets.")
    assert [(s._.figure.text, s._.unit) for s in doc.spans["figures"]] == [("12 widgets", "other")]
    finder.to_disk(tmp_path / "ff")
    other = spacy.blank("en").add_pipe("figure_finder")
    other.from_disk(tmp_path / "ff")
    assert [f.text for f in other.find("We made 12 widgets.")] == ["12 widgets"]


@pytest.mark.parametrize(
    "text, count",
    [
        ("Levels are approx. 2000 incidents a month. Next sentence.", 2),
        ("The rate was 12.8 % i.e. stable. See No. 5 below.", 2),
        ("In Dec. 2023 it rose. It fell e.g. in May.", 2),
        ("One; Two", 2),
    ],
)
def test_sentence_boundaries(text: str, count: int) -> None:
    assert len(sentence_spans(text)) == count


def test_footnote_numbers_and_ordinal_second_are_not_figures() -> None:
    from extractor.extract.filters import not_a_measure
    from extractor.extract.vocabulary import vocabulary

    cues = vocabulary().cues
    finder = FigureFinder()
    assert not [f for f in finder.find("Shoplifting rose 14% (see footnote 3).") if f.text == "3"]
    block = "¹ Road Traffic Act 1988. 3 Shoplifting figures exclude online fraud."
    three = [f for f in finder.find(block) if f.text == "3"]
    assert three and all(not_a_measure(f, block, cues) for f in three)
    second = "Burglary fell for a second year."
    assert all(not_a_measure(f, second, cues) for f in finder.find(second))

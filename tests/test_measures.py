"""The measure catalogue (schema/measures.yml) and the phrase-to-measure linker."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.link import (
    DEFAULT_CATALOGUE,
    CatalogueError,
    Measure,
    MeasureRuler,
    ancestors,
    get_linker,
    load_catalogue,
)
from extractor.link.measures import MeasureLinker, load_linking_rules
from extractor.models import UNITS


@pytest.fixture(scope="module")
def catalogue() -> list[Measure]:
    return load_catalogue()


@pytest.fixture(scope="module")
def linker():
    return get_linker()


# --------------------------------------------------------------------------- catalogue


def test_catalogue_is_found_beside_the_package():
    # extractor/schema is a symlink to the top-level schema/, so the wheel ships the catalogue (issue 15)
    assert DEFAULT_CATALOGUE.resolve() == Path(__file__).resolve().parents[1] / "schema" / "measures.yml"


def test_catalogue_entries_are_valid(catalogue):
    ids = [m.id for m in catalogue]
    assert len(ids) == len(set(ids))
    assert len(catalogue) >= 60
    for m in catalogue:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", m.id), m.id
        assert m.unit in UNITS, m.id
        assert m.better in ("lower", "higher", "neither"), m.id
        assert m.name.strip() and m.category.strip(), m.id
        assert m.description.endswith("."), m.id
        assert m.aliases, f"{m.id} has no aliases"
        assert all(a.strip() for a in m.aliases), m.id


def test_no_alias_names_two_measures(catalogue):
    owner: dict[str, str] = {}
    for m in catalogue:
        for p in m.phrases:
            assert owner.setdefault(p.lower(), m.id) == m.id, p


@pytest.mark.parametrize(
    "measure_id",
    [
        "homicide",
        "hospital_admissions_u25_sharp_object",
        "firearms_discharges",
        "knife_crime",
        "violence_with_injury",
        "drug_trafficking_offences",
        "drug_possession_offences",
        "county_lines_closed",
        "residential_burglary",
        "personal_robbery",
        "theft_from_person",
        "vehicle_crime",
        "asb_incidents",
        "victim_satisfaction",
        "fraud_cyber_reports",
        "officer_uplift",
        "officer_strength",
        "neighbourhood_officers",
        "pcsos",
        "special_constables",
        "wmnow_subscribers",
        "positive_outcome_rate",
        "emergency_999_answered_10s",
        "emergency_999_abandoned",
        "nonemergency_101_answered",
        "live_chat_answered",
        "p1_incidents",
        "p2_incidents",
        "p3_incidents",
        "p1_median_response_time",
        "p2_median_response_time",
        "p3_median_response_time",
        "p1_sla",
        "p2_sla",
        "p3_sla",
        "complaints_recorded",
        "complaints_days_to_finalise",
        "workforce_ethnic_minority_share",
        "workforce_female_share",
        "cadets",
        "stop_search_count",
        "stop_search_positive_outcome_rate",
        "total_recorded_crime",
        "business_crime",
        "confidence_csew",
        "confidence_ftd",
    ],
)
def test_catalogue_covers_the_brief(catalogue, measure_id):
    assert measure_id in {m.id for m in catalogue}


def _write(tmp_path: Path, measures: list[dict]) -> Path:
    path = tmp_path / "measures.yml"
    path.write_text(yaml.safe_dump({"measures": measures}), encoding="utf-8")
    return path


def _entry(**over) -> dict:
    base = {
        "id": "x",
        "name": "X",
        "category": "c",
        "description": "d.",
        "unit": "count",
        "better": "lower",
        "aliases": ["ex"],
    }
    return {**base, **over}


@pytest.mark.parametrize(
    "entries, message",
    [
        ([_entry(), _entry(aliases=["why"])], "measure id 'x' is used twice"),
        ([_entry(unit="furlongs")], "unit 'furlongs' is not one of"),
        ([_entry(better="up")], "better 'up' is not one of"),
        ([_entry(aliases=["ok", ""])], "alias '' must be a non-empty string"),
        ([_entry(id="Bad-Id")], "id must be snake_case"),
        ([_entry(name="")], "'name' must be a non-empty string"),
        ([_entry(), _entry(id="y", name="Y")], "alias 'ex' already names 'x'"),
    ],
)
def test_bad_catalogue_entry_raises_naming_it(tmp_path, entries, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        load_catalogue(_write(tmp_path, entries))


def test_catalogue_without_measures_list(tmp_path):
    path = tmp_path / "m.yml"
    path.write_text("things: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="top-level 'measures:' list"):
        load_catalogue(path)


def test_missing_catalogue(tmp_path):
    with pytest.raises(FileNotFoundError, match="measure catalogue not found"):
        load_catalogue(tmp_path / "nope.yml")


# --------------------------------------------------------------------------- spaCy component


@pytest.fixture()
def nlp(catalogue):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("measure_linker")
    ruler.add_patterns(catalogue)
    return nlp


def test_component_marks_measures(nlp):
    doc = nlp("Burglary Residential fell while Burglary Other Buildings and WMNow sign ups rose.")
    spans = doc.spans["measures"]
    assert [(s.text, s.label_) for s in spans] == [
        ("Burglary Residential", "residential_burglary"),
        ("Burglary Other Buildings", "business_burglary"),
        ("WMNow sign ups", "wmnow_subscribers"),
    ]
    assert spans.attrs["scores"] == [100.0, 100.0, 100.0]


def test_component_config_is_keyword_only_and_checked():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("measure_linker", config={"threshold": 90, "scorer": "WRatio"})
    assert (ruler.threshold, ruler.scorer_name) == (90.0, "WRatio")
    with pytest.raises(TypeError):
        MeasureRuler(nlp, "x", 80)  # type: ignore[misc]
    with pytest.raises(ValueError, match="unknown rapidfuzz scorer"):
        MeasureRuler(nlp, scorer="no_such_scorer")


def test_component_round_trips_through_disk(nlp, tmp_path):
    ruler = nlp.get_pipe("measure_linker")
    ruler.to_disk(tmp_path / "ruler")
    assert (tmp_path / "ruler" / "patterns.jsonl").is_file()
    other = spacy.blank("en").add_pipe("measure_linker", config={"scorer": "ratio"})
    other.from_disk(tmp_path / "ruler")
    assert other.patterns == ruler.patterns
    assert other.scorer_name == "token_set_ratio"
    text = "Live Chat and 999 calls"
    assert other.match(other.nlp.make_doc(text)) == ruler.match(nlp.make_doc(text))


def test_whole_pipeline_round_trips(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    doc = loaded("Homicides rose")
    assert [s.label_ for s in doc.spans["measures"]] == ["homicide"]


# --------------------------------------------------------------------------- linking


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("Burglary Dwelling", "residential_burglary"),  # 2014 name
        ("Burglary", "all_burglary"),  # the broader wording goes to the parent
        ("Robberies", "all_robbery"),
        ("Burglary Residential", "residential_burglary"),  # 2024 name
        ("residential burglary", "residential_burglary"),
        ("Residential Burglaries", "residential_burglary"),
        ("Reduce Burglary Dwelling DW", "residential_burglary"),
        ("Burglary Other Buildings", "business_burglary"),
        ("homicides", "homicide"),
        ("Volumes of Homicides", "homicide"),
        ("hospital admissions for assault with a sharp object", "hospital_admissions_u25_sharp_object"),
        ("U25 admissions for sharps", "hospital_admissions_u25_sharp_object"),
        ("hospital admissions for under 25s with sharp object wounding", "hospital_admissions_u25_sharp_object"),
        ("lethal barrelled firearms discharges", "firearms_discharges"),
        ("Firearm discharges", "firearms_discharges"),
        ("trafficking offences", "drug_trafficking_offences"),
        ("Possession offences", "drug_possession_offences"),
        ("drug lines closed", "county_lines_closed"),
        ("Personsl Robberies", "personal_robbery"),  # the paper's typo
        ("Theft from Person", "theft_from_person"),
        ("Vehicle Crime", "vehicle_crime"),
        ("Anti-Social Behaviour (ASB)", "asb_incidents"),
        ("neighbourhood crime", "neighbourhood_crime"),
        ("WMNow", "wmnow_subscribers"),
        ("subscribers to WMNow", "wmnow_subscribers"),
        ("Live Chat", "live_chat_volume"),
        ("999 calls answered within 10 seconds", "emergency_999_answered_10s"),
        ("P1 median response time", "p1_median_response_time"),
        ("P2 Priority Response incidents", "p2_incidents"),
        ("Total Recorded Crime", "total_recorded_crime"),
        ("Reduce Total Recorded Crime DW", "total_recorded_crime"),
        ("Violence With Injury (VWI)", "violence_with_injury"),
        ("Solve and Resolve rate for VWI", "positive_outcome_rate_violence_with_injury"),
        ("Thefts from Shops and Stalls (TSS)", "shoplifting"),
        ("overall satisfaction with the service received for crime", "victim_satisfaction"),
        ("level of confidence in West Midlands Police", "confidence_ftd"),
        ("young people are engaged with the Cadet scheme", "cadets"),
        ("Police Officer Uplift target", "officer_uplift"),
        ("neighbourhood Police Officers", "neighbourhood_officers"),
        ("PCSOs", "pcsos"),
        ("timeliness of investigations", "complaints_days_to_finalise"),
        ("female representation of joiners", "workforce_female_share_joiners"),
        ("positive outcome rate for “reasonable grounds” Stops and Searches", "stop_search_positive_outcome_rate"),
    ],
)
def test_links_corpus_wording(linker, phrase, expected):
    measure_id, score = linker.link(phrase)
    assert measure_id == expected
    assert 85 <= score <= 100


@pytest.mark.parametrize(
    "phrase",
    ["the Board", "Operation Sentinel", "Chief Constable", "crime", "incidents", "median response time", ""],
)
def test_unrelated_or_ambiguous_phrases_link_to_nothing(linker, phrase):
    measure_id, score = linker.link(phrase)
    assert measure_id is None
    assert 0 <= score <= 100


@pytest.mark.parametrize(
    "phrase, section, context, expected",
    [
        ("median response time", "P1 incidents", None, "p1_median_response_time"),
        (
            "median response time",
            "Measure: P1-P3 Incident Demand and Response Times",
            "For P2 Priority Response incidents, 69,000 incidents were created",
            "p2_median_response_time",
        ),
        ("P1 median response time", "P2 Priority Response", None, "p1_median_response_time"),
        ("positive outcomes", "Burglary", None, "positive_outcome_rate_burglary"),
        ("positive outcomes", None, None, "positive_outcome_rate"),
        (
            "Median Response time for P1 response",
            None,
            "For Domestic Abuse the Median Response time for P1 response",
            "p1_median_response_time_domestic_abuse",
        ),
        ("Median Response time for P1 response", None, None, "p1_median_response_time"),
        (
            "satisfaction",
            "Increase satisfaction with services provided relating to ASB to 80%",
            None,
            "asb_victim_satisfaction",
        ),
        (
            "Burglary Other Buildings",
            "2013-14 Milestone to reduce Burglary Dwelling by 8 per cent",
            None,
            "business_burglary",
        ),
    ],
)
def test_section_and_context_break_ties(linker, phrase, section, context, expected):
    assert linker.link(phrase, section=section, context=context)[0] == expected


@pytest.mark.parametrize(
    "phrase, unit, kind, expected",
    [
        ("999 calls", "percent", "value", "emergency_999_answered_10s"),
        ("999 calls", "count", "value", "emergency_999_calls"),
        ("999 calls", None, None, "emergency_999_calls"),
        ("101 calls", "percent", None, "nonemergency_101_answered"),
        ("Live Chat", "percent", "value", "live_chat_answered"),
        ("Detect Burglary Dwelling", "percent", None, "positive_outcome_rate_burglary"),
        ("Detect Burglary Dwelling", "count", None, "detections"),  # a response, never the crime
        # a percent change or target of a count is still the count's measure
        ("Burglary Dwelling", "percent", "target", "residential_burglary"),
        ("Burglary Dwelling", "percent", "change", "residential_burglary"),
        ("Fraud / Cyber Crime", "count", "value", "fraud_cyber_reports"),
        ("Fraud / Cyber Crime", "GBP", "value", "fraud_losses"),
    ],
)
def test_unit_prefers_a_compatible_measure(linker, phrase, unit, kind, expected):
    assert linker.link(phrase, unit=unit, kind=kind)[0] == expected


def test_linker_is_built_once_per_catalogue(linker):
    assert get_linker() is linker
    assert get_linker(DEFAULT_CATALOGUE) is linker


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_link_never_fails(phrase):
    measure_id, score = get_linker().link(phrase, section=phrase[:10])
    assert measure_id is None or isinstance(measure_id, str)
    assert 0 <= score <= 100


# --------------------------------------------------------------------------- link cache


def test_repeated_links_come_from_the_cache_with_the_same_result(catalogue):
    """Regression: a 12-page paper asked ~512 times about ~16 phrases, scoring every alias each time."""
    fresh = MeasureLinker(catalogue)
    calls = [("Burglary Dwelling", "Crime", "moved from 1,137 to 1,274", "count", "value"), ("999 calls",)] * 50
    results = [fresh.link(*call) for call in calls]
    assert results == [fresh._link(*(call + (None,) * (5 - len(call)))) for call in calls]
    assert len(fresh._cache) == 2
    assert results[0][0] == "residential_burglary" and results[1][0] == "emergency_999_calls"


def test_link_cache_is_bounded(catalogue, monkeypatch):
    import extractor.link.measures as measures_module

    monkeypatch.setattr(measures_module, "LINK_CACHE_SIZE", 3)
    fresh = MeasureLinker(catalogue)
    for phrase in ("homicides", "Burglary", "PCSOs", "Vehicle Crime", "homicides"):
        fresh.link(phrase)
    assert list(k[0] for k in fresh._cache) == ["PCSOs", "Vehicle Crime", "homicides"]


def test_the_same_phrase_in_other_sentences_is_analysed_once(catalogue):
    fresh = MeasureLinker(catalogue)
    sentences = [f"{n}. In Coventry, recorded offences moved from {1000 + n:,} to {900 + n:,}." for n in range(40)]
    results = {fresh.link("Burglary Dwelling", "Burglary Dwelling and local priorities", s, "count") for s in sentences}
    assert results == {
        fresh._link("Burglary Dwelling", "Burglary Dwelling and local priorities", sentences[0], "count", None)
    }
    assert len(fresh._phrases) == 1 and len(fresh._cache) == 1  # the numbers match no alias word


SENTENCES = [
    None,
    "For P2 Priority Response incidents, 69,000 incidents were created",
    "For Domestic Abuse the Median Response time for P1 response",
    "Victim satisfaction stood at 85.2% and emergency attendance averaged 9 minutes",
    "Increase satisfaction with services provided relating to ASB to 80%",
]


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(["Burglary Dwelling", "999 calls", "median response time", "Live Chat", "positive outcomes"]),
    st.sampled_from([None, "P1 incidents", "Burglary", "Measure: P1-P3 Incident Demand and Response Times"]),
    st.sampled_from(SENTENCES),
    st.sampled_from([None, "percent", "count"]),
    st.sampled_from([None, "value", "change"]),
)
def test_cached_link_equals_uncached(phrase, section, context, unit, kind):
    linker = get_linker()
    assert linker.link(phrase, section, context, unit, kind) == linker._link(phrase, section, context, unit, kind)


def test_mentions_give_the_measures_a_text_names_word_for_word(linker):
    text = "Levels of hospital admissions for under 25s with sharp object wounding have fallen; MSV too."
    found = linker.mentions(text)
    assert [(m.measure_id, text[m.start : m.end]) for m in found] == [
        ("hospital_admissions_u25_sharp_object", "hospital admissions for under 25s with sharp object wounding"),
        ("most_serious_violence", "MSV"),
    ]
    assert linker.mentions(text) is found  # asked once per paragraph, then cached
    assert linker.mentions("Weapon surrender bins removed 2000 perilous weapons.") == ()


# --------------------------------------------------------------------------- parents and responses (issue 11)


def test_catalogue_parents_name_the_broader_measure(catalogue):
    by_id = {m.id: m for m in catalogue}
    assert by_id["residential_burglary"].parent == "all_burglary"
    assert by_id["personal_robbery"].parent == "all_robbery"
    assert by_id["theft_of_motor_vehicle"].parent == "vehicle_crime"
    assert ancestors(by_id, "theft_of_motor_vehicle") == ("vehicle_crime",)
    assert {"detections", "arrests", "charges"} <= set(by_id)


@pytest.mark.parametrize(
    "entries, message",
    [
        ([_entry(parent="nope")], "parent 'nope' is not a measure id of the catalogue"),
        ([_entry(parent="x")], "parents form a loop through 'x'"),
        (
            [_entry(parent="y"), _entry(id="y", name="Y", aliases=["why"], parent="x")],
            "parents form a loop through",
        ),
        ([_entry(parent="Not An Id")], "parent must be the snake_case id of another measure"),
    ],
)
def test_bad_parent_stops_the_catalogue(tmp_path, entries, message):
    with pytest.raises(CatalogueError, match=re.escape(message)):
        load_catalogue(_write(tmp_path, entries))


def test_catalogue_error_names_the_file_and_line(tmp_path):
    path = _write(tmp_path, [_entry(), _entry(id="y", name="Y", aliases=["why"], unit="furlongs")])
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "furlongs" in text)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(path)
    where, rest = str(err.value).split(": measure #2", 1)
    assert where.startswith(str(path) + ":")
    start = int(where.rsplit(":", 1)[1])
    assert 0 < start <= line  # the entry's first line, at or before the bad field
    assert "unit 'furlongs'" in rest


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "measures.yml"
    path.write_text("measures:\n  - id: x\n    name: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"measures\.yml:\d+: not valid YAML"):
        load_catalogue(path)


@pytest.mark.parametrize(
    "phrase, section, context, expected",
    [
        # the broader wording goes to the parent; the heading alone does not narrow it
        ("burglaries", "Residential burglary", "The force recorded 28,675 burglaries.", "all_burglary"),
        ("robberies", "Personal robbery", None, "all_robbery"),
        # the sentence (not only the heading) naming the child narrows it
        ("robberies", None, "Personal robbery fell: 7,633 robberies were recorded", "personal_robbery"),
        ("residential burglaries", "Burglary", None, "residential_burglary"),
        ("theft of a vehicle", "Vehicle crime", None, "theft_of_motor_vehicle"),
        ("vehicle crime", "Theft of a vehicle", None, "vehicle_crime"),
    ],
)
def test_parent_and_child_wording(linker, phrase, section, context, expected):
    assert linker.link(phrase, section=section, context=context, unit="count", kind="value")[0] == expected


@pytest.mark.parametrize(
    "phrase, unit, expected",
    [
        ("arrests for vehicle crime", "count", "arrests"),
        ("burglary detections", "count", "detections"),
        ("Detect Robbery", "count", "detections"),
        ("Detect Robbery", "percent", "positive_outcome_rate_robbery"),
        ("people charged with knife crime", "count", "charges"),
        ("vehicle crime", "count", "vehicle_crime"),
    ],
)
def test_responses_are_never_the_crime(linker, phrase, unit, expected):
    assert linker.link(phrase, unit=unit, kind="value")[0] == expected


def test_linking_rules_are_data(tmp_path):
    rules = load_linking_rules()
    assert any("arrest" in r.words and r.generic == "arrests" for r in rules)
    bad = tmp_path / "linking.yml"
    bad.write_text("responses:\n  - words: oops\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="responses #1: 'words' must be a list"):
        load_linking_rules(bad)


def test_a_word_of_a_name_is_not_the_name(linker):
    """ "There are 153 skilled (47.8%)" of CBRN responders: "skilled" alone is not "skilled
    Taser users"; the paper must say most of a measure's name."""
    assert linker.link("skilled", context="CBRN Responders: there are 153 skilled", unit="count")[0] is None
    assert linker.link("skilled Taser users", unit="count")[0] == "taser_users"

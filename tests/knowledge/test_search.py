"""Catalogue search on SQLite and PostgreSQL: filters, typos, distance, ladders, lookups."""

from __future__ import annotations

from typing import Iterator

import pytest
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.db import make_engine, make_sessionmaker
from knowledge.geography import locate
from knowledge.search import (
    credential_details,
    find_provider,
    occupation_wages,
    pathway_for,
    search_programs,
    search_services,
)
from tests.knowledge import sample_catalogue

pytestmark = pytest.mark.filterwarnings("ignore:Dialect sqlite")


@pytest.fixture
def session(database_url) -> Iterator[Session]:
    engine = make_engine(database_url)
    sample_catalogue.build(engine)
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


def ids(results) -> list:
    return [r.id for r in results]


# --- free text -----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("flebotomy", {"pcc-phlebotomy", "chemeketa-phlebotomy"}),
    ("weldin", {"chemeketa-welding", "lane-welding"}),
    ("welders", {"chemeketa-welding", "lane-welding"}),
    ("cna", {"pcc-cna", "chemeketa-cna"}),
    ("truck driving", {"lane-truck"}),
])
def test_text_is_typo_tolerant(session, text, expected):
    assert set(ids(search_programs(session, text=text, limit=10))) == expected


def test_a_real_word_is_never_corrected_into_another(session):
    # "wielding" is English: it is not a typo of "welding"; "weldin" is.
    assert ids(search_programs(session, text="wielding")) == []
    assert ids(search_programs(session, text="weldin"))


def test_words_naming_a_kind_of_training_alone_match_nothing(session):
    """"real estate license": no program is about real estate, and "license" alone says
    nothing about which program."""
    assert ids(search_programs(session, text="real estate license")) == []
    assert set(ids(search_programs(session, text="welding certificate", limit=10))) == {
        "chemeketa-welding", "lane-welding"}


def test_near_misses_of_a_short_query_are_marked(session):
    """"cnc welding": the welding programs match one word of two, so they are the
    closest there is, not a match; every word matched is a match."""
    near = search_programs(session, text="cnc welding", limit=10)
    assert near and all(r.partial for r in near)
    assert not any(r.partial for r in search_programs(session, text="welding", limit=10))


def test_a_licence_class_is_part_of_what_is_wanted(session):
    """"class b cdl": a CDL program that names no class B is the closest there is, and
    no typo tolerance turns "class a" into "class b"."""
    from knowledge.search.text import words

    assert words("need my Class A CDL") == ["need", "my", "class:a", "cdl"]
    assert words("CDL Class B tests") == ["cdl", "class:b", "tests"]
    assert words("a welding class a week") == ["a", "welding", "class", "a", "week"]
    near = search_programs(session, text="class b cdl", limit=10)
    assert ids(near) == ["lane-truck"] and near[0].partial


def test_text_reasons_name_the_catalogue_word(session):
    result = search_programs(session, text="flebotomy")[0]
    assert "matches 'phlebotomy'" in result.reasons
    assert result.score > 0


def test_text_matches_occupations_and_credentials(session):
    # "blood draw" is only an occupation keyword; "structural" only in a credential name.
    assert set(ids(search_programs(session, text="blood draw"))) == {
        "pcc-phlebotomy", "chemeketa-phlebotomy"}
    assert set(ids(search_programs(session, text="structural"))) == {
        "chemeketa-welding", "lane-welding"}


def test_no_match_is_an_empty_list(session):
    assert search_programs(session, text="astronaut zzzz") == []
    assert search_programs(session, text="welding", sector="healthcare") == []
    assert search_programs(session, sector="not a sector") == []
    assert search_programs(session, text="welding", offset=5) == []


# --- filters -------------------------------------------------------------------------

def test_sector_and_iet(session):
    assert set(ids(search_programs(session, sector="healthcare", limit=10))) == {
        "chemeketa-phlebotomy", "pcc-phlebotomy", "pcc-cna", "chemeketa-cna", "pcc-lpn"}
    assert set(ids(search_programs(session, sector="health care", iet_only=True,
                                   limit=10))) == {"chemeketa-phlebotomy", "pcc-cna"}


def test_schedule_any_of_and_flexible(session):
    found = set(ids(search_programs(session, schedule=["evening", "weekend"], limit=10)))
    assert found == {"chemeketa-welding", "pcc-cna", "chemeketa-phlebotomy",
                     "online-customer-service"}  # flexible fits any time
    evening = search_programs(session, text="welding", schedule=["evening"])
    assert ids(evening) == ["chemeketa-welding"]
    assert "evening classes" in evening[0].reasons


def test_modality_language_english_support(session):
    assert ids(search_programs(session, modality="online")) == ["online-customer-service"]
    assert set(ids(search_programs(session, language="es", limit=10))) == {
        "chemeketa-phlebotomy", "chemeketa-cna"}
    assert set(ids(search_programs(session, english_support=True, sector="healthcare",
                                   limit=10))) == {
        "chemeketa-phlebotomy", "pcc-cna", "chemeketa-cna"}


def test_max_cost_and_free(session):
    free = search_programs(session, max_cost=0, limit=10)
    assert set(ids(free)) == {"chemeketa-phlebotomy", "pcc-cna", "online-customer-service"}
    assert all("free" in r.reasons and r.cost_usd == 0.0 for r in free)
    cheap = search_programs(session, max_cost=1000, sector="manufacturing")
    assert ids(cheap) == ["lane-welding"]


def test_occupation_by_soc_or_title(session):
    assert set(ids(search_programs(session, occupation="31-9097.00"))) == {
        "pcc-phlebotomy", "chemeketa-phlebotomy"}
    assert set(ids(search_programs(session, occupation="nursing assistant"))) == {
        "pcc-cna", "chemeketa-cna"}


def test_paging(session):
    first = ids(search_programs(session, sector="healthcare", limit=2))
    second = ids(search_programs(session, sector="healthcare", limit=2, offset=2))
    assert len(first) == 2 and len(second) == 2 and not set(first) & set(second)


# --- place ---------------------------------------------------------------------------

def test_closer_first(session):
    results = search_programs(session, text="phlebotomy", place=locate("Salem"))
    assert ids(results) == ["chemeketa-phlebotomy"]  # PCC does not serve Marion County
    results = search_programs(session, text="welding", place=locate("97301"), limit=5)
    assert ids(results) == ["chemeketa-welding"]
    nearby = search_programs(session, sector="healthcare", place=locate("Salem"), limit=5)
    miles = [r.distance_miles for r in nearby]
    assert ids(nearby) == ["chemeketa-cna", "chemeketa-phlebotomy"]
    assert miles == sorted(miles) and miles[0] < 5


def test_distance_in_result_and_reasons(session):
    result = search_programs(session, text="phlebotomy", place=locate("Salem"))[0]
    assert 10 < result.distance_miles < 25
    assert any(r.endswith("miles from Salem") for r in result.reasons)
    assert result.serves_area is True


def test_provider_service_counties_honoured(session):
    # A Multnomah learner gets PCC's program, not Chemeketa's (which is nearer some ZIPs).
    assert ids(search_programs(session, text="cna", place=locate("Portland"))) == ["pcc-cna"]
    # A statewide provider serves every county.
    found = ids(search_programs(session, place=locate("Baker County"), limit=10))
    assert found == ["online-customer-service"]


def test_max_miles(session):
    salem = locate("Salem")
    assert "chemeketa-phlebotomy" not in ids(search_programs(
        session, place=salem, max_miles=5, limit=10))
    # Online programs are never too far.
    assert "online-customer-service" in ids(search_programs(
        session, place=salem, max_miles=5, limit=10))


def test_no_provider_serves_the_county_falls_back_to_nearest(session):
    results = search_programs(session, text="welding", place=locate("Bend"))
    assert results and results[0].serves_area is False
    assert any("closest we know of" in r for r in results[0].reasons)


def test_result_fields(session):
    r = search_programs(session, text="flebotomy", place=locate("Portland"))[0]
    assert r.id == "pcc-phlebotomy"
    assert r.provider_name == "Portland Community College"
    assert r.provider_phone == "971-722-6111"
    assert r.credentials == ["Certified Phlebotomy Technician"]
    assert r.occupations == ["Phlebotomists"]
    assert r.start_passed is True and r.next_start is not None
    assert r.cost_usd == 1500.0 and r.campus_city == "Portland"
    ok = search_programs(session, text="phlebotomy", place=locate("Salem"))[0]
    assert ok.start_passed is False and ok.campus_city == "Woodburn"
    assert ok.languages == ["en", "es"] and ok.schedule == ["weekend"]


# --- services ------------------------------------------------------------------------

def test_services_local_first_then_statewide(session):
    results = search_services(session, category="transportation", county="Marion")
    assert ids(results) == ["ride-marion", "ride-statewide"]
    assert results[0].statewide is False and results[1].statewide is True
    assert "serves Marion County" in results[0].reasons
    assert "available statewide" in results[1].reasons


def test_statewide_services_for_any_county(session):
    assert ids(search_services(session, category="transportation", county="Baker")) == [
        "ride-statewide"]
    assert set(ids(search_services(session, county="wallowa county"))) == {
        "help-211", "ride-statewide"}


def test_services_text_is_typo_tolerant(session):
    assert ids(search_services(session, text="daycare", county="marion")) == [
        "childcare-marion"]
    assert ids(search_services(session, text="hosing", county="Lane")) == ["help-211"]
    assert ids(search_services(session, category="child care", county="Marion")) == [
        "childcare-marion"]


def test_services_empty(session):
    assert search_services(session, category="legal", county="Marion") == []
    assert search_services(session, county="Narnia") == []
    assert search_services(session, text="zzzz") == []


# --- ladders, credentials, providers, wages ------------------------------------------

def test_pathway_ladder_in_order_with_wages(session):
    ladders = pathway_for(session, occupation="cna")
    assert ids(ladders) == ["nursing"]
    steps = ladders[0].steps
    assert [s.step for s in steps] == [1, 2, 3]
    assert [s.occupation for s in steps][0] == "Nursing Assistants"
    assert [s.median_hourly_wage for s in steps] == [19.0, 33.5, 55.0]
    assert steps[0].median_annual_wage == 39500.0
    assert [s.credential for s in steps][:2] == ["Certified Nursing Assistant",
                                                  "Practical Nurse License"]
    assert [p.id for p in steps[1].programs] == ["pcc-lpn"]
    assert steps[0].matched and not steps[1].matched
    assert steps[1].typical_months == 12


@pytest.mark.parametrize("query", [
    {"credential_id": "lpn"}, {"program_id": "pcc-lpn"}, {"text": "practical nurse"},
    {"occupation": "29-2061"},
])
def test_pathway_by_credential_program_or_text(session, query):
    ladders = pathway_for(session, **query)
    assert ladders[0].id == "nursing"
    assert ladders[0].reasons


def test_pathway_empty(session):
    assert pathway_for(session) == []
    assert pathway_for(session, occupation="astronaut") == []


def test_credential_details(session):
    cna = credential_details(session, "cna")
    assert cna.name == "Certified Nursing Assistant"
    assert cna.issuer == "Oregon State Board of Nursing" and cna.exam == "CNA competency exam"
    assert [c.id for c in cna.stacks_to] == ["lpn"]
    assert {p.id for p in cna.programs} == {"pcc-cna", "chemeketa-cna"}
    assert cna.program_count == 2
    typo = credential_details(session, "Certified Nursing Asistant")
    assert typo.id == "cna" and typo.reasons
    assert credential_details(session, "flebotomy").id == "cpt"
    assert credential_details(session, "astronaut wings") is None
    assert credential_details(session, "") is None


@pytest.mark.parametrize("query, expected", [
    ("chemeketa", "chemeketa"), ("Chemketa", "chemeketa"), ("PCC", "pcc"),
    ("portland cc", "pcc"), ("lane cc", "lane"), ("Lane Community College", "lane"),
    ("LCC", "lane"),
])
def test_find_provider(session, query, expected):
    provider = find_provider(session, query)
    assert provider is not None and provider.id == expected


def test_find_provider_details_and_misses(session):
    pcc = find_provider(session, "pcc")
    assert pcc.name == "Portland Community College" and pcc.program_count == 3
    assert pcc.team == "pcc" and "Multnomah" in pcc.counties
    assert find_provider(session, "community college") is None
    assert find_provider(session, "hogwarts") is None


def test_occupation_wages(session):
    welders = occupation_wages(session, "how much do welders make")
    assert welders[0].soc == "51-4121" and welders[0].median_hourly_wage == 25.0
    assert occupation_wages(session, "flebotomist")[0].title == "Phlebotomists"
    assert occupation_wages(session, "31-9097")[0].median_annual_wage == 46800.0
    assert occupation_wages(session, "astronaut") == []


def test_index_follows_catalogue_changes(session):
    assert search_programs(session, text="solar") == []
    provider = session.get(m.Provider, "lane")
    session.add(m.Program(id="lane-solar", provider=provider, title="Solar Installer",
                          sector="energy", iet=False, description="Install solar panels.",
                          schedule=["day"], languages=["en"], keywords=[]))
    session.commit()
    assert ids(search_programs(session, text="solar")) == ["lane-solar"]

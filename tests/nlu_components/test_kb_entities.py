"""The knowledge-base entity matcher on messages written the way learners write."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.nlu.fuzzy import FuzzyIndex
from bot.nlu.kb_entities import KnowledgeBaseEntityMatcher
from bot.nlu.spacy_assets import load_pipeline
from bot.nlu.words import WordFrequency
from knowledge.models import Program, Provider
from tests.nlu_components.conftest import parse_with, values, wait_for


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "welder" is a keyword of two programs: an interest, so no single program.
        ("i want to b a welder in salem", {"occupation": "51-4121", "place": "Salem"}),
        (
            "flebotomy classes near eugen",
            {"program": "lane-phlebotomy", "occupation": "31-9097", "place": "Eugene"},
        ),
        ("what is a CDA", {"credential": "cda"}),
        (
            "child care in marion county",
            {"service_category": "childcare", "place": "Marion County"},
        ),
        (
            "does PCC have cna",
            {
                "provider": "pcc",
                "credential": "cna-1",
                "program": "pcc-cna",
                "occupation": "31-1131",
            },
        ),
        ("tell me about the welding technology certificate", {"program": "chemeketa-welding"}),
        ("my kid needs daycare 97301", {"service_category": "childcare", "place": "97301"}),
        ("need a bus pass", {"service_category": "transportation"}),
        ("where can i get food boxes", {"service_category": "basic_needs"}),
        ("help with basic needs", {"service_category": "basic_needs"}),
        ("Welders in Portland", {"occupation": "51-4121", "place": "Portland"}),
    ],
)
def test_finds_catalogue_records_in_learner_messages(
    matcher: KnowledgeBaseEntityMatcher, text: str, expected: dict
) -> None:
    assert values(parse_with(matcher, text)) == expected


def test_entities_carry_offsets_confidence_and_extractor(
    matcher: KnowledgeBaseEntityMatcher,
) -> None:
    text = "does PCC have cna"
    provider = next(e for e in parse_with(matcher, text) if e["entity"] == "provider")
    assert text[provider["start"] : provider["end"]] == "PCC"
    assert provider["confidence"] == 1.0
    assert provider["extractor"] == "KnowledgeBaseEntityMatcher"
    assert provider["additional_info"]["method"] == "exact"


@pytest.mark.parametrize(
    ("text", "typed", "expected"),
    [
        ("flebotomy", "flebotomy", {"program": "lane-phlebotomy", "occupation": "31-9097"}),
        ("weldin jobs", "weldin", {"occupation": "51-4121"}),
        ("i live in Sallem", "Sallem", {"place": "Salem"}),
        # a letter dropped from an everyday word of a longer name
        ("teacher aide grants pas", "grants pas", {"place": "Grants Pass"}),
        # names written as they sound
        ("ged in wudburn", "wudburn", {"place": "Woodburn"}),
        ("classes near medfrd", "medfrd", {"place": "Medford"}),
        ("portland comunity college", "portland comunity college", {"provider": "pcc"}),
        (
            "welding technolgy certificate",
            "welding technolgy certificate",
            {"program": "chemeketa-welding"},
        ),
    ],
)
def test_tolerates_small_typos(
    matcher: KnowledgeBaseEntityMatcher, text: str, typed: str, expected: dict
) -> None:
    entities = parse_with(matcher, text)
    assert values(entities) == expected
    for entity in entities:
        assert text[entity["start"] : entity["end"]] == typed
        assert entity["additional_info"]["method"] == "fuzzy"
        assert 0.5 <= entity["confidence"] < 1.0


def test_word_forms_and_run_together_words_match(matcher: KnowledgeBaseEntityMatcher) -> None:
    assert values(parse_with(matcher, "welders")) == {"occupation": "51-4121"}
    assert values(parse_with(matcher, "bus passes")) == {"service_category": "transportation"}
    # The keyword is "daycare"; learners also write it in two words.
    day_care = parse_with(matcher, "day care in salem")
    assert values(day_care)["service_category"] == "childcare"
    assert day_care[0]["additional_info"]["method"] == "joined"


@pytest.mark.parametrize("text", ["CNAs in salem", "cnas", "the CNA's there"])
def test_plural_acronyms_match_their_singular(matcher: KnowledgeBaseEntityMatcher,
                                              text: str) -> None:
    assert values(parse_with(matcher, text))["credential"] == "cna-1"


@pytest.mark.parametrize(
    "text",
    [
        "the",
        "and",
        "care",
        "i need to train for a job",  # Trail is a town
        "what are the dates",  # Gates is a town
        "this is boring",  # so is Boring
        "how do i get a grant",  # and Grant a county
        "my friend told me about you",
        "i work on the lane",
        "can i take classes in the evening",
        "quiero clases de ingles",
        "how much does it cost",
        "i need help",  # "help" and "care" are keywords of a service, too plain to count
        "i dont care",
        "i want a better paying job",  # everyday words near a name are left alone
        "my brother works at a grocery store",
        "they said i could start monday morning",
    ],
)
def test_no_entities_in_everyday_words(matcher: KnowledgeBaseEntityMatcher, text: str) -> None:
    assert parse_with(matcher, text) == []


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("i live in bend", "Bend"),
        ("bend", "Bend"),
        ("Sisters, OR", "Sisters"),
        ("classes near sisters", "Sisters"),
        ("im in hood river", "Hood River"),
        ("jobs in multnomah", "Multnomah County"),
        ("lane county", "Lane County"),
    ],
)
def test_places_that_are_also_words_count_where_they_read_as_places(
    matcher: KnowledgeBaseEntityMatcher, text: str, place: str
) -> None:
    assert values(parse_with(matcher, text)) == {"place": place}


def test_a_college_named_like_a_county_is_the_college_unless_it_reads_as_a_place(
    database: Engine,
) -> None:
    with Session(database, future=True) as session, session.begin():
        session.get(Provider, "lane").aliases = ["LCC", "Lane"]
    component = KnowledgeBaseEntityMatcher.from_config({})
    assert values(parse_with(component, "does lane have welding")) == {
        "provider": "lane",
        "occupation": "51-4121",
    }
    assert values(parse_with(component, "classes in lane")) == {
        "provider": "lane",
        "place": "Lane County",
    }


def test_lower_case_it_is_not_an_acronym(database: Engine) -> None:
    with Session(database, future=True) as session, session.begin():
        session.add(
            Program(
                id="it-basics",
                provider_id="pcc",
                title="Computer Support",
                iet=True,
                sector="information_technology",
                description="Sample.",
                keywords=["IT"],
            )
        )
    component = KnowledgeBaseEntityMatcher.from_config({"refresh_interval_seconds": 0})
    assert parse_with(component, "is it free") == []
    assert values(parse_with(component, "IT classes")) == {"program": "it-basics"}


def test_a_spanish_function_word_names_a_record_only_after_an_article(database: Engine) -> None:
    # "para" is short for paraeducator, and "for" in Spanish.
    with Session(database, future=True) as session, session.begin():
        session.add(Program(id="para-basics", provider_id="pcc", title="Classroom Aide",
                            iet=True, sector="education", description="Sample.",
                            keywords=["para"]))
    component = KnowledgeBaseEntityMatcher.from_config({"refresh_interval_seconds": 0})
    assert parse_with(component, "busco curso para cuidar ancianos") == []
    assert values(parse_with(component, "i want to be a para")) == {"program": "para-basics"}


def test_a_program_added_after_loading_is_found_without_retraining(
    fresh_matcher: KnowledgeBaseEntityMatcher, database: Engine
) -> None:
    question = "tell me about the wind turbine technician program"
    assert values(parse_with(fresh_matcher, question)) == {}
    with Session(database, future=True) as session, session.begin():
        session.add(
            Program(
                id="cgcc-wind",
                provider_id="pcc",
                title="Wind Turbine Technician",
                sector="energy",
                iet=True,
                description="Sample.",
                keywords=["wind tech"],
            )
        )
    # The check runs in the background: the first messages may still see the old list.
    assert wait_for(lambda: values(parse_with(fresh_matcher, question)) == {"program": "cgcc-wind"})


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///{tmp}/missing/navigator.db",
        "sqlite:///{tmp}/not-a-database.db",
        "postgresql://nobody:secret@127.0.0.1:9/navigator",
    ],
)
def test_unreachable_database_leaves_place_names_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, url: str
) -> None:
    (tmp_path / "not-a-database.db").write_bytes(b"this is not sqlite" * 100)
    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", url.format(tmp=tmp_path))
    component = KnowledgeBaseEntityMatcher.from_config({"refresh_interval_seconds": 0})
    assert values(parse_with(component, "welding in salem")) == {"place": "Salem"}
    assert "Cannot read the knowledge base" in caplog.text
    assert not (tmp_path / "missing").exists()  # no empty database made on the side


def test_empty_database_warns_and_keeps_place_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from knowledge.db import make_engine
    from knowledge.models import metadata

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    metadata.create_all(make_engine(url))
    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", url)
    component = KnowledgeBaseEntityMatcher.from_config({})
    assert values(parse_with(component, "welding in salem")) == {"place": "Salem"}
    assert "is empty" in caplog.text


def test_diet_entities_take_kb_values_and_other_types_stay(
    matcher: KnowledgeBaseEntityMatcher,
) -> None:
    text = "welder classes in salem at night"
    diet = [
        {
            "entity": "occupation",
            "start": 0,
            "end": 14,
            "value": "welder classes",
            "extractor": "DIETClassifier",
        },
        {
            "entity": "place",
            "start": 18,
            "end": 23,
            "value": "salem",
            "extractor": "DIETClassifier",
        },
        {
            "entity": "schedule",
            "start": 27,
            "end": 32,
            "value": "night",
            "extractor": "DIETClassifier",
        },
    ]
    entities = parse_with(matcher, text, diet)
    assert [(e["entity"], e["value"], e["extractor"], e.get("processors")) for e in entities] == [
        ("occupation", "51-4121", "DIETClassifier", ["KnowledgeBaseEntityMatcher"]),
        ("place", "Salem", "DIETClassifier", ["KnowledgeBaseEntityMatcher"]),
        ("schedule", "night", "DIETClassifier", None),
    ]


def test_processing_a_message_twice_does_not_double_entities(
    matcher: KnowledgeBaseEntityMatcher,
) -> None:
    once = parse_with(matcher, "child care in salem")
    assert parse_with(matcher, "child care in salem", once) == once



def test_one_letter_of_its_own_is_not_a_typo() -> None:
    # "cdl class b" is one edit from "cdl class a", but B is a class, not a slip.
    nlp = load_pipeline()
    index = FuzzyIndex(["cdl class a", "grants pass"], WordFrequency(nlp))
    assert [hit.term for hit in index.find(nlp("cdl class b in grants pas"))] == ["grants pass"]


def test_only_places_are_read_by_ear() -> None:
    # "beekeeping" sounds like "bookkeeping" to a consonant key; a job is never guessed so.
    nlp = load_pipeline()
    index = FuzzyIndex(["bookkeeping", "woodburn"], WordFrequency(nlp), said_by_ear=["woodburn"])
    assert [hit.term for hit in index.find(nlp("beekeeping near wudburn"))] == ["woodburn"]

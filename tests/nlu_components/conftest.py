"""A small catalogue in a throw-away SQLite database, and the matcher reading it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.nlu.kb_entities import KnowledgeBaseEntityMatcher
from bot.nlu.spacy_assets import build_pipeline
from knowledge.db import make_engine
from knowledge.models import Credential, Occupation, Program, Provider, Service, metadata

Entity = Dict[str, Any]


@pytest.fixture(scope="session", autouse=True)
def spacy_pipeline() -> Path:
    # The same build setup makes; reused when it is already there.
    return build_pipeline()


def provider(id_: str, name: str, aliases: List[str], city: str, zip_: str) -> Provider:
    return Provider(
        id=id_,
        name=name,
        kind="community_college",
        city=city,
        zip=zip_,
        aliases=aliases,
        counties=[],
    )


def program(
    id_: str,
    provider_id: str,
    title: str,
    keywords: List[str],
    sector: str,
    occupations: List[Occupation] = (),
    credentials: List[Credential] = (),
) -> Program:
    return Program(
        id=id_,
        provider_id=provider_id,
        title=title,
        sector=sector,
        iet=True,
        description="Sample.",
        keywords=keywords,
        occupations=list(occupations),
        credentials=list(credentials),
    )


def sample_catalogue() -> List[Any]:
    welders = Occupation(
        soc="51-4121",
        title="Welders, Cutters, Solderers, and Brazers",
        keywords=["welder", "welding"],
    )
    phlebotomists = Occupation(
        soc="31-9097", title="Phlebotomists", keywords=["phlebotomist", "phlebotomy"]
    )
    aides = Occupation(soc="31-1131", title="Nursing Assistants", keywords=["nurse aide"])
    cna = Credential(
        id="cna-1",
        name="Certified Nursing Assistant 1",
        kind="license",
        description="Sample.",
        keywords=["CNA", "CNA 1"],
    )
    cda = Credential(
        id="cda",
        name="Child Development Associate (CDA)",
        kind="industry_certification",
        description="Sample.",
        keywords=[],
    )
    return [
        welders,
        phlebotomists,
        aides,
        cna,
        cda,
        provider("pcc", "Portland Community College", ["PCC", "Portland CC"], "Portland", "97219"),
        provider("chemeketa", "Chemeketa Community College", ["Chemeketa"], "Salem", "97305"),
        provider("lane", "Lane Community College", ["LCC", "Lane CC"], "Eugene", "97405"),
        program(
            "chemeketa-welding",
            "chemeketa",
            "Welding Technology Certificate",
            ["welder", "welding", "fabrication"],
            "manufacturing",
            [welders],
        ),
        program(
            "pcc-welding",
            "pcc",
            "Welding and Fabrication",
            ["welding", "welder"],
            "manufacturing",
            [welders],
        ),
        program(
            "lane-phlebotomy",
            "lane",
            "Phlebotomy Technician",
            ["phlebotomy", "blood draw"],
            "healthcare",
            [phlebotomists],
        ),
        program(
            "pcc-cna",
            "pcc",
            "Nursing Assistant (CNA) Training",
            ["cna", "nurse aide"],
            "healthcare",
            [aides],
            [cna],
        ),
        Service(
            id="erdc",
            name="Employment Related Day Care",
            category="childcare",
            organization="ODHS",
            counties=["*"],
            description="Sample.",
            how_to_apply="Call.",
            keywords=["child care", "daycare"],
        ),
        Service(
            id="cherriots",
            name="Cherriots Lift",
            category="transportation",
            organization="Cherriots",
            counties=["Marion"],
            description="Sample.",
            how_to_apply="Call.",
            keywords=["bus pass", "rides"],
        ),
        # Staff sometimes list plain words as keywords; they must not tag every message.
        Service(
            id="211info",
            name="211info",
            category="basic_needs",
            organization="211info",
            counties=["*"],
            description="Sample.",
            how_to_apply="Call 211.",
            keywords=["help", "care", "food boxes"],
        ),
    ]


def create_catalogue(url: str) -> Engine:
    engine = make_engine(url)
    metadata.create_all(engine)
    with Session(engine, future=True) as session, session.begin():
        session.add_all(sample_catalogue())
    return engine


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBaseEntityMatcher:
    """One matcher per test module, for tests that only read (loading takes a second)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'navigator.db'}"
    create_catalogue(url).dispose()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NAVIGATOR_DATABASE_URL", url)
        return KnowledgeBaseEntityMatcher.from_config({})


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'navigator.db'}"
    engine = create_catalogue(url)
    monkeypatch.setenv("NAVIGATOR_DATABASE_URL", url)
    yield engine
    engine.dispose()


@pytest.fixture
def fresh_matcher(database: Engine) -> KnowledgeBaseEntityMatcher:
    # Interval 0: every message may start a check, as a test of freshness needs.
    return KnowledgeBaseEntityMatcher.from_config({"refresh_interval_seconds": 0})


def parse_with(
    component: KnowledgeBaseEntityMatcher, text: str, earlier: List[Entity] = ()
) -> List[Entity]:
    message = Message(data={TEXT: text, ENTITIES: list(earlier)})
    component.process([message])
    return message.get(ENTITIES)


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def values(entities: List[Entity]) -> Dict[str, Any]:
    """entity type -> value, for assertions; fails on a type found twice."""
    found: Dict[str, Any] = {}
    for entity in entities:
        assert entity["entity"] not in found, entities
        found[entity["entity"]] = entity["value"]
    return found

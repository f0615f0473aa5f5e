"""The entity matcher tags every Oregon place in every common spelling inside a message.

The cases (places, spellings, cues, what counts as right) are those of
tests/knowledge/test_place_variants.py; here each message goes through the knowledge-base
entity matcher, built in-process on the small sample catalogue (no trained model), and a
`place` entity must come out whose value `locate` turns into a right answer.
"""

from __future__ import annotations

import time

import pytest

from bot.nlu.kb_entities import KnowledgeBaseEntityMatcher
from knowledge.geography import locate
from tests.knowledge.test_place_variants import check_rate, describe, is_right, sentences
from tests.nlu_components.conftest import parse_with


def test_every_spelling_of_every_place_is_tagged(matcher: KnowledgeBaseEntityMatcher) -> None:
    started = time.perf_counter()
    checked = sentences()
    failures = []
    for case, message in checked:
        values = [e["value"] for e in parse_with(matcher, message) if e["entity"] == "place"]
        places = [locate(value) for value in values]
        if not places or not all(is_right(case, place) for place in places):
            failures.append(describe(case, message, places) + f" {values}")
    check_rate("entity matcher", len(checked), failures)
    assert time.perf_counter() - started < 60


@pytest.mark.parametrize(
    "text",
    [
        "this is boring",
        "my sisters can watch my kids",
        "how do i bend conduit",
        "is there a union for welders",
        "i need a grant for school",
        "the post office job",
        "i like to fish in the lake",
        "welding classes in the evening",
        "classes near me",
        "im around at night",
        "from monday",
        "vale, gracias",
        "mis hermanas cuidan a mis hijos",
    ],
)
def test_everyday_words_away_from_a_cue_are_not_places(
    matcher: KnowledgeBaseEntityMatcher, text: str
) -> None:
    assert [e for e in parse_with(matcher, text) if e["entity"] == "place"] == []


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("welding classes in bend", "Bend"),
        ("near sisters", "Sisters"),
        ("im around boring", "Boring"),
        ("from union co", "Union County"),
        ("by the dalles", "The Dalles"),
        ("i live in st. helens", "Saint Helens"),
        ("classes near Mt Angel", "Mount Angel"),
        ("from hood-river", "Hood River"),
        ("welding classes in klamathfalls", "Klamath Falls"),
        ("hvac en el condado de lane", "Lane County"),
        ("cna classes in k falls", "Klamath Falls"),
        ("ocupo aventon pa ir a las clases en bend", "Bend"),
        ("entrenamiento de cdl cerca de vale", "Vale"),
        ("vivo por sisters", "Sisters"),
    ],
)
def test_places_next_to_a_cue(matcher: KnowledgeBaseEntityMatcher, text: str, place: str) -> None:
    assert [e["value"] for e in parse_with(matcher, text) if e["entity"] == "place"] == [place]

"""Which language a learner writes in: said, set by the page, or clear from the words."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language import ENTITY, LanguageDetector, language_of


@pytest.mark.parametrize("text, language", [
    # Said in so many words, in either language, by chat or by SMS keyword.
    ("en español por favor", "es"),
    ("ESPAÑOL", "es"),
    ("can u speak spanish", "es"),
    ("ENGLISH", "en"),
    ("in english please", "en"),
    ("hablas ingles?", "en"),
    # Written in it, without accents, in Spanglish, with place names.
    ("busco clases de soldadura en salem", "es"),
    ("necesito guarderia en woodburn", "es"),
    ("quiero ser truck driver", "es"),
    ("vivo en eugene", "es"),
    ("hola", "es"),
    ("welding classes in salem", "en"),
    ("after school pickup", "en"),
    # English names of things in a Spanish sentence; places say nothing either way.
    ("la home care aide card quien la da?", "es"),
    ("grants pass", None), ("the dalles", None),
    # One ambiguous word decides nothing: the conversation keeps its language.
    ("ok", None), ("no", None), ("taco", None), ("si", None), ("Rosa", None), ("cna", None),
    ("503-555-0111", None),
    # A button press says nothing about the language.
    ('/inform{"service_category": "food"}', None),
])
def test_the_language_a_message_calls_for(text, language):
    assert language_of(text) == language


def test_the_page_language_decides_only_what_the_words_leave_open():
    assert language_of("/greet", {"language": "es"}) == "es"  # the opening message
    assert language_of("ok", {"language": "es"}) == "es"
    assert language_of("welding classes in salem", {"language": "es"}) == "en"
    assert language_of("/greet") is None


def test_the_component_adds_one_language_entity_and_leaves_the_others():
    message = Message(data={"text": "busco clases de cocina en salem", "entities": [
        {"entity": "place", "value": "salem", "start": 26, "end": 31}]})
    LanguageDetector().process([message])
    entities = message.get("entities")
    assert [e["entity"] for e in entities] == ["place", ENTITY]
    assert entities[-1]["value"] == "es"

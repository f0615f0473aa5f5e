"""Asking for a person is never lost to a topic named in the same message."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.person_request import PersonRequestDetector, asks_for_person


@pytest.mark.parametrize("text", [
    "could somebody phone me about the dental program", "have a counselor email me pls",
    "i'd like a human to explain this", "get me someone who knows the school",
    "can a navigator help me sign up", "is anyone able to text me later",
    "put me through to a real person", "i need an advisor", "que alguien me llame mañana",
    "quiero hablar con alguien de la escuela", "can i get a call back tomorrow",
    "comuniqueme con una persona porfa", "que alguien me devuelva el mensaje",
    "necesito que me regresen la llamada", "quiero que una consejera me escriba",
])
def test_requests_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", [
    "can someone help me find cna classes", "i want to be a counselor",
    "what does a navigator do", "i like working with people", "how do i call the college",
    "text me", "welding in salem", "is the staff friendly", "i want to talk about welding",
    "quiero ser consejera", "necesito una persona que cuide a mis hijos",
])
def test_other_messages_are_not_person_requests(text):
    assert not asks_for_person(text)


def _message(text: str, intent: str) -> Message:
    message = Message.build(text=text)
    message.set("intent", {"name": intent, "confidence": 0.8})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.8}])
    return message


def test_the_request_wins_over_a_topic_but_not_over_crisis_or_a_button():
    topic = _message("can somebody call me about nursing classes", "find_program")
    crisis = _message("can somebody call me i want to die", "crisis")
    button = _message("/find_program", "find_program")
    PersonRequestDetector().process([topic, crisis, button])
    assert topic.get("intent")["name"] == "human_handoff"
    assert topic.get("intent_ranking")[1]["name"] == "find_program"
    assert crisis.get("intent")["name"] == "crisis"
    assert button.get("intent")["name"] == "find_program"


def test_a_cancel_must_say_so_to_beat_a_request_for_a_call():
    asked = _message("can someone call me porfa, my english no es muy bueno", "cancel_referral")
    cancel = _message("no need to call me anymore, i found a job", "cancel_referral")
    PersonRequestDetector().process([asked, cancel])
    assert asked.get("intent")["name"] == "human_handoff"
    assert cancel.get("intent")["name"] == "cancel_referral"


def test_a_status_check_must_ask_after_a_request_to_beat_asking_for_one():
    asked = _message("could a navigator ring me sometime", "check_referral")
    status = _message("did a navigator call me yet", "check_referral")
    when = _message("when is somebody gonna call me", "check_referral")
    PersonRequestDetector().process([asked, status, when])
    assert asked.get("intent")["name"] == "human_handoff"
    assert status.get("intent")["name"] == "check_referral"
    assert when.get("intent")["name"] == "check_referral"

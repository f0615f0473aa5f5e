"""The four conversations that broke when a new user tried the navigator (issue 13),
played over the REST channel against the real stack and the sample catalogue."""

from __future__ import annotations

import uuid

import pytest

from tests.replies import buttons, texts

pytestmark = pytest.mark.integration

CONSENT_QUESTION = "I can ask a navigator, a real person"
METHOD_QUESTION = "How should the navigator reach you?"


@pytest.fixture
def sender() -> str:
    return f"t-{uuid.uuid4()}"


def test_asking_for_a_call_after_a_search_starts_the_handoff(navigator, sender):
    found = texts(navigator.say(sender, "welding classes in salem"))
    assert "Welding" in found
    asked = texts(navigator.say(sender, "can someone call me about this?"))
    assert CONSENT_QUESTION in asked
    assert "What is your first name?" in texts(navigator.say(sender, "yes"))
    after_name = navigator.say(sender, "Ana")
    # The name is the answer to the question, never a search filter.
    assert METHOD_QUESTION in texts(after_name)
    assert "None match" not in texts(after_name)


def test_a_phone_number_answers_how_to_reach_the_learner(navigator, sender):
    navigator.say(sender, "i want to talk to a real person")
    navigator.say(sender, "yes")
    assert METHOD_QUESTION in texts(navigator.say(sender, "Ana"))
    after_number = texts(navigator.say(sender, "503-555-0134"))
    assert "Please choose" not in after_number
    assert METHOD_QUESTION not in after_number
    assert "When is a good time to reach you?" in after_number


def test_a_need_a_goal_and_a_place_in_one_message_are_all_kept(navigator, sender):
    replies = navigator.say(
        sender, "hey can u help me get my ged? i live in gresham and i dont have a car")
    shown = texts(replies) + "\n" + "\n".join(buttons(replies))
    assert "What kind of help do you need?" not in shown
    assert "Where do you live?" not in shown
    # Gresham is in Multnomah County: the answer is about there, and the other need is
    # answered or offered, not dropped.
    assert "Multnomah" in shown or "Gresham" in shown
    assert "ride" in shown.lower() or "bus" in shown.lower()
    assert "GED" in shown or "Classes" in shown


def test_no_match_says_what_was_searched_and_offers_a_person(navigator, sender):
    replies = navigator.say(sender, "beekeeping classes in pendleton")
    said = texts(replies)
    assert "did not find" in said
    assert "Pendleton" in said
    assert "Talk to a person" in buttons(replies)
    asked = texts(navigator.say(sender, "/human_handoff"))
    assert CONSENT_QUESTION in asked

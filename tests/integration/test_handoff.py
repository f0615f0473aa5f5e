"""Journeys 7 and 8 over the REST channel of the real stack, checked in the database."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text

from bot.records import store
from tests.replies import buttons, texts

pytestmark = pytest.mark.integration
CODE = re.compile(r"(?:Your code is|Su código es) ([A-Z0-9]{6})")


@pytest.fixture
def sender() -> str:
    return f"handoff-{uuid.uuid4()}"


@pytest.fixture
def navigator_db(navigator):
    engine = create_engine(navigator.database_url, future=True)
    yield engine
    engine.dispose()


@pytest.fixture
def tracker_db(navigator):
    engine = create_engine(f"sqlite:///{navigator.var_dir / 'tracker.db'}", future=True)
    yield engine
    engine.dispose()


def referral_of(engine, sender: str):
    with engine.connect() as conn:
        return conn.execute(select(store.referrals).where(
            store.referrals.c.sender_id == sender)).mappings().first()


def make_referral(navigator, sender: str) -> str:
    """The whole learner side: a program, then a person, with consent and details."""
    navigator.say(sender, "welding classes in eugene")
    navigator.say(sender, "tell me more about 1")
    asked = navigator.say(sender, "can i talk to a real person")
    assert "Is that OK?" in texts(asked)
    assert "share this chat" in texts(asked)
    assert "What is your first name?" in texts(navigator.say(sender, "/affirm"))
    assert "How should the navigator reach you?" in texts(navigator.say(sender, "Maria"))
    assert "phone number" in texts(navigator.say(sender, "text"))
    bad = texts(navigator.say(sender, "12345"))
    assert "does not look like a phone number" in bad
    assert "good time" in texts(navigator.say(sender, "(541) 555-0199"))
    assert "language" in texts(navigator.say(sender, "weekday mornings"))
    # Choosing Spanish for the navigator makes the rest of the conversation Spanish too.
    check = texts(navigator.say(sender, "Spanish"))
    assert "Por favor, revise: Maria" in check and "+15415550199" in check
    done = texts(navigator.say(sender, "/affirm"))
    assert "2 días de trabajo" in done
    return CODE.search(done).group(1)


def test_referral_is_routed_to_the_programs_team_with_consent(navigator, navigator_db, sender):
    code = make_referral(navigator, sender)
    assert not set(code) & set("0O1IL2Z5S8B")
    row = referral_of(navigator_db, sender)
    assert row["code"] == code
    assert row["team"] == "lane"  # the provider of the welding program chosen in Eugene
    assert row["phone"] == "+15415550199" and row["contact_method"] == "text"
    assert row["first_name"] == "Maria" and row["language"] == "Spanish"
    assert row["county"] == "Lane" and row["consent_at"] is not None
    assert row["program_id"] == "lane-welding"
    assert "lane-welding" in row["summary"]["programs"]

    status = texts(navigator.say(sender, "did anyone see my request?"))
    assert f"Request {code}" in status
    cancelled = texts(navigator.say(sender, "cancel my request"))
    assert code in cancelled
    assert referral_of(navigator_db, sender)["status"] == "cancelled"


def test_delete_my_data_erases_details_and_transcript(navigator, navigator_db, tracker_db,
                                                      sender):
    make_referral(navigator, sender)
    count = text("SELECT count(*) FROM events WHERE sender_id = :s")
    with tracker_db.connect() as conn:
        assert conn.execute(count, {"s": sender}).scalar_one() > 10
    assert "delete" in texts(navigator.say(sender, "delete my data"))
    assert "deleted" in texts(navigator.say(sender, "/affirm"))

    with tracker_db.connect() as conn:
        assert conn.execute(count, {"s": sender}).scalar_one() == 0
    assert referral_of(navigator_db, sender) is None  # no longer linked to the conversation
    with navigator_db.connect() as conn:
        erased = conn.execute(select(store.referrals).where(
            store.referrals.c.erased_at.isnot(None))).mappings().all()
    assert erased
    for row in erased:
        assert row["first_name"] is None and row["phone"] is None and row["email"] is None
        assert row["best_time"] is None and row["place"] is None and row["summary"] == {}


def test_no_consent_no_referral(navigator, navigator_db, sender):
    navigator.say(sender, "i want to talk to a human")
    answer = texts(navigator.say(sender, "/deny"))
    assert "did not share anything" in answer and "211" in answer
    with navigator_db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(store.referrals).where(
            store.referrals.c.sender_id == sender)).scalar_one() == 0


def test_crisis_words_get_crisis_lines_first(navigator, sender):
    replies = navigator.say(sender, "i dont want to live anymore")
    first = replies[0]["text"]
    assert "988" in first and "911" in first and "211" in first
    assert "Talk to a person" in buttons(replies)


def test_two_misses_offer_a_person(navigator, sender):
    # The fallback intent itself, as the classifier reports a message it cannot place.
    first = navigator.say(sender, "/nlu_fallback")
    assert "Talk to a person" not in buttons(first)
    replies = navigator.say(sender, "/nlu_fallback")
    assert "Talk to a person" in buttons(replies)


FORM_ANSWERS = ["/affirm", "Karla", "call", "503-555-0199", "evenings"]


@pytest.mark.parametrize("answered", range(len(FORM_ANSWERS)))
def test_crisis_words_at_any_step_of_the_form_get_crisis_lines(navigator, sender, answered):
    """However far the form has got, crisis words are never taken as its answer."""
    navigator.say(sender, "i want to talk to a real person")
    for answer in FORM_ANSWERS[:answered]:
        navigator.say(sender, answer)
    assert "988" in texts(navigator.say(sender, "no veo pa que seguir viva"))

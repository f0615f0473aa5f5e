"""A learner's answers to the navigator's own messages and the reminders they ask for, by
the real actions on the sample catalogue: "remind me before it starts" plans one
reminder 3 days ahead; the follow-up's "2" flags the referral for the team lead."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import store_access
from actions.handoff import ActionReferralStatus
from actions.programs import REMIND_PAYLOAD, ActionAnswerProgramQuestion, details_reply
from bot.records import schedule, store
from bot.records.tables import scheduled_messages
from bot.wording import say_in
from knowledge.db import make_engine
from tests.actions.run_action import replies, tracker

pytestmark = pytest.mark.usefixtures("sample_catalogue")
# What the "Remind me before it starts" button sends.
REMIND = {"intent": "ask_schedule", "entities": [{"entity": "reminder", "value": "class_start"}]}


@pytest.fixture
def engine(sample_catalogue, monkeypatch):
    engine = make_engine(sample_catalogue._url)
    monkeypatch.setattr(store_access, "_engine", engine)
    with engine.begin() as conn:
        conn.execute(scheduled_messages.delete())
    yield engine
    engine.dispose()


async def test_remind_me_plans_one_reminder_three_days_before_the_start(engine, monkeypatch):
    monkeypatch.setenv("NAVIGATOR_TODAY", "2026-12-01")
    slots = {"selected_program": "lane-welding", "language": "en"}
    said = await replies(ActionAnswerProgramQuestion(), slots, **REMIND)
    assert len(said) == 1 and "Jan 2, 2027" in said[0] and "Welding Career Pathway" in said[0]
    with engine.connect() as conn:
        jobs = conn.execute(scheduled_messages.select()).mappings().all()
    assert len(jobs) == 1 and jobs[0]["kind"] == "class_start"
    due = jobs[0]["due_at"]
    assert (due.year, due.month, due.day) == (2027, 1, 2)
    await replies(ActionAnswerProgramQuestion(), slots, **REMIND)
    with engine.connect() as conn:  # asked twice: still one reminder
        assert len(conn.execute(scheduled_messages.select()).all()) == 1


async def test_no_reminder_when_the_start_is_too_close(engine, monkeypatch):
    monkeypatch.setenv("NAVIGATOR_TODAY", "2027-01-03")
    said = await replies(ActionAnswerProgramQuestion(), {"selected_program": "lane-welding"},
                         **REMIND)
    assert "starts too soon" in said[0]
    with engine.connect() as conn:
        assert conn.execute(scheduled_messages.select()).all() == []


async def test_the_details_offer_a_reminder_only_while_one_can_come(sample_catalogue,
                                                                    monkeypatch):
    program = await sample_catalogue.program("lane-welding")
    monkeypatch.setenv("NAVIGATOR_TODAY", "2026-12-01")
    assert REMIND_PAYLOAD in [c.payload for c in details_reply(None, program).choices]
    monkeypatch.setenv("NAVIGATOR_TODAY", "2027-01-03")
    assert REMIND_PAYLOAD not in [c.payload for c in details_reply(None, program).choices]


async def test_answering_2_to_the_follow_up_flags_the_referral(engine):
    code = store.create_referral(engine, store.NewReferral(
        sender_id="learner", channel="sms", team="lane", consent_text="ok",
        first_name="Rosa", contact_method="text", phone="+15415550177"))
    said = await replies(ActionReferralStatus(), {"language": "es"}, intent="check_referral",
                         entities=[{"entity": "followup", "value": "not_reached"}])
    assert said == [say_in("es", "say_followup_sorry")]
    referral = store.referral_by_code(engine, code)
    assert referral["flagged_at"] is not None
    assert "nobody has reached them" in store.referral_for(
        engine, {"role": "admin"}, referral["id"])["history"][-1]["note"]
    said = await replies(ActionReferralStatus(), {}, intent="check_referral",
                         entities=[{"entity": "followup", "value": "reached"}])
    assert said == [say_in("en", "say_followup_thanks")]
    assert schedule.jobs_for_referral(engine, referral["id"]) == []
    # The status question without an answer still tells the status.
    status = await replies(ActionReferralStatus(), {}, intent="check_referral")
    assert code in status[0] or code in " ".join(status)


async def test_a_web_learner_answers_the_follow_up_from_the_phone_it_went_to(engine):
    code = store.create_referral(engine, store.NewReferral(
        sender_id="web-session-1", channel="socketio", team="lane", consent_text="ok",
        first_name="Rosa", contact_method="text", phone="+15415550188"))
    texted = tracker({"language": "en"}, intent="check_referral",
                     entities=[{"entity": "followup", "value": "not_reached"}])
    texted.sender_id = "+15415550188"  # the answer comes from the SMS conversation
    dispatcher = CollectingDispatcher()
    await ActionReferralStatus().run(dispatcher, texted, {})
    assert dispatcher.messages[0]["text"] == say_in("en", "say_followup_sorry")
    assert store.referral_by_code(engine, code)["flagged_at"] is not None

"""The navigator's own later messages, end to end through the worker with a controlled
clock and the Messages API stand-in: the follow-up on a referral nobody picked up, the
class-start reminder, and the note when an idle navigator's hold ends."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.follow_ups import Sender, plan_class_reminder, plan_follow_up
from bot.quiet_hours import OREGON
from bot.records import holds, schedule, sms_state, store, thread
from bot.records.schema import upgrade
from bot.records.tables import referrals
from bot.wording import say_in
from bot.worker import Worker
from knowledge.db import make_engine
from tests.fake_twilio import ACCOUNT, FakeTwilio

PHONE = "+15415550177"


def oregon(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=OREGON).astimezone(dt.timezone.utc)


FRIDAY_3PM = oregon(2026, 12, 4, 15, 0)
TUESDAY_3PM = oregon(2026, 12, 8, 15, 0)


@pytest.fixture
def engine(tmp_path):
    url = f"sqlite:///{tmp_path / 'navigator.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
async def twilio(engine):
    from bot.channels.twilio_client import TwilioClient

    fake = FakeTwilio(ACCOUNT, "token")
    base = await fake.start()
    yield fake, TwilioClient(ACCOUNT, "token", "+15035550000", engine, base_url=base)
    await fake.close()


def make(engine, *, channel="sms", sender=PHONE, method="text", phone=PHONE,
         language="English", created=FRIDAY_3PM) -> dict:
    code = store.create_referral(engine, store.NewReferral(
        sender_id=sender, channel=channel, team="lane", consent_text="agreed",
        first_name="Rosa", contact_method=method, phone=phone, language=language,
        updates_ok=True))
    with engine.begin() as conn:
        conn.execute(referrals.update().where(referrals.c.code == code)
                     .values(created_at=created))
    return store.referral_by_code(engine, code)


def worker(engine, client, at: dt.datetime) -> Worker:
    sender = Sender(engine, client)
    return Worker(engine, sender.deliver, clock=lambda: at, should_send=sender.should_send)


def test_follow_up_goes_two_working_days_later_only_where_a_number_can_answer(engine):
    texting = make(engine)
    web_text = make(engine, channel="socketio", sender="web-1", phone="+15415550111")
    web_call = make(engine, channel="socketio", sender="web-2", method="call")
    assert plan_follow_up(engine, texting["code"])
    assert not plan_follow_up(engine, texting["code"])  # planned once
    assert plan_follow_up(engine, web_text["code"])
    assert not plan_follow_up(engine, web_call["code"])  # cannot answer 1 or 2 by phone call
    jobs = schedule.jobs_for_referral(engine, texting["id"])
    assert [(j["due_at"], j["phone"]) for j in jobs] == [(TUESDAY_3PM, PHONE)]  # Friday + 2
    assert schedule.jobs_for_referral(engine, web_text["id"])[0]["phone"] == "+15415550111"


async def test_the_follow_up_is_texted_once_at_its_time_and_its_answers_are_remembered(
        engine, twilio):
    fake, client = twilio
    referral = make(engine, language="Spanish")
    plan_follow_up(engine, referral["code"])

    assert await worker(engine, client, TUESDAY_3PM - dt.timedelta(minutes=1)).run_once() == 0
    assert fake.received == []
    assert await worker(engine, client, TUESDAY_3PM).run_once() == 1
    assert await worker(engine, client, TUESDAY_3PM + dt.timedelta(hours=1)).run_once() == 0
    assert [m["Body"] for m in fake.sent_to(PHONE)] == [
        say_in("es", "say_followup_question", code=referral["code"])]
    # The learner's "2" stands for "nobody reached me" (actions/follow_ups.py).
    answers = sms_state.last_choices(engine, PHONE)
    assert [c["payload"] for c in answers] == [
        '/check_referral{"followup": "reached"}', '/check_referral{"followup": "not_reached"}']
    assert thread.for_conversation(engine, PHONE)[0]["delivered_at"] is not None


async def test_no_follow_up_once_a_navigator_made_contact(engine, twilio):
    fake, client = twilio
    referral = make(engine)
    plan_follow_up(engine, referral["code"])
    store.change_status(engine, {"role": "admin", "username": "ana"}, referral["id"],
                        "contacted", None)
    assert await worker(engine, client, TUESDAY_3PM).run_once() == 0
    assert fake.received == []
    assert schedule.jobs_for_referral(engine, referral["id"])[0]["status"] == "cancelled"


async def test_no_follow_up_to_a_number_that_texted_stop(engine, twilio):
    fake, client = twilio
    referral = make(engine)
    plan_follow_up(engine, referral["code"])
    sms_state.opt_out(engine, PHONE)
    assert await worker(engine, client, TUESDAY_3PM).run_once() == 0
    assert fake.received == []
    assert schedule.jobs_for_referral(engine, referral["id"])[0]["status"] == "cancelled"


async def test_without_sms_settings_a_text_is_not_retried_for_hours(engine):
    referral = make(engine)
    plan_follow_up(engine, referral["code"])
    assert await worker(engine, None, TUESDAY_3PM).run_once() == 0
    job = schedule.jobs_for_referral(engine, referral["id"])[0]
    assert job["status"] == "cancelled" and "not set up" in job["last_error"]


async def test_the_follow_up_waits_for_morning_when_due_at_night(engine, twilio):
    fake, client = twilio
    referral = make(engine, created=oregon(2026, 12, 4, 21, 30))  # Friday 9:30 pm
    plan_follow_up(engine, referral["code"])
    assert await worker(engine, client, oregon(2026, 12, 8, 21, 45)).run_once() == 0
    assert fake.received == []
    assert await worker(engine, client, oregon(2026, 12, 9, 8, 0)).run_once() == 1


async def test_a_class_reminder_comes_three_days_before_at_mid_morning(engine, twilio):
    fake, client = twilio
    starts = dt.date(2027, 1, 11)
    facts = {"program": "Welding", "date": "January 11", "contact": "541-463-3000"}
    assert plan_class_reminder(engine, sender_id=PHONE, channel="sms", language="en",
                               program_id="lane-welding", starts=starts, facts=facts)
    assert not plan_class_reminder(engine, sender_id=PHONE, channel="sms", language="en",
                                   program_id="lane-welding", starts=starts, facts=facts)
    due = oregon(2027, 1, 8, 10, 0)
    assert await worker(engine, client, due - dt.timedelta(seconds=1)).run_once() == 0
    assert await worker(engine, client, due).run_once() == 1
    assert [m["Body"] for m in fake.sent_to(PHONE)] == [say_in("en", "say_class_reminder",
                                                               **facts)]


async def test_an_idle_hold_is_handed_back_with_a_note_to_the_learner(engine):
    user = store.add_user(engine, "ana", "hash", "navigator", ["lane"])
    idle = make(engine, channel="socketio", sender="web-idle", method="call")
    busy = make(engine, channel="socketio", sender="web-busy", method="call")
    long_ago = store.utcnow() - dt.timedelta(minutes=45)
    holds.hold(engine, "web-idle", idle["id"], user, at=long_ago)
    holds.hold(engine, "web-busy", busy["id"], user)

    released = await Sender(engine, None).release_idle_holds(dt.timedelta(minutes=30))

    assert released == 1
    assert holds.holder(engine, "web-idle") is None
    assert holds.holder(engine, "web-busy") is not None
    assert [m["text"] for m in thread.waiting(engine, ["web-idle"])] == [
        say_in("en", "say_handed_back")]
    history = store.referral_for(engine, {"role": "admin"}, idle["id"])["history"]
    assert "no navigator activity for 30 minutes" in history[-1]["note"]

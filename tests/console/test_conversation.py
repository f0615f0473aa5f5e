"""A navigator in the learner's thread, through the console's HTTP surface: replies in the
learner's channel, the hold, the live feed, status updates to the learner, and the queue's
marks. The Rasa side (the bot staying quiet, the widget) is tested in
tests/integration/test_navigator_thread.py and tests/browser/test_navigator_thread.py."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest
from sqlalchemy import text, update

from bot.records import holds, sms_state, store, thread
from bot.records.tables import referrals
from tests.console.conftest import csrf_of, log_in, make_referral, store_conversation
from tests.fake_twilio import ACCOUNT, FakeTwilio

PHONE = "+15415550142"


@pytest.fixture(autouse=True)
async def twilio(monkeypatch):
    """The Messages API stand-in, set in the environment before the console starts."""
    fake = FakeTwilio(ACCOUNT, "token")
    base = await fake.start()
    for name, value in {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "token",
                        "TWILIO_FROM_NUMBER": "+15035550000",
                        "TWILIO_API_BASE_URL": base}.items():
        monkeypatch.setenv(name, value)
    yield fake
    await fake.close()


def sms_referral(engine, language="Spanish") -> int:
    code = store.create_referral(engine, store.NewReferral(
        sender_id=PHONE, channel="sms", team="lane", consent_text="agreed",
        first_name="Rosa", contact_method="text", phone=PHONE, language=language,
        updates_ok=True))
    return store.referral_by_code(engine, code)["id"]


async def reply(client, referral_id: int, words: str):
    token = await csrf_of(client, f"/console/referrals/{referral_id}")
    return await client.post(f"/console/referrals/{referral_id}/messages",
                             data={"text": words, "csrf": token}, allow_redirects=False)


async def test_a_reply_to_a_chat_learner_waits_for_their_widget_and_holds_the_bot(
        console, world):
    await log_in(console, "ana")
    sent = await reply(console, world["lane"], "Hi, this is Ana. <b>When</b> can you talk?")
    assert sent.status == 303
    waiting = thread.waiting(world["engine"], ["learner-lane"])
    # Spanish, as the learner asked, and the words exactly as typed (shown as text).
    assert [m["text"] for m in waiting] == [
        "ana (navegador/a): Hi, this is Ana. <b>When</b> can you talk?"]
    assert holds.holder(world["engine"], "learner-lane")["username"] == "ana"
    page = await (await console.get(f"/console/referrals/{world['lane']}")).text()
    assert "Held by ana" in page and "Hand back to the bot" in page
    assert "&lt;b&gt;When&lt;/b&gt;" in page and "<b>When" not in page
    assert "waiting for the learner to open the chat" in page
    actions = [e["action"] for e in store.audit_entries(world["engine"])]
    assert "message" in actions
    assert store.referral_for(world["engine"], {"role": "admin"}, world["lane"])[
        "first_contact_at"] is not None


async def test_hand_back_lets_the_bot_answer_again(console, world):
    await log_in(console, "ana")
    await reply(console, world["lane"], "Talk soon.")
    token = await csrf_of(console, f"/console/referrals/{world['lane']}")
    back = await console.post(f"/console/referrals/{world['lane']}/handback",
                              data={"csrf": token}, allow_redirects=False)
    assert back.status == 303
    assert holds.holder(world["engine"], "learner-lane") is None
    page = await (await console.get(f"/console/referrals/{world['lane']}")).text()
    assert "The bot is answering this learner." in page
    assert "Handed the conversation back to the bot." in page


async def test_a_reply_to_a_texting_learner_goes_by_the_messages_api(console, world, twilio):
    referral = sms_referral(world["engine"])
    await log_in(console, "ana")
    assert (await reply(console, referral, "Hola Rosa, ¿le llamo mañana?")).status == 303
    assert [(m["To"], m["Body"]) for m in twilio.received] == [
        (PHONE, "ana (navegador/a): Hola Rosa, ¿le llamo mañana?")]
    assert thread.waiting(world["engine"]) == []  # delivered, kept with the conversation
    assert thread.for_conversation(world["engine"], PHONE)[0]["delivered_at"] is not None


async def test_stop_wins_over_a_navigator_and_the_console_says_why(console, world, twilio):
    referral = sms_referral(world["engine"])
    sms_state.opt_out(world["engine"], PHONE)
    await log_in(console, "ana")
    refused = await reply(console, referral, "Are you still interested?")
    page = await refused.text()
    assert refused.status == 409
    assert "texted STOP" in page and "Are you still interested?" in page  # words kept
    assert twilio.received == [] and thread.for_conversation(world["engine"], PHONE) == []
    assert holds.holder(world["engine"], PHONE) is None


async def test_a_refused_text_loses_nothing(console, world, twilio):
    referral = sms_referral(world["engine"])
    twilio.refuse.add(PHONE)
    await log_in(console, "ana")
    refused = await reply(console, referral, "Call me back please")
    assert refused.status == 502
    assert "Call me back please" in await refused.text()
    assert thread.for_conversation(world["engine"], PHONE) == []


async def test_empty_and_overlong_messages_are_refused_clearly(console, world):
    await log_in(console, "ana")
    assert (await reply(console, world["lane"], "   ")).status == 400
    long = await reply(console, world["lane"], "x" * 1001)
    assert long.status == 400 and "at most 1,000 characters" in await long.text()
    assert thread.for_conversation(world["engine"], "learner-lane") == []


async def test_forged_and_foreign_posts_change_nothing(console, world):
    await log_in(console, "ana")
    forged = await console.post(f"/console/referrals/{world['lane']}/messages",
                                data={"text": "hi", "csrf": "forged"}, allow_redirects=False)
    assert forged.status == 403
    token = await csrf_of(console, "/console/")
    for path in ("messages", "handback"):
        foreign = await console.post(f"/console/referrals/{world['pcc']}/{path}",
                                     data={"text": "hi", "csrf": token}, allow_redirects=False)
        assert foreign.status == 404
    assert (await console.get(f"/console/referrals/{world['pcc']}/feed")).status == 404
    assert thread.for_conversation(world["engine"], "learner-pcc") == []
    assert thread.for_conversation(world["engine"], "learner-lane") == []


async def read_events(response, wanted: int, seconds: float):
    """Server-sent events from a streaming response until `wanted` turns arrived."""
    events, buffer = [], ""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while len([e for e in events if e[0] == "turn"]) < wanted and loop.time() < deadline:
        chunk = await asyncio.wait_for(response.content.readany(), deadline - loop.time())
        buffer += chunk.decode()
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            fields = dict(line.split(": ", 1) for line in block.splitlines()
                          if ": " in line and not line.startswith(":"))
            if "event" in fields:
                events.append((fields["event"], json.loads(fields["data"])))
    return events


async def test_the_learners_new_message_reaches_the_open_page_within_two_seconds(
        console, world):
    await log_in(console, "ana")
    page = await (await console.get(f"/console/referrals/{world['lane']}")).text()
    after = page.split("/feed?after=")[1].split('"')[0]
    feed = await console.get(f"/console/referrals/{world['lane']}/feed?after={after}")
    assert feed.status == 200 and feed.headers["Content-Type"] == "text/event-stream"
    started = asyncio.get_running_loop().time()
    store_conversation(world["tracker"], "learner-lane", [("user", "<i>are you there?</i>")])
    events = await read_events(feed, 1, 5)
    took = asyncio.get_running_loop().time() - started
    turns = [data for name, data in events if name == "turn"]
    assert [(t["speaker"], t["text"]) for t in turns] == [("learner", "<i>are you there?</i>")]
    assert took < 2.0
    assert ("hold", {"held": False, "by": ""}) in events
    feed.close()


async def test_crisis_words_in_the_feed_alert_the_navigator(console, world):
    await log_in(console, "ana")
    with world["tracker"].begin() as conn:
        conn.execute(text(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES "
            "('learner-lane', 'user', 1.0e9, :d)"), {"d": json.dumps({
                "event": "user", "text": "i want to die",
                "parse_data": {"intent": {"name": "crisis"}}})})
    page = await (await console.get(f"/console/referrals/{world['lane']}")).text()
    assert 'id="crisis-alert" >' in page or 'id="crisis-alert">' in page  # not hidden
    assert "crisis words" in page


async def test_status_changes_reach_a_learner_who_agreed_in_their_language(
        console, world, twilio):
    referral = sms_referral(world["engine"])
    await log_in(console, "ana")
    token = await csrf_of(console, f"/console/referrals/{referral}")
    await console.post(f"/console/referrals/{referral}/status",
                       data={"status": "enrolled", "csrf": token}, allow_redirects=False)
    code = store.referral_for(world["engine"], {"role": "admin"}, referral)["code"]
    assert [m["Body"] for m in twilio.received] == [
        f"Su solicitud {code}: ¡ya tiene su lugar en la clase! Felicidades. Escríbanos si "
        "le falta algo para ir."]
    # Without consent to updates, a status change says nothing to the learner.
    token = await csrf_of(console, f"/console/referrals/{world['lane']}")
    await console.post(f"/console/referrals/{world['lane']}/status",
                       data={"status": "contacted", "csrf": token}, allow_redirects=False)
    assert thread.for_conversation(world["engine"], "learner-lane") == []


async def test_queue_puts_overdue_and_flagged_first_and_marks_unread(console, world):
    fresh = make_referral(world["engine"], "lane", "learner-fresh", first_name="Lu")
    old = store.utcnow() - dt.timedelta(days=6)
    with world["engine"].begin() as conn:
        conn.execute(update(referrals).where(referrals.c.id == world["lane"])
                     .values(created_at=old))
    store_conversation(world["tracker"], "learner-fresh", [("user", "hello?")])
    await log_in(console, "ana")
    await console.get(f"/console/referrals/{world['lane']}")  # read: no mark
    page = await (await console.get("/console/")).text()
    assert page.index(f'/referrals/{world["lane"]}"') < page.index(f'/referrals/{fresh}"')
    assert "Overdue: no contact in 2 working days" in page
    assert page.count("New messages from the learner") == 1
    await console.get(f"/console/referrals/{fresh}")  # reading clears the mark
    page = await (await console.get("/console/")).text()
    assert "New messages from the learner" not in page

"""Outbound texts against a stand-in for Twilio's Messages API (same URL, auth, form)."""

from __future__ import annotations

import aiohttp
import pytest

from bot.channels.twilio_client import OptedOut, TwilioClient
from bot.records import sms_state
from bot.records.schema import upgrade
from knowledge.db import make_engine
from tests.fake_twilio import ACCOUNT, FakeTwilio

TOKEN = "token"


@pytest.fixture
async def fake_twilio():
    fake = FakeTwilio(ACCOUNT, TOKEN)
    base = await fake.start()
    yield base, fake.received
    await fake.close()


@pytest.fixture
def engine(tmp_path):
    url = f"sqlite:///{tmp_path / 'navigator.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


async def test_sends_plain_text_and_keeps_spanish_accents(fake_twilio, engine):
    base, received = fake_twilio
    client = TwilioClient(ACCOUNT, TOKEN, "+15415550100", engine, base_url=base)
    sent = await client.send("+15035550123", "Your class starts Monday — “bring ID” 👍")
    await client.send("+15035550123", "Su clase empieza el lunes. ¿Tiene preguntas?")
    assert sent.status == "queued"
    assert [r["Body"] for r in received] == [
        'Your class starts Monday - "bring ID"',  # GSM-7: typography made plain
        "Su clase empieza el lunes. ¿Tiene preguntas?"]  # UCS-2: the accents stay


async def test_a_text_that_fits_keeps_its_lines_and_a_long_one_is_cut_to_three_segments(
        fake_twilio, engine):
    base, received = fake_twilio
    client = TwilioClient(ACCOUNT, TOKEN, "+15415550100", engine, base_url=base)
    menu = "Welders earn $59,450 a year.\n1. Find classes\n2. Talk to a person\nReply 1 or 2."
    await client.send("+15035550123", menu)
    await client.send("+15035550123", "A long sentence about classes. " * 30)
    assert received[0]["Body"] == menu  # an SMS reply already shaped goes as it is
    assert len(received[1]["Body"]) <= 3 * 153 and received[1]["Body"].endswith("...")


async def test_refuses_an_opted_out_number(fake_twilio, engine):
    base, received = fake_twilio
    sms_state.opt_out(engine, "+15035550123")
    client = TwilioClient(ACCOUNT, TOKEN, "+15415550100", engine, base_url=base)
    with pytest.raises(OptedOut):
        await client.send("+15035550123", "hello")
    assert received == []


async def test_twilio_errors_are_reported(fake_twilio, engine):
    base, _ = fake_twilio
    client = TwilioClient(ACCOUNT, "wrong", "+15415550100", engine, base_url=base)
    with pytest.raises(RuntimeError, match="401"):
        await client.send("+15035550123", "hello")


async def test_a_long_lived_session_is_reused_and_the_sender_can_be_chosen(fake_twilio, engine):
    base, received = fake_twilio
    async with aiohttp.ClientSession() as session:
        client = TwilioClient(ACCOUNT, TOKEN, "+15415550100", engine, base_url=base,
                              session=session)
        await client.send("+15035550123", "one")
        await client.send("+15035550123", "two", from_number="+15415550199")
        assert not session.closed  # the caller's session, left open for the next send
    assert [(r["From"], r["Body"]) for r in received] == [
        ("+15415550100", "one"), ("+15415550199", "two")]

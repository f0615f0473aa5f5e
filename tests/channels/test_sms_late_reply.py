"""The SMS channel's reply window, without Rasa: a stand-in bot whose turn ends when the
test says so, the real dedupe store (SQLite), and a stand-in for Twilio's Messages API.

A turn that outlasts the window is answered at once with the too-slow text, finishes
anyway, and its reply is texted through the Messages API exactly once; retries of the
same MessageSid never start a second turn nor get the reply twice.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

import pytest

from bot.channels.sms import LATE_NOTICE, NO_API_NOTICE, SMSInput, shape, turn_seconds
from bot.records import sms_state
from bot.records.schema import upgrade
from bot.wording import say_in
from knowledge.db import make_engine
from tests.fake_twilio import ACCOUNT, FakeTwilio

TOKEN = "token"
OURS = "+15415550100"  # the navigator's Twilio number
PHONE = "+15035550123"
WINDOW = 2.0
ANSWER = {"text": "Welders in Oregon earn about $59,450 a year.",
          "buttons": [{"title": "Find classes", "payload": "/search_programs"},
                      {"title": "Talk to a person", "payload": "/human_handoff"}]}
TOO_SLOW = say_in("en", LATE_NOTICE)  # the reply follows by text
NO_API = say_in("en", NO_API_NOTICE)  # it cannot
EXPECTED, CHOICES = shape([ANSWER], "en")


class SlowBot:
    """Stands in for Rasa's agent: counts turns and answers each once `gate` opens."""

    def __init__(self, *, fail: bool = False) -> None:
        self.turns: list[tuple[str, str]] = []
        self.gate = asyncio.Event()
        self.fail = fail

    async def __call__(self, message) -> None:
        self.turns.append((message.sender_id, message.text))
        await self.gate.wait()
        if self.fail:
            raise RuntimeError("the turn broke")
        await message.output_channel.send_response(message.sender_id, dict(ANSWER))


@pytest.fixture
def database(tmp_path, monkeypatch):
    monkeypatch.delenv("NAVIGATOR_REDIS_URL", raising=False)  # the database dedupe store
    url = f"sqlite:///{tmp_path / 'navigator.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


@pytest.fixture
async def twilio():
    fake = FakeTwilio(ACCOUNT, TOKEN)
    base = await fake.start()
    fake.base = base
    yield fake
    await fake.close()


@pytest.fixture
async def channel(database, twilio):
    channel = SMSInput(TOKEN, database_url=database[0], account_sid=ACCOUNT, from_number=OURS,
                       api_base_url=twilio.base, turn_seconds=WINDOW)
    yield channel
    await channel.close()


def sid() -> str:
    return f"SM{uuid.uuid4().hex}"


async def text(channel: SMSInput, bot: SlowBot, message_sid: str, body: str = "jobs"):
    return await channel.handle(message_sid, PHONE, body, bot, reply_from=OURS)


async def finish(channel: SMSInput, bot: SlowBot) -> None:
    """Lets the turn end and waits for everything it started (as a stopping server does)."""
    bot.gate.set()
    await channel.close()


async def test_on_time_the_reply_is_twiml_and_nothing_is_texted(channel, twilio, database):
    bot = SlowBot()
    bot.gate.set()
    assert await text(channel, bot, sid()) == EXPECTED
    assert twilio.received == []
    assert sms_state.last_choices(database[1], PHONE) == CHOICES


async def test_a_late_reply_is_texted_once_and_retries_start_no_second_turn(
        channel, twilio, database):
    bot = SlowBot()
    message_sid = sid()
    started = asyncio.get_running_loop().time()
    assert await text(channel, bot, message_sid) == [TOO_SLOW]
    assert asyncio.get_running_loop().time() - started < WINDOW + 0.5
    # Twilio retries while the turn still runs: the same answer, no second turn.
    assert await text(channel, bot, message_sid) == [TOO_SLOW]
    assert len(bot.turns) == 1 and twilio.received == []

    await finish(channel, bot)
    assert twilio.received == [{"To": PHONE, "From": OURS, "Body": body} for body in EXPECTED]
    assert sms_state.last_choices(database[1], PHONE) == CHOICES  # "1" picks from it
    # A retry after the late reply went out: nothing again, no second turn.
    assert await text(channel, bot, message_sid) == []
    await channel.close()
    assert len(bot.turns) == 1 and len(twilio.received) == len(EXPECTED)


async def test_a_retry_inside_the_window_waits_for_the_first_answer(channel, twilio):
    bot = SlowBot()
    message_sid = sid()
    first = asyncio.create_task(text(channel, bot, message_sid))
    await asyncio.sleep(WINDOW / 3)
    retry = asyncio.create_task(text(channel, bot, message_sid))
    assert await first == [TOO_SLOW] and await retry == [TOO_SLOW]
    await finish(channel, bot)
    assert len(bot.turns) == 1 and len(twilio.received) == len(EXPECTED)


async def test_a_number_that_opts_out_meanwhile_gets_nothing(channel, twilio):
    bot = SlowBot()
    message_sid = sid()
    assert await text(channel, bot, message_sid) == [TOO_SLOW]
    assert await text(channel, bot, sid(), "STOP") == [say_in("en", "say_sms_stopped")]
    await finish(channel, bot)
    assert twilio.received == []
    assert await text(channel, bot, message_sid) == []  # nor by a retry
    assert len(bot.turns) == 1


async def test_an_api_failure_is_logged_masked_and_kept_for_a_retry(channel, twilio, caplog):
    twilio.refuse.add(PHONE)
    bot = SlowBot()
    message_sid = sid()
    with caplog.at_level(logging.INFO, logger="bot.channels.sms"):
        assert await text(channel, bot, message_sid) == [TOO_SLOW]
        await finish(channel, bot)
    assert twilio.received == []
    failure = [r.getMessage() for r in caplog.records if "not sent" in r.getMessage()]
    assert failure and "***0123" in failure[0] and "400" in failure[0]
    assert PHONE not in caplog.text and PHONE[1:] not in caplog.text
    # What the API did not take is what a retry of the message gets.
    assert await text(channel, bot, message_sid) == EXPECTED
    assert len(bot.turns) == 1


async def test_a_late_turn_that_fails_is_logged_and_the_server_goes_on(channel, twilio, caplog):
    bot = SlowBot(fail=True)
    message_sid = sid()
    assert await text(channel, bot, message_sid) == [TOO_SLOW]
    with caplog.at_level(logging.ERROR, logger="bot.channels.sms"):
        await finish(channel, bot)
    assert "***0123" in caplog.text and PHONE not in caplog.text
    assert twilio.received == []
    assert await text(channel, bot, message_sid) == [TOO_SLOW]  # no second turn
    assert len(bot.turns) == 1


async def test_without_the_messages_api_the_turn_finishes_and_a_retry_gets_it(
        database, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.channels.sms"):
        channel = SMSInput(TOKEN, database_url=database[0], turn_seconds=WINDOW)
    assert "TWILIO_ACCOUNT_SID" in caplog.text  # said once, at start-up
    bot = SlowBot()
    message_sid = sid()
    assert await text(channel, bot, message_sid) == [NO_API]
    with caplog.at_level(logging.WARNING, logger="bot.channels.sms"):
        await finish(channel, bot)
    assert "not delivered" in caplog.text and PHONE not in caplog.text
    assert await text(channel, bot, message_sid) == EXPECTED
    assert len(bot.turns) == 1


async def test_the_api_session_lives_as_long_as_the_channel(channel, twilio):
    bot = SlowBot()
    assert await text(channel, bot, sid()) == [TOO_SLOW]
    bot.gate.set()
    await asyncio.wait(list(channel._tasks))
    session = channel._http
    second = SlowBot()
    assert await text(channel, second, sid()) == [TOO_SLOW]
    second.gate.set()
    await asyncio.wait(list(channel._tasks))
    assert channel._http is session and not session.closed  # one session for both
    await channel.close()
    assert session.closed
    assert len(twilio.received) == 2 * len(EXPECTED)


@pytest.mark.parametrize("raw, seconds", [(None, 12.0), ("", 12.0), ("3", 3.0),
                                          ("0.5", 0.5), ("15", 12.0), ("0", 12.0),
                                          ("soon", 12.0)])
def test_the_window_is_configurable_within_twilios_wait(raw, seconds):
    assert turn_seconds(raw) == seconds

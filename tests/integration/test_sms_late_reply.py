"""A slow SMS turn over the real stack: answered within Twilio's wait, finished anyway, and
texted through (a stand-in for) Twilio's Messages API exactly once.

How a turn is made slow for real: the Rasa server reaches the action server through
ActionGate, a pass-through on its own port (the action endpoint Rasa is given), which
holds the custom-action calls of the phones a test holds until the test lets them go.
The turn is a real one (NLU, policies, the wages action over HTTP, the tracker store);
it is only the action server's answer that comes late, as under load. No production code
knows about it, and the test decides exactly when the turn ends, so "during" and "after"
are not guesses. The reply window is lowered to WINDOW with NAVIGATOR_SMS_TURN_SECONDS.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import json
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import create_engine, text

from bot.channels.phones import masked
from bot.channels.sms import LATE_NOTICE
from bot.processes import Stack, StackError, navigator_services
from bot.records import sms_state
from bot.settings import Settings
from bot.wording import say_in
from knowledge.db import make_engine
from tests.conftest import MODEL, TWILIO_TEST_TOKEN, free_port, sample_database
from tests.fake_twilio import ACCOUNT, FakeTwilio
from tests.integration.test_sms import Phone

pytestmark = pytest.mark.integration
WINDOW = 4.0  # seconds; the default is 12 (Twilio waits 15)
OURS = "+15415550100"  # the number the learners text (Phone's "To"), and the API's From
MESSAGE = "how much do welders make"  # a turn that calls a custom action (the wages)
TOO_SLOW = say_in("en", LATE_NOTICE)


class Loop:
    """An event loop in a thread of its own, for the servers the test runs beside the
    stack, so the test itself can block on HTTP like Twilio's side does."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout: Optional[float] = 60):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class ActionGate:
    """Passes every custom-action call from Rasa to the action server unchanged, except
    that the calls of a held conversation wait until it is let go."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.calls: Counter = Counter()  # action calls per conversation (sender id)
        self._held: Dict[str, asyncio.Event] = {}
        self._runner: Optional[web.AppRunner] = None
        self._http: Optional[aiohttp.ClientSession] = None

    async def start(self) -> int:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300))
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self.forward)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        return self._runner.addresses[0][1]

    async def forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        raw = gzip.decompress(body) if request.headers.get("Content-Encoding") == "gzip" else body
        sender = (json.loads(raw or b"{}").get("tracker") or {}).get("sender_id", "")
        self.calls[sender] += 1
        held = self._held.get(sender)
        if held is not None:
            await held.wait()
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() in ("content-type", "content-encoding")}
        async with self._http.request(request.method, self.target + request.path_qs,
                                      data=body, headers=headers) as answer:
            return web.Response(body=await answer.read(), status=answer.status,
                                content_type=answer.content_type)

    async def hold(self, sender: str) -> None:
        self._held[sender] = asyncio.Event()

    async def release(self, sender: str) -> None:
        held = self._held.pop(sender, None)
        if held is not None:
            held.set()

    async def close(self) -> None:
        for sender in list(self._held):
            await self.release(sender)
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()


@dataclasses.dataclass
class SlowStack:
    rasa_url: str
    loop: Loop
    gate: ActionGate
    twilio: FakeTwilio
    database_url: str
    tracker_url: str
    log_path: Path

    def hold(self, phone: Phone) -> None:
        self.loop.run(self.gate.hold(phone.number))

    def release(self, phone: Phone) -> None:
        self.loop.run(self.gate.release(phone.number))

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def answered(self, sid: str) -> Optional[List[str]]:
        """What the dedupe store holds for a MessageSid (the database store: no Redis)."""
        engine = make_engine(self.database_url)
        try:
            return sms_state.answered(engine, sid)
        finally:
            engine.dispose()

    def user_turns(self, phone: Phone) -> int:
        engine = create_engine(self.tracker_url, future=True)
        try:
            with engine.connect() as conn:
                return conn.execute(text("SELECT count(*) FROM events WHERE sender_id = :s "
                                         "AND type_name = 'user'"),
                                    {"s": phone.number}).scalar_one()
        finally:
            engine.dispose()


def wait_until(condition: Callable[[], object], what: str, timeout: float = 60) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"waited {timeout:.0f} s for {what}")


@pytest.fixture(scope="module")
def slow_stack(tmp_path_factory, monkeypatch_module) -> Iterator[SlowStack]:
    if not MODEL.exists():  # fails (never skips), in CI and locally alike
        pytest.fail(f"no trained model at {MODEL}: run 'make setup' first")
    tmp = tmp_path_factory.mktemp("sms-late")
    database = sample_database(tmp)
    # The dedupe store is the navigator database here (the test reads it), not Redis.
    monkeypatch_module.delenv("NAVIGATOR_REDIS_URL", raising=False)
    loop = Loop()
    twilio = FakeTwilio(ACCOUNT, TWILIO_TEST_TOKEN)
    actions_port = free_port()
    gate = ActionGate(f"http://127.0.0.1:{actions_port}")
    stack: Optional[Stack] = None
    log_path = tmp / "stack.log"
    log = log_path.open("w")
    try:
        api = loop.run(twilio.start())
        settings = dataclasses.replace(
            Settings.from_env(), host="127.0.0.1", rasa_port=free_port(),
            actions_port=loop.run(gate.start()),  # what Rasa calls: the gate
            web_port=free_port(), var_dir=tmp, model_path=MODEL)
        services = [s for s in navigator_services(settings) if s.name != "web"]
        actions = next(s for s in services if s.name == "actions")
        actions.argv[actions.argv.index("--port") + 1] = str(actions_port)
        actions.health_url = f"http://127.0.0.1:{actions_port}/health"

        def printer(service: str, line: str) -> None:
            log.write(f"{service:>7} | {line}\n")
            log.flush()

        stack = Stack(services, printer=printer, env={
            "NAVIGATOR_VAR_DIR": str(tmp),
            "NAVIGATOR_DATABASE_URL": database,
            "RASA_TELEMETRY_ENABLED": "false",
            "TWILIO_AUTH_TOKEN": TWILIO_TEST_TOKEN,
            "TWILIO_ACCOUNT_SID": ACCOUNT,
            "TWILIO_FROM_NUMBER": OURS,
            "TWILIO_API_BASE_URL": api,
            "NAVIGATOR_SMS_TURN_SECONDS": str(WINDOW),
        })
        try:
            loop.run(stack.start(timeout=300), timeout=330)
        except StackError as error:
            pytest.fail(f"the stack would not start: {error}\n{log_path.read_text()[-4000:]}")
        yield SlowStack(rasa_url=f"http://127.0.0.1:{settings.rasa_port}", loop=loop,
                        gate=gate, twilio=twilio, database_url=database,
                        tracker_url=settings.tracker_url, log_path=log_path)
        loop.run(stack.stop(), timeout=60)
        stack = None
        stopped = log_path.read_text(errors="replace")
        # The channel closed its Messages API session when the server stopped.
        assert "Messages API session closed" in stopped, stopped[-3000:]
        assert "Unclosed client session" not in stopped
    finally:
        loop.run(gate.close())  # nothing stays held while the servers stop
        if stack is not None:
            loop.run(stack.stop(), timeout=60)
        loop.run(twilio.close())
        loop.close()
        log.close()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def answer_of(stack: SlowStack, phone: Phone, message: str) -> List[str]:
    """What the navigator answers a message: the TwiML, or the texts sent by the API when
    this machine was too busy for the window (then the turn came late by itself)."""
    sid = f"SM{uuid.uuid4().hex}"
    replies = phone.text(message, sid)
    if replies != [TOO_SLOW]:
        return replies
    wait_until(lambda: stack.answered(sid) == [], "the late reply to go out")
    return [sent["Body"] for sent in stack.twilio.sent_to(phone.number)]


def test_a_slow_turn_is_answered_in_time_and_its_reply_texted_exactly_once(slow_stack):
    expected = answer_of(slow_stack, Phone(slow_stack), MESSAGE)  # the same turn, on time
    assert "$59,450" in " ".join(expected)
    phone, sid = Phone(slow_stack), f"SM{uuid.uuid4().hex}"
    slow_stack.hold(phone)

    started = time.monotonic()
    assert phone.text(MESSAGE, sid) == [TOO_SLOW]
    assert time.monotonic() - started < WINDOW + 3 < 15  # well inside Twilio's wait
    # Twilio retries while the turn still runs: the same answer and no second turn.
    assert phone.text(MESSAGE, sid) == [TOO_SLOW]
    assert slow_stack.gate.calls[phone.number] == 1  # the one turn, waiting on its action
    assert slow_stack.twilio.sent_to(phone.number) == []

    slow_stack.release(phone)
    wait_until(lambda: slow_stack.answered(sid) == [], "the late reply to go out")
    sent = slow_stack.twilio.sent_to(phone.number)
    assert [(s["To"], s["From"], s["Body"]) for s in sent] == [
        (phone.number, OURS, body) for body in expected]  # shaped like the on-time answer

    # Twilio retries after the reply went out by the API: nothing again, no second turn.
    assert phone.text(MESSAGE, sid) == []
    time.sleep(1)
    assert slow_stack.twilio.sent_to(phone.number) == sent
    assert slow_stack.user_turns(phone) == 1
    log = slow_stack.log()
    assert f"SMS turn for {masked(phone.number)} took over" in log
    assert phone.number not in log and phone.number[2:] not in log


def test_a_number_that_opts_out_during_a_slow_turn_gets_nothing(slow_stack):
    phone, sid = Phone(slow_stack), f"SM{uuid.uuid4().hex}"
    slow_stack.hold(phone)
    assert phone.text(MESSAGE, sid) == [TOO_SLOW]
    assert "unsubscribed" in phone.text("STOP")[0]
    slow_stack.release(phone)
    wait_until(lambda: slow_stack.answered(sid) == [], "the late turn to end")
    assert phone.text(MESSAGE, sid) == []  # nor does a retry of the message get it
    assert phone.text(MESSAGE) == []  # and a new text from it starts no turn
    time.sleep(1)
    assert slow_stack.twilio.sent_to(phone.number) == []
    assert slow_stack.user_turns(phone) == 1

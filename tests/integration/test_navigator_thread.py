"""A navigator in the learner's thread over the real stack: the console's reply reaches the
learner, the bot stays quiet while the navigator holds the conversation (except for
crisis words), the learner's answer reaches the open referral page live, and "hand back"
lets the bot answer again. Over the REST channel and over SMS (signed webhooks, the
Messages API stand-in), including STOP during a held conversation."""

from __future__ import annotations

import re
import threading
import time
import uuid

import pytest
import requests
from sqlalchemy import create_engine, select

from bot.console.security import hash_password
from bot.records import store
from bot.records.tables import referrals
from bot.wording import say_in
from tests.integration.test_handoff import make_referral
from tests.integration.test_sms import Phone
from tests.replies import texts

pytestmark = pytest.mark.integration
PASSWORD = "thread test password"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Console:
    """A navigator's browser session, by HTTP. The session cookie is Secure (the console
    runs behind HTTPS in production), so it is carried by hand over the test's HTTP."""

    def __init__(self, navigator, username: str) -> None:
        self.base = f"{navigator.web_url}/console"
        self.cookie = ""
        logged_in = self.post("/login", {"username": username, "password": PASSWORD},
                              page="/login")
        assert logged_in.status_code == 303, logged_in.text

    def _keep(self, response: requests.Response) -> requests.Response:
        self.cookie = response.cookies.get("navigator_console", self.cookie)
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self._keep(requests.get(
            self.base + path, headers={"Cookie": f"navigator_console={self.cookie}"},
            allow_redirects=False, timeout=30, **kwargs))

    def post(self, path: str, data: dict, page: str) -> requests.Response:
        token = CSRF.search(self.get(page).text).group(1)
        return self._keep(requests.post(
            self.base + path, data={**data, "csrf": token},
            headers={"Cookie": f"navigator_console={self.cookie}"},
            allow_redirects=False, timeout=30))

    def reply(self, referral_id: int, words: str) -> requests.Response:
        return self.post(f"/referrals/{referral_id}/messages", {"text": words},
                         page=f"/referrals/{referral_id}")

    def hand_back(self, referral_id: int) -> requests.Response:
        return self.post(f"/referrals/{referral_id}/handback", {},
                         page=f"/referrals/{referral_id}")


class Feed:
    """The referral page's live feed, read in a thread as the browser's EventSource does."""

    def __init__(self, console: Console, referral_id: int) -> None:
        page = console.get(f"/referrals/{referral_id}").text
        after = page.split("/feed?after=")[1].split('"')[0]
        self.response = console.get(f"/referrals/{referral_id}/feed?after={after}",
                                    stream=True)
        assert self.response.status_code == 200
        self.lines: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                self.lines.append((time.monotonic(), line or ""))
        except Exception:  # the test closed the stream
            pass

    def wait_for(self, words: str, timeout: float = 5.0) -> float:
        """When a data line holding `words` arrived (monotonic seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, line in list(self.lines):
                if line.startswith("data:") and words in line:
                    return at
            time.sleep(0.05)
        raise AssertionError(f"{words!r} never reached the page: {self.lines[-5:]}")

    def close(self) -> None:
        self.response.close()


@pytest.fixture(scope="module")
def navigator_db(navigator):
    engine = create_engine(navigator.database_url, future=True)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def lane_console_user(navigator_db) -> str:
    name = f"lane{uuid.uuid4().hex[:6]}"
    store.add_user(navigator_db, name, hash_password(PASSWORD), "navigator", ["lane"])
    return name


def referral_id_of(engine, sender: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(referrals.c.id).where(
            referrals.c.sender_id == sender)).scalar_one()


def test_a_chat_learner_hears_the_navigator_and_the_bot_waits_until_handed_back(
        navigator, navigator_db, lane_console_user):
    sender = f"thread-{uuid.uuid4()}"
    make_referral(navigator, sender)  # Maria asked for a navigator in Spanish
    referral = referral_id_of(navigator_db, sender)
    console = Console(navigator, lane_console_user)

    assert console.reply(referral, "Hola Maria, ¿le puedo llamar hoy?").status_code == 303
    feed = Feed(console, referral)
    try:
        # Held: the learner's message is stored, the bot says nothing of its own, and the
        # navigator's waiting message comes with this answer.
        answered = navigator.say(sender, "si, despues de las 3 por favor")
        said = time.monotonic()
        assert texts(answered) == f"{lane_console_user} (navegador/a): Hola Maria, ¿le puedo " \
                                  "llamar hoy?"
        # ... and the learner's words reach the open referral page within 2 seconds.
        assert feed.wait_for("despues de las 3") - said < 2.0

        # Crisis words still get the crisis lines at once, and the page is alerted.
        crisis = texts(navigator.say(sender, "ya no quiero vivir"))
        assert "988" in crisis and "911" in crisis and "211" in crisis
        feed.wait_for('"crisis": true')
    finally:
        feed.close()

    assert console.hand_back(referral).status_code == 303
    again = texts(navigator.say(sender, "cuanto cuesta la clase de soldadura"))
    assert again and "(navegador/a)" not in again


def test_a_texting_learner_hears_the_navigator_and_stop_still_wins(
        navigator, navigator_db, lane_console_user, twilio_api):
    phone = Phone(navigator)
    assert phone.text("hi")  # the conversation exists, as it would before a referral
    code = store.create_referral(navigator_db, store.NewReferral(
        sender_id=phone.number, channel="sms", team="lane", consent_text="agreed",
        first_name="Rosa", contact_method="text", phone=phone.number, language="English"))
    referral = store.referral_by_code(navigator_db, code)["id"]
    console = Console(navigator, lane_console_user)

    assert console.reply(referral, "Hi Rosa, this is the Lane navigator.").status_code == 303
    assert [m["Body"] for m in twilio_api.sent_to(phone.number)] == [
        f"{lane_console_user} (navigator): Hi Rosa, this is the Lane navigator."]
    assert phone.text("great, what do i need to bring?") == []  # the bot stays quiet

    assert phone.text("STOP") == [say_in("en", "say_sms_stopped")]
    refused = console.reply(referral, "Are you still there?")
    assert refused.status_code == 409 and "texted STOP" in refused.text
    assert len(twilio_api.sent_to(phone.number)) == 1

    assert phone.text("START") == [say_in("en", "say_sms_started")]
    assert console.hand_back(referral).status_code == 303
    assert phone.text("welding classes in eugene")  # the bot answers again


def test_a_texted_2_after_the_follow_up_flags_the_referral(navigator, navigator_db):
    from bot.follow_ups import FOLLOW_UP_CHOICES
    from bot.records import sms_state

    phone = Phone(navigator)
    code = store.create_referral(navigator_db, store.NewReferral(
        sender_id=phone.number, channel="sms", team="lane", consent_text="agreed",
        first_name="Rosa", contact_method="text", phone=phone.number, language="English"))
    # What the worker leaves behind when it texts the follow-up (tests/test_follow_ups.py).
    sms_state.remember_choices(navigator_db, phone.number, [
        {"title": say_in("en", title), "payload": payload}
        for title, payload in FOLLOW_UP_CHOICES])

    assert phone.text("2") == [say_in("en", "say_followup_sorry")]
    assert store.referral_by_code(navigator_db, code)["flagged_at"] is not None

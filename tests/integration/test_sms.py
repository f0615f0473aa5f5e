"""SMS over the real stack, with requests signed by the `twilio` package as Twilio does."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

import pytest
import requests
from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from bot.channels.sms_text import MAX_SEGMENTS, segments
from tests.conftest import TWILIO_TEST_TOKEN

pytestmark = pytest.mark.integration
VALIDATOR = RequestValidator(TWILIO_TEST_TOKEN)


class Phone:
    """A learner's phone texting the navigator through (a stand-in for) Twilio."""

    def __init__(self, navigator):
        self.url = f"{navigator.rasa_url}/webhooks/sms/webhook"
        self.number = f"+1503555{uuid.uuid4().int % 10000:04d}"

    def params(self, body: str, sid: str | None = None) -> dict:
        return {"From": self.number, "To": "+15415550100", "Body": body,
                "MessageSid": sid or f"SM{uuid.uuid4().hex}", "NumMedia": "0"}

    def post(self, params: dict, *, signed_url: str | None = None, signature=None):
        headers = {}
        if signature is not False:
            headers["X-Twilio-Signature"] = signature or VALIDATOR.compute_signature(
                signed_url or self.url, params)
        return requests.post(self.url, data=params, headers=headers, timeout=30)

    def text(self, body: str, sid: str | None = None) -> list[str]:
        response = self.post(self.params(body, sid))
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith("application/xml")
        return [m.text or "" for m in ET.fromstring(response.text).iter("Message")]


@pytest.fixture
def phone(navigator) -> Phone:
    return Phone(navigator)


def assert_sms_safe(messages: list[str]) -> None:
    for message in messages:
        assert segments(message) <= MAX_SEGMENTS, message


def test_a_signed_text_gets_a_twiml_reply(phone):
    replies = phone.text("hi")
    assert replies and "chat bot" in replies[0]
    assert "Reply 1, 2, 3 or 4." in replies[-1]  # the greeting's four choices
    assert_sms_safe(replies)


@pytest.mark.parametrize("forgery", ["tampered body", "wrong url", "no signature"])
def test_forged_requests_are_refused(phone, forgery):
    params = phone.params("hi")
    if forgery == "tampered body":
        signature = VALIDATOR.compute_signature(phone.url, params)
        params["Body"] = "delete my data"
        response = phone.post(params, signature=signature)
    elif forgery == "wrong url":
        response = phone.post(params, signed_url="https://evil.example.org/webhooks/sms/webhook")
    else:
        response = phone.post(params, signature=False)
    assert response.status_code == 403
    assert "<Message>" not in response.text


def test_a_retried_message_gives_one_turn(navigator, phone):
    sid = f"SM{uuid.uuid4().hex}"
    first = phone.text("what is IET?", sid)
    again = phone.text("what is IET?", sid)
    assert first == again and "Integrated Education and Training" in " ".join(first)
    tracker = create_engine(f"sqlite:///{navigator.var_dir / 'tracker.db'}", future=True)
    with tracker.connect() as conn:
        turns = conn.execute(text("SELECT count(*) FROM events WHERE sender_id = :s "
                                  "AND type_name = 'user'"), {"s": phone.number}).scalar_one()
    tracker.dispose()
    assert turns == 1


def test_stop_confirms_once_then_silence_until_start(phone):
    assert "unsubscribed" in phone.text(" stop ")[0]
    assert phone.text("hi") == []
    assert phone.text("STOP") == []  # no second confirmation
    assert "Welcome back" in phone.text("Start")[0]
    assert phone.text("hi")


def test_only_the_exact_keyword_counts(phone):
    replies = phone.text("please stop sending me program lists")
    assert replies  # a sentence with "stop" in it is a normal message
    assert phone.text("hi")


def test_help(phone):
    answer = phone.text("HELP")[0]
    assert "Career Navigator" in answer and "STOP" in answer


def test_a_number_picks_the_numbered_choice(phone):
    menu = phone.text("hello")
    assert "4. What is IET?" in menu[-1]
    answer = " ".join(phone.text("4"))
    assert "Integrated Education and Training" in answer


def test_program_search_by_sms_stays_within_limits(phone):
    found = phone.text("welding classes in salem")
    assert "Welding Career Pathway" in " ".join(found)
    detail = phone.text("1")
    assert "Cost" in " ".join(detail)
    cost = phone.text("how much is it")
    for replies in (found, detail, cost):
        assert_sms_safe(replies)
        assert len(replies) <= 3


def test_a_learner_texting_in_spanish_is_answered_in_spanish(phone):
    greeting = phone.text("hola")
    assert "Soy un chat bot" in greeting[0] and "Responda 1, 2, 3 o 4." in greeting[-1]
    found = " ".join(phone.text("busco clases de soldadura en salem"))
    assert "Encontré" in found and "Salem" in found
    assert "I found" not in found
    assert_sms_safe(phone.text("1"))
    # The learner switches; the very next reply follows.
    assert "Hi! I am a chat bot" in " ".join(phone.text("hello, english please"))

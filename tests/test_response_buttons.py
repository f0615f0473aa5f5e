"""Every response with buttons, rendered by Rasa as the learner gets it: no error logged,
and each payload sets the intent and entities it names.

Rasa fills `{placeholders}` in a response's text and buttons from the slots
(rasa/core/nlg/interpolator.py). The JSON of a payload with entities looks like a
placeholder to it, so such payloads are written with doubled braces, as Rasa's
documentation of buttons shows (`/inform{{"sector": "healthcare"}}`): rendering turns
them into `/inform{"sector": "healthcare"}`. With single braces the buttons still work,
but every button logs an ERROR each time the response is sent.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest
from rasa.core.nlg import interpolator
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from bot.settings import ROOT

DOMAIN = Domain.load(ROOT / "domain.yml")
WITH_BUTTONS = sorted(name for name, variations in DOMAIN.responses.items()
                      if any(v.get("buttons") for v in variations))


class Recorder:
    """Stands in for the interpolator's logger and keeps what it was told."""

    def __init__(self) -> None:
        self.logged: List[Dict[str, Any]] = []

    def exception(self, event: str, **fields: Any) -> None:
        self.logged.append({"event": event, **fields})

    error = warning = exception


@pytest.fixture
def interpolator_log(monkeypatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(interpolator, "structlogger", recorder)
    return recorder


def test_the_domain_has_buttons_with_entities():
    payloads = [b["payload"] for name in WITH_BUTTONS for v in DOMAIN.responses[name]
                for b in v.get("buttons") or []]
    assert any("service_category" in p for p in payloads)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("name", WITH_BUTTONS)
async def test_buttons_render_without_errors_and_set_their_entities(
        name, language, interpolator_log):
    tracker = DialogueStateTracker.from_events(
        "learner", [SlotSet("language", language)], slots=DOMAIN.slots)
    rendered = await TemplatedNaturalLanguageGenerator(DOMAIN.responses).generate(
        name, tracker, "rest")
    assert interpolator_log.logged == []
    for button in rendered["buttons"]:
        payload = button["payload"]
        assert "{{" not in payload and "}}" not in payload, payload
        if not payload.startswith("/"):
            continue
        if "{" not in payload:  # "/find_program", or a retrieval intent "/faq/what_is_iet"
            assert payload[1:].split("/")[0] in DOMAIN.intents, payload
            continue
        [parsed] = RegexMessageHandler().process([Message(data={"text": payload})], DOMAIN)
        assert parsed.get("intent")["name"] == payload[1:payload.index("{")], payload
        named = json.loads(payload[payload.index("{"):])
        assert {e["entity"]: e["value"] for e in parsed.get("entities")} == named, payload

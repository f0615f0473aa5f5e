"""What an action sends: text and choices. Channels render them (bot/channels/):
the widget as buttons, SMS as numbered lines in as few segments as the text allows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

SMS_CHANNELS = frozenset({"sms", "twilio"})


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str


@dataclass
class Reply:
    text: str
    choices: Sequence[Choice] = field(default_factory=tuple)


def is_sms(tracker: Tracker) -> bool:
    return (tracker.get_latest_input_channel() or "") in SMS_CHANNELS


def send(dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply) -> None:
    buttons = [{"title": c.title, "payload": c.payload} for c in reply.choices]
    dispatcher.utter_message(text=reply.text, buttons=buttons or None)

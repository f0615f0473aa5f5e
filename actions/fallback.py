"""Journey 9: what the bot says when it did not understand."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

MISSES_BEFORE_OFFER = 2
FALLBACK_INTENTS = frozenset({"nlu_fallback"})


def consecutive_misses(tracker: Tracker) -> int:
    """How many of the learner's latest messages in a row the bot did not understand.

    Read from the events rather than kept in a slot, so nothing has to reset it when a
    message is understood.
    """
    misses = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name") not in FALLBACK_INTENTS:
            break
        misses += 1
    return misses


class ActionFallback(Action):
    """Asks the learner to rephrase; after repeated misses, offers topics it knows."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if consecutive_misses(tracker) < MISSES_BEFORE_OFFER:
            dispatcher.utter_message(response="utter_default")
        else:
            dispatcher.utter_message(response="utter_still_lost")
        return []

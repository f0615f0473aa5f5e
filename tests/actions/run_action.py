"""Runs an action as the action server would, on a tracker built for the test."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def tracker(slots: Dict[str, Any], intent: str = "inform", entities=(), text="") -> Tracker:
    # The SDK reads the intent from the ranking (get_intent_of_latest_message), as Rasa sends.
    latest = {"intent": {"name": intent, "confidence": 1.0},
              "intent_ranking": [{"name": intent, "confidence": 1.0}],
              "entities": list(entities), "text": text}
    return Tracker("learner", slots, latest, [], False, None, {}, "action_listen")


async def replies(action, slots, **message) -> List[str]:
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker(slots, **message), {})
    return [m["text"] for m in dispatcher.messages if m.get("text")]

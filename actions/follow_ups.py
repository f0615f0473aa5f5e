"""What learners answer to the follow-up's "1 yes, 2 no" (bot/follow_ups.py sends it;
the status action hands the answer here)."""

from __future__ import annotations

import asyncio
from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.formatting import Reply, send
from actions.store_access import store_engine
from actions.wording import say
from bot.records import store

NOT_REACHED_NOTE = "Follow-up: the learner says nobody has reached them yet."
REACHED_NOTE = "Follow-up: the learner says a navigator reached them."
FOLLOW_UP_ENTITY = "followup"


def follow_up_answer(tracker: Tracker) -> Optional[str]:
    """"reached" or "not_reached" when the message answers the follow-up, else None."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == FOLLOW_UP_ENTITY and entity.get("value") in (
                "reached", "not_reached"):
            return entity["value"]
    return None


async def answer_follow_up(dispatcher: CollectingDispatcher, tracker: Tracker,
                           answer: str) -> None:
    """Nobody reached them: their open referrals are flagged for the team lead.
    Somebody did: the referrals' history says so."""
    reached = answer == "reached"
    await asyncio.to_thread(store.answer_follow_up, store_engine(), tracker.sender_id,
                            reached, REACHED_NOTE if reached else NOT_REACHED_NOTE)
    send(dispatcher, tracker, Reply(say(
        tracker, "say_followup_thanks" if reached else "say_followup_sorry")))

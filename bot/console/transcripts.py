"""A learner's conversation as navigators read it: the turns in Rasa's tracker store
(the `events` table) and the messages sent outside bot turns (navigators, hand-back
notes, reminders: bot/records/thread.py), in the order they happened."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine

from bot.nlu import CRISIS_INTENT
from bot.records import thread


@dataclass(frozen=True)
class Turn:
    at: dt.datetime
    speaker: str  # "learner", "bot" or "navigator"
    text: str
    channel: Optional[str]
    author: str = ""  # the navigator's username
    crisis: bool = False  # the learner's words were read as a crisis
    waiting: bool = False  # not yet delivered: the learner's chat is not open

    def as_json(self) -> Dict[str, Any]:
        return {"at": self.at.strftime("%Y-%m-%d %H:%M:%S"), "speaker": self.speaker,
                "text": self.text, "author": self.author, "crisis": self.crisis,
                "waiting": self.waiting}


def read_transcript(engine: Engine, sender_id: str, after_id: int = 0
                    ) -> tuple[List[Turn], int]:
    """The tracker's turns after event `after_id`, and the last event id read."""
    query = text(
        "SELECT id, type_name, timestamp, data FROM events WHERE sender_id = :sender "
        "AND id > :after AND type_name IN ('user', 'bot') ORDER BY id"
    )
    with engine.connect() as conn:
        try:
            rows = conn.execute(query, {"sender": sender_id, "after": after_id}).all()
        except Exception:  # no conversation stored yet: the table does not exist
            return [], after_id
    turns = []
    for event_id, type_name, timestamp, data in rows:
        event = json.loads(data)
        words = event.get("text") or ""
        if not words and event.get("data", {}).get("buttons"):
            words = "(buttons)"
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        turns.append(Turn(
            at=dt.datetime.fromtimestamp(float(timestamp), dt.timezone.utc),
            speaker="learner" if type_name == "user" else "bot",
            text=words,
            channel=event.get("input_channel"),
            crisis=type_name == "user" and intent == CRISIS_INTENT,
        ))
        after_id = event_id
    return turns, after_id


def thread_turns(engine: Engine, sender_id: str, after_id: int = 0
                 ) -> tuple[List[Turn], int]:
    """Messages sent outside bot turns after `after_id`, and the last id read."""
    turns = []
    for row in thread.for_conversation(engine, sender_id, after_id):
        at = row["created_at"]
        turns.append(Turn(
            at=at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc),
            speaker="bot" if row["author"] == thread.BOT else "navigator",
            text=row["text"], channel=row["channel"],
            author="" if row["author"] == thread.BOT else row["author"],
            waiting=row["delivered_at"] is None))
        after_id = row["id"]
    return turns, after_id


def in_order(*parts: List[Turn]) -> List[Turn]:
    return sorted((turn for part in parts for turn in part), key=lambda turn: turn.at)


def last_learner_messages(engine: Engine, sender_ids: List[str]) -> Dict[str, dt.datetime]:
    """When each of these learners last wrote (conversations with no message left out)."""
    if not sender_ids:
        return {}
    query = text("SELECT sender_id, MAX(timestamp) FROM events WHERE type_name = 'user' "
                 "AND sender_id IN :senders GROUP BY sender_id").bindparams(
        bindparam("senders", expanding=True))
    with engine.connect() as conn:
        try:
            rows = conn.execute(query, {"senders": sender_ids}).all()
        except Exception:  # no conversation stored yet: the table does not exist
            return {}
    return {sender: dt.datetime.fromtimestamp(float(at), dt.timezone.utc)
            for sender, at in rows}

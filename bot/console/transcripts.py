"""Reads a learner's conversation from Rasa's tracker store (the `events` table)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import List, Optional

from sqlalchemy import text
from sqlalchemy.engine import Engine


@dataclass(frozen=True)
class Turn:
    at: dt.datetime
    speaker: str  # "learner" or "bot"
    text: str
    channel: Optional[str]


def read_transcript(engine: Engine, sender_id: str) -> List[Turn]:
    query = text(
        "SELECT type_name, timestamp, data FROM events "
        "WHERE sender_id = :sender AND type_name IN ('user', 'bot') ORDER BY id"
    )
    turns = []
    with engine.connect() as conn:
        try:
            rows = conn.execute(query, {"sender": sender_id}).all()
        except Exception:  # no conversation stored yet: the table does not exist
            return []
    for type_name, timestamp, data in rows:
        event = json.loads(data)
        words = event.get("text") or ""
        if not words and event.get("data", {}).get("buttons"):
            words = "(buttons)"
        turns.append(Turn(
            at=dt.datetime.fromtimestamp(float(timestamp), dt.timezone.utc),
            speaker="learner" if type_name == "user" else "bot",
            text=words,
            channel=event.get("input_channel"),
        ))
    return turns

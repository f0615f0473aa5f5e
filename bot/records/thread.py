"""Messages to a learner from outside a bot turn (a navigator, a hand-back note, a
scheduled reminder), kept with the conversation. A text is delivered when written; a web
chat message waits (`delivered_at` NULL) until the learner's widget is connected, and is
claimed by exactly one replica.

Synchronous: callers run these in a thread.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Iterable, List, Optional

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from bot.records.tables import thread_messages, utcnow

BOT = "bot"  # the author of notes the system writes


def add(engine: Engine, *, sender_id: str, channel: str, author: str, text: str,
        referral_id: Optional[int] = None, delivered: bool = False) -> int:
    now = utcnow()
    with engine.begin() as conn:
        return conn.execute(insert(thread_messages).values(
            sender_id=sender_id, channel=channel, author=author, text=text,
            referral_id=referral_id, created_at=now,
            delivered_at=now if delivered else None)).inserted_primary_key[0]


def waiting(engine: Engine, sender_ids: Optional[Iterable[str]] = None,
            limit: int = 200) -> List[Dict[str, Any]]:
    """Undelivered messages, oldest first (for these conversations, if given)."""
    query = select(thread_messages).where(thread_messages.c.delivered_at.is_(None))
    if sender_ids is not None:
        query = query.where(thread_messages.c.sender_id.in_(list(sender_ids)))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(thread_messages.c.id).limit(limit)).mappings()
        return [dict(r) for r in rows]


def claim(engine: Engine, message_id: int) -> bool:
    """Marks a waiting message delivered; True only for the one caller that did it."""
    with engine.begin() as conn:
        return conn.execute(update(thread_messages).where(
            thread_messages.c.id == message_id, thread_messages.c.delivered_at.is_(None))
            .values(delivered_at=utcnow())).rowcount == 1


def unclaim(engine: Engine, message_id: int) -> None:
    """Puts a message back to wait when sending it failed after the claim."""
    with engine.begin() as conn:
        conn.execute(update(thread_messages).where(thread_messages.c.id == message_id)
                     .values(delivered_at=None))


def for_conversation(engine: Engine, sender_id: str, after_id: int = 0
                     ) -> List[Dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(thread_messages).where(
            thread_messages.c.sender_id == sender_id, thread_messages.c.id > after_id)
            .order_by(thread_messages.c.id)).mappings()
        return [dict(r) for r in rows]


def last_at(engine: Engine, sender_id: str) -> Optional[dt.datetime]:
    with engine.connect() as conn:
        return conn.execute(select(thread_messages.c.created_at).where(
            thread_messages.c.sender_id == sender_id).order_by(
            thread_messages.c.id.desc()).limit(1)).scalar_one_or_none()

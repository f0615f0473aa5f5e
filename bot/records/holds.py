"""Conversations a navigator holds. While a hold stands, the Rasa channels log the
learner's messages without a bot turn (bot/channels/holds.py). Kept in the database, so a
hold survives restarts and every replica sees it.

Synchronous: callers run these in a thread.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from bot.records.tables import holds, users, utcnow


def holder(engine: Engine, sender_id: str) -> Optional[Dict[str, Any]]:
    """The hold on this conversation with the navigator's username, or None."""
    query = select(holds, users.c.username).join(users, users.c.id == holds.c.user_id).where(
        holds.c.sender_id == sender_id)
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def hold(engine: Engine, sender_id: str, referral_id: int, user_id: int,
         at: Optional[dt.datetime] = None) -> bool:
    """Takes (or refreshes) the hold for this navigator; True if it was not held before."""
    at = at or utcnow()
    with engine.begin() as conn:
        found = conn.execute(update(holds).where(holds.c.sender_id == sender_id).values(
            user_id=user_id, referral_id=referral_id, last_activity=at))
        if found.rowcount:
            return False
        conn.execute(insert(holds).values(sender_id=sender_id, referral_id=referral_id,
                                          user_id=user_id, since=at, last_activity=at))
    return True


def release(engine: Engine, sender_id: str) -> bool:
    """Hands the conversation back to the bot; False if it was not held."""
    with engine.begin() as conn:
        return conn.execute(delete(holds).where(holds.c.sender_id == sender_id)).rowcount > 0


def stale(engine: Engine, idle_before: dt.datetime) -> List[Dict[str, Any]]:
    """Holds with no navigator activity since `idle_before`."""
    with engine.connect() as conn:
        rows = conn.execute(select(holds).where(holds.c.last_activity < idle_before))
        return [dict(r) for r in rows.mappings()]


def release_if_idle(engine: Engine, sender_id: str, idle_before: dt.datetime) -> bool:
    """Releases a hold only if it is still idle, so a navigator who just wrote keeps it
    and two workers never both hand the same conversation back."""
    with engine.begin() as conn:
        return conn.execute(delete(holds).where(
            holds.c.sender_id == sender_id, holds.c.last_activity < idle_before)).rowcount > 0

"""What the SMS channel remembers, in the navigator database (shared by every replica):
which Twilio messages were already answered (exactly-once), who opted out, and the
numbered choices last sent to each phone. Tables: bot/records/tables.py.

Synchronous functions: the channel runs them in a thread.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.records.tables import sms_choices, sms_messages, sms_opt_outs


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def claim(engine: Engine, sid: str) -> bool:
    """True for the first delivery of this MessageSid; False for a retry."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(sms_messages).values(sid=sid, received_at=now(), replies=None))
        return True
    except IntegrityError:
        return False


def answered(engine: Engine, sid: str) -> Optional[List[str]]:
    with engine.connect() as conn:
        return conn.execute(select(sms_messages.c.replies).where(
            sms_messages.c.sid == sid)).scalar_one_or_none()


def record_replies(engine: Engine, sid: str, replies: List[str]) -> None:
    with engine.begin() as conn:
        conn.execute(update(sms_messages).where(sms_messages.c.sid == sid)
                     .values(replies=replies))


def release(engine: Engine, sid: str) -> None:
    """Forgets a claim whose turn failed, so Twilio's retry gets a real answer."""
    with engine.begin() as conn:
        conn.execute(delete(sms_messages).where(sms_messages.c.sid == sid,
                                                sms_messages.c.replies.is_(None)))


def is_opted_out(engine: Engine, phone: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(sms_opt_outs.c.phone).where(
            sms_opt_outs.c.phone == phone)).first() is not None


def opt_out(engine: Engine, phone: str) -> None:
    with engine.begin() as conn:
        if not conn.execute(select(sms_opt_outs.c.phone).where(
                sms_opt_outs.c.phone == phone)).first():
            conn.execute(insert(sms_opt_outs).values(phone=phone, opted_out_at=now()))


def opt_in(engine: Engine, phone: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(sms_opt_outs).where(sms_opt_outs.c.phone == phone))


def remember_choices(engine: Engine, phone: str, choices: List[Dict[str, Any]]) -> None:
    with engine.begin() as conn:
        conn.execute(delete(sms_choices).where(sms_choices.c.phone == phone))
        if choices:
            conn.execute(insert(sms_choices).values(phone=phone, choices=choices,
                                                    updated_at=now()))


def last_choices(engine: Engine, phone: str) -> List[Dict[str, Any]]:
    with engine.connect() as conn:
        found = conn.execute(select(sms_choices.c.choices).where(
            sms_choices.c.phone == phone)).scalar_one_or_none()
    return found or []

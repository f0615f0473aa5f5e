"""Referrals, navigator accounts, status history and the audit log, in the navigator
database (`NAVIGATOR_DATABASE_URL`, beside the catalogue; a bundle import never touches
these tables). Tables: bot/records/tables.py.

Every function here is synchronous; async callers (actions, the console) run them in a
thread (`asyncio.to_thread`) so a slow database never stalls an event loop.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.engine import Engine

from bot.records.tables import (
    audit_log,
    holds,
    referral_events,
    referrals,
    scheduled_messages,
    thread_messages,
    users,
    utcnow,
)

# An editor keeps the catalogue up to date in the console (as admins may); like a
# navigator without teams, they see no referrals.
ROLES = ("navigator", "admin", "editor")
CATALOGUE_ROLES = ("admin", "editor")
STATUSES = ("new", "contacted", "enrolled", "referred_elsewhere", "unable_to_reach",
            "not_interested", "closed", "cancelled")
OPEN_STATUSES = ("new", "contacted")
STATUS_WORDS = {
    "new": "new", "contacted": "contacted", "enrolled": "enrolled",
    "referred_elsewhere": "referred elsewhere", "unable_to_reach": "unable to reach",
    "not_interested": "not interested", "closed": "closed", "cancelled": "cancelled by learner",
}
STATEWIDE_TEAM = "statewide"
# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read over the phone cannot be misheard or misread.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
PERSONAL_FIELDS = ("first_name", "phone", "email", "best_time", "place")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass(frozen=True)
class NewReferral:
    sender_id: str
    channel: str
    team: str
    consent_text: str
    first_name: str
    contact_method: str
    phone: Optional[str] = None
    email: Optional[str] = None
    best_time: Optional[str] = None
    language: Optional[str] = None
    county: Optional[str] = None
    place: Optional[str] = None
    program_id: Optional[str] = None
    topic: Optional[str] = None
    summary: Optional[Dict[str, Any]] = None
    updates_ok: bool = False  # agreed at consent to messages when the status changes


def create_referral(engine: Engine, new: NewReferral) -> str:
    """Stores the referral and its first history entry; returns the reference code."""
    now = utcnow()
    with engine.begin() as conn:
        taken = set(conn.execute(select(referrals.c.code)).scalars())
        code = new_code()
        while code in taken:
            code = new_code()
        values = {**new.__dict__, "summary": new.summary or {}}
        referral_id = conn.execute(insert(referrals).values(
            **values, code=code, status="new", consent_at=now, created_at=now, updated_at=now,
        )).inserted_primary_key[0]
        conn.execute(insert(referral_events).values(
            referral_id=referral_id, at=now, actor="learner", to_status="new",
            note=f"Referral made over {new.channel}.",
        ))
    return code


def learner_referrals(engine: Engine, sender_id: str) -> List[Dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(referrals).where(referrals.c.sender_id == sender_id)
                            .order_by(referrals.c.created_at.desc())).mappings().all()
    return [dict(r) for r in rows]


def cancel_learner_referrals(engine: Engine, sender_id: str) -> List[str]:
    """Cancels the learner's open referrals; returns their codes."""
    with engine.begin() as conn:
        rows = conn.execute(select(referrals.c.id, referrals.c.code, referrals.c.status).where(
            referrals.c.sender_id == sender_id,
            referrals.c.status.in_(OPEN_STATUSES))).all()
        for row in rows:
            _set_status(conn, row.id, row.status, "cancelled", "learner",
                         "The learner cancelled the request.")
    return [row.code for row in rows]


def erase_learner(engine: Engine, sender_id: str) -> int:
    """Removes the learner's personal details from every referral they made.

    The rows stay, closed and unlinked from the conversation, so a team's counts and
    history hold without anything that identifies the learner.
    """
    with engine.begin() as conn:
        rows = conn.execute(select(referrals.c.id, referrals.c.status).where(
            referrals.c.sender_id == sender_id)).all()
        for row in rows:
            conn.execute(update(referrals).where(referrals.c.id == row.id).values(
                **{field: None for field in PERSONAL_FIELDS}, summary={}, erased_at=utcnow(),
                sender_id=f"erased-{secrets.token_hex(8)}"))
            _set_status(conn, row.id, row.status, "closed", "learner",
                        "The learner asked to delete their data; personal details erased.")
        # Navigators' messages, reminders still to come and a hold are theirs too.
        for table in (thread_messages, scheduled_messages, holds):
            conn.execute(delete(table).where(table.c.sender_id == sender_id))
    return len(rows)


def _set_status(conn, referral_id: int, old: str, new: str, actor: str,
                note: Optional[str]) -> None:
    now = utcnow()
    conn.execute(update(referrals).where(referrals.c.id == referral_id)
                 .values(status=new, updated_at=now))
    if old == "new" and new != "new" and actor != "learner":
        _first_contact(conn, referral_id, now)
    conn.execute(insert(referral_events).values(
        referral_id=referral_id, at=now, actor=actor, from_status=old, to_status=new,
        note=note or None))


# ---------------------------------------------------------------- navigator side

def visible_to(user: Dict[str, Any]):
    """The WHERE clause limiting a user to their teams' referrals (admins see all)."""
    if user["role"] == "admin":
        return referrals.c.id.isnot(None)
    return referrals.c.team.in_(list(user["teams"] or []))


def queue(engine: Engine, user: Dict[str, Any], *, status: Optional[str] = None,
          county: Optional[str] = None, search: Optional[str] = None,
          limit: int = 200) -> List[Dict[str, Any]]:
    query = select(referrals, users.c.username.label("assignee")).outerjoin(
        users, users.c.id == referrals.c.assigned_to).where(visible_to(user))
    if status == "open" or not status:
        query = query.where(referrals.c.status.in_(OPEN_STATUSES))
    elif status != "all":
        query = query.where(referrals.c.status == status)
    if county:
        query = query.where(referrals.c.county == county)
    if search:
        like = f"%{search.strip().lower()}%"
        query = query.where(or_(func.lower(referrals.c.code).like(like),
                                func.lower(referrals.c.first_name).like(like),
                                func.lower(referrals.c.topic).like(like)))
    query = query.order_by(referrals.c.created_at.asc()).limit(limit)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def referral_for(engine: Engine, user: Dict[str, Any], referral_id: int) -> Optional[Dict]:
    """The referral if this user may see it; None otherwise (the caller answers 404)."""
    query = select(referrals, users.c.username.label("assignee")).outerjoin(
        users, users.c.id == referrals.c.assigned_to).where(
        referrals.c.id == referral_id, visible_to(user))
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
        if row is None:
            return None
        history = conn.execute(select(referral_events).where(
            referral_events.c.referral_id == referral_id).order_by(
            referral_events.c.at, referral_events.c.id)).mappings().all()
    return {**dict(row), "history": [dict(h) for h in history]}


def change_status(engine: Engine, user: Dict[str, Any], referral_id: int, new: str,
                  note: Optional[str]) -> bool:
    if new not in STATUSES:
        raise ValueError(f"unknown status {new!r}")
    with engine.begin() as conn:
        row = conn.execute(select(referrals.c.status).where(
            referrals.c.id == referral_id, visible_to(user))).first()
        if row is None:
            return False
        if row.status == new and not note:
            return True
        _set_status(conn, referral_id, row.status, new, user["username"], note)
    return True


def assign(engine: Engine, user: Dict[str, Any], referral_id: int,
           assignee_id: Optional[int]) -> bool:
    with engine.begin() as conn:
        found = conn.execute(select(referrals.c.id).where(
            referrals.c.id == referral_id, visible_to(user))).first()
        if found is None:
            return False
        name = None
        if assignee_id is not None:
            name = conn.execute(select(users.c.username).where(
                users.c.id == assignee_id)).scalar_one_or_none()
            if name is None:
                return False
        conn.execute(update(referrals).where(referrals.c.id == referral_id).values(
            assigned_to=assignee_id, updated_at=utcnow()))
        conn.execute(insert(referral_events).values(
            referral_id=referral_id, at=utcnow(), actor=user["username"],
            note=f"Assigned to {name}." if name else "Unassigned."))
    return True


def _first_contact(conn, referral_id: int, at) -> None:
    conn.execute(update(referrals).where(referrals.c.id == referral_id,
                                         referrals.c.first_contact_at.is_(None))
                 .values(first_contact_at=at))


def note_contact(engine: Engine, referral_id: int) -> None:
    """A navigator wrote to the learner: the referral has had its first contact."""
    with engine.begin() as conn:
        _first_contact(conn, referral_id, utcnow())


def add_note(engine: Engine, referral_id: int, actor: str, note: str) -> None:
    with engine.begin() as conn:
        conn.execute(insert(referral_events).values(
            referral_id=referral_id, at=utcnow(), actor=actor, note=note))


def mark_read(engine: Engine, referral_id: int, at) -> None:
    """The navigators have seen the learner's messages up to `at`."""
    with engine.begin() as conn:
        conn.execute(update(referrals).where(referrals.c.id == referral_id)
                     .values(learner_read_at=at))


def answer_follow_up(engine: Engine, sender_id: str, reached: bool, note: str) -> List[str]:
    """The learner's answer to the follow-up, on their open referrals: noted in each
    history, and "nobody reached me" flags them for the team lead. The follow-up to a web
    learner went to the phone they gave, so their answer comes from that number: the
    referrals of that conversation or with that phone. Returns their codes."""
    with engine.begin() as conn:
        rows = conn.execute(select(referrals.c.id, referrals.c.code).where(
            or_(referrals.c.sender_id == sender_id, referrals.c.phone == sender_id),
            referrals.c.status.in_(OPEN_STATUSES))).all()
        now = utcnow()
        for row in rows:
            if not reached:
                conn.execute(update(referrals).where(referrals.c.id == row.id)
                             .values(flagged_at=now, updated_at=now))
            conn.execute(insert(referral_events).values(
                referral_id=row.id, at=now, actor="learner", note=note))
    return [row.code for row in rows]


def referral_by_code(engine: Engine, code: str) -> Optional[Dict[str, Any]]:
    with engine.connect() as conn:
        row = conn.execute(select(referrals).where(referrals.c.code == code)).mappings().first()
    return dict(row) if row else None


def audit(engine: Engine, username: str, action: str, referral_id: Optional[int] = None,
          detail: Optional[str] = None) -> None:
    with engine.begin() as conn:
        conn.execute(insert(audit_log).values(at=utcnow(), username=username, action=action,
                                              referral_id=referral_id, detail=detail))


def audit_entries(engine: Engine, limit: int = 500) -> List[Dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).mappings()]


# ---------------------------------------------------------------- accounts

def add_user(engine: Engine, username: str, password_hash: str, role: str,
             teams: Sequence[str]) -> int:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    with engine.begin() as conn:
        return conn.execute(insert(users).values(
            username=username, password_hash=password_hash, role=role, teams=list(teams),
            active=True, created_at=utcnow())).inserted_primary_key[0]


def user_by_name(engine: Engine, username: str) -> Optional[Dict[str, Any]]:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    return dict(row) if row else None


def user_by_id(engine: Engine, user_id: int) -> Optional[Dict[str, Any]]:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    return dict(row) if row else None


def all_users(engine: Engine) -> List[Dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(users).order_by(users.c.username))
                .mappings()]


def update_user(engine: Engine, username: str, **values: Any) -> bool:
    with engine.begin() as conn:
        done = conn.execute(update(users).where(users.c.username == username).values(**values))
    return done.rowcount > 0

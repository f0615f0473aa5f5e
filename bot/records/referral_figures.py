"""Referral counts for the dashboard, limited to what the user may see: a navigator only
their teams' referrals, admins and editors every team's. Counts and delays only; no
learner's details leave this module.

Synchronous, like bot.records.store: async callers run these in a thread.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.records.filters import LANGUAGE_NAMES, Filters
from bot.records.tables import referrals

EVERY_TEAM_ROLES = ("admin", "editor")


def sees_every_team(user: Dict[str, Any]) -> bool:
    return user["role"] in EVERY_TEAM_ROLES


def _where(user: Dict[str, Any], filters: Filters) -> list:
    clauses = []
    if not sees_every_team(user):
        clauses.append(referrals.c.team.in_(list(user["teams"] or [])))
    if filters.team:
        clauses.append(referrals.c.team == filters.team)
    if filters.start:
        clauses.append(referrals.c.created_at >= _midnight(filters.start))
    if filters.end:
        clauses.append(referrals.c.created_at < _midnight(filters.end + dt.timedelta(days=1)))
    if filters.county:
        clauses.append(referrals.c.county == filters.county)
    if filters.language:
        name = LANGUAGE_NAMES.get(filters.language, filters.language)
        clauses.append(func.lower(referrals.c.language) == name.lower())
    return clauses


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.timezone.utc)


def counts_by(engine: Engine, user: Dict[str, Any], filters: Filters,
              column: str) -> List[Tuple[Optional[str], int]]:
    """(status or team, referrals) for the referrals the user may see."""
    if column not in ("status", "team"):
        raise ValueError(f"cannot count referrals by {column!r}")
    by = referrals.c[column]
    query = select(by, func.count()).where(*_where(user, filters)).group_by(by)
    with engine.connect() as conn:
        return [(value, n) for value, n in conn.execute(query)]


def first_contact_hours(engine: Engine, user: Dict[str, Any],
                        filters: Filters) -> List[Tuple[str, float]]:
    """(team, hours from the referral to its first contact) per contacted referral."""
    query = select(referrals.c.team, referrals.c.created_at, referrals.c.first_contact_at).where(
        *_where(user, filters), referrals.c.first_contact_at.isnot(None))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [(team, max(0.0, (_aware(contact) - _aware(made)).total_seconds() / 3600))
            for team, made, contact in rows]


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)


def teams_for(engine: Engine, user: Dict[str, Any]) -> List[str]:
    """The teams the user may narrow the dashboard to."""
    if not sees_every_team(user):
        return sorted(user["teams"] or [])
    with engine.connect() as conn:
        return sorted(t for t in conn.execute(select(referrals.c.team).distinct()).scalars())

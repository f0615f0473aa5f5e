"""Provider lookup by name or the names learners use ("PCC", "lane cc", "chemeketa")."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.search.index import catalogue_index
from knowledge.search.results import ProviderResult

MINIMUM_SCORE = 0.6


def find_provider(session: Session, name_or_alias: str) -> Optional[ProviderResult]:
    """The provider a learner means, or None when nothing is close enough."""
    index = catalogue_index(session)
    found = index.provider_names.find(name_or_alias, minimum=MINIMUM_SCORE)
    if not found:
        return None
    provider_id, score = found[0]
    provider = session.get(m.Provider, provider_id)
    if provider is None:
        return None
    count = session.execute(
        select(func.count()).select_from(m.Program).where(m.Program.provider_id == provider_id)
    ).scalar_one()
    reasons = [] if score == 1.0 else [f"closest match to '{name_or_alias.strip()}'"]
    return ProviderResult(
        id=provider.id, name=provider.name, kind=provider.kind, city=provider.city,
        zip=provider.zip, counties=list(provider.counties or []), phone=provider.phone,
        email=provider.email, website=provider.website, team=provider.team,
        aliases=list(provider.aliases or []), program_count=count, score=round(score, 4),
        reasons=reasons,
    )


def navigator_team(session: Session, program_id: Optional[str] = None,
                   county: Optional[str] = None) -> Optional[str]:
    """Where a referral goes: the team of the chosen program's provider, else of a provider
    serving the county (the first in name order when several do), else None (the caller's
    statewide team)."""
    if program_id:
        provider = session.execute(
            select(m.Provider).join(m.Program).where(m.Program.id == program_id)
        ).scalar_one_or_none()
        if provider is not None:
            return provider.team
    if county:
        provider = session.execute(
            select(m.Provider).join(m.provider_counties).where(
                m.provider_counties.c.county == county).order_by(m.Provider.name).limit(1)
        ).scalar_one_or_none()
        if provider is not None:
            return provider.team
    return None

"""Supportive-service search: a county's own services first, then statewide ones."""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.geography import normalize_county
from knowledge.search.index import MAX_FIELD_WEIGHT, ServiceFacts, catalogue_index
from knowledge.search.results import ServiceResult
from knowledge.search.terms import CATEGORY_ALIASES, NEED_CUES
from knowledge.search.text import content_words, words

# A statewide service matching as well as a local one still comes after it: local
# offices know the learner's area.
STATEWIDE_FACTOR = 0.8


def search_services(
    session: Session,
    *,
    category: Optional[str] = None,
    county: Optional[str] = None,
    text: Optional[str] = None,
    limit: int = 5,
) -> List[ServiceResult]:
    """Services for a county (plus statewide ones), local first; text is typo tolerant."""
    index = catalogue_index(session)
    wanted_category = normalize_category(category)
    if category and wanted_category is None:
        return []
    county_name = normalize_county(county) if county and county != m.STATEWIDE else None
    if county and county != m.STATEWIDE and county_name is None:
        return []
    relevance: Dict[str, Tuple[float, List[str]]] = {}
    services = list(index.services.values())
    wanted = content_words(text)
    if wanted:
        hits = index.service_words.match(wanted)
        ceiling = MAX_FIELD_WEIGHT * len(wanted)
        relevance = {sid: (min(1.0, h.score / ceiling), h.matched) for sid, h in hits.items()}
        services = [index.services[sid] for sid in relevance]
    ranked: List[Tuple[float, bool, ServiceFacts]] = []
    for service in services:
        if wanted_category and service.category != wanted_category:
            continue
        statewide = m.STATEWIDE in service.counties
        if county_name and not (statewide or county_name in service.counties):
            continue
        text_score = relevance.get(service.id, (1.0, []))[0]
        local = bool(county_name) and not statewide
        ranked.append((text_score * (1.0 if local or not county_name else STATEWIDE_FACTOR),
                       local, service))
    ranked.sort(key=lambda r: (-round(r[0], 6), not r[1], r[2].name, r[2].id))
    return _details(session, ranked[:limit], relevance, county_name)


_NEEDS = tuple((category, re.compile(pattern)) for category, pattern in NEED_CUES)
_ACCENTS = str.maketrans("áéíóúüñ", "aeiouun")


def needs_named(text: Optional[str]) -> List[Tuple[int, int, str]]:
    """(start, end, category) of each kind of help a message asks for in everyday words,
    in the order it names them ("child care and a ride": childcare, then transportation).
    Accents are folded one for one, so the offsets are the message's own."""
    plain = (text or "").lower().translate(_ACCENTS)
    found = []
    for category, cue in _NEEDS:
        match = cue.search(plain)
        if match:
            found.append((match.start(), match.end(), category))
    return sorted(found)


Span = Tuple[int, int]


def _inside(inner: Span, outer: Span) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def jobs_and_needs(text: Optional[str], job_spans: Sequence[Span]
                   ) -> Tuple[List[Span], List[Tuple[int, int, str]]]:
    """Which of the jobs found in a message are jobs, and which needs are needs.

    A job inside a need's words is the need ("kids who need care", "daycare money"); a
    need inside a job's name is the job ("bus driver" names no need for a bus).
    """
    needs = needs_named(text)
    jobs = [job for job in job_spans if not any(_inside(job, n[:2]) for n in needs)]
    return jobs, [n for n in needs if not any(_inside(n[:2], job) for job in jobs)]


def categories_in(text: Optional[str]) -> List[str]:
    """The kinds of help a message asks for, in the order it names them."""
    return [category for _, _, category in needs_named(text)]


def category_of(text: Optional[str]) -> Optional[str]:
    """The first kind of help a message asks for, or None."""
    found = categories_in(text)
    return found[0] if found else None


def normalize_category(category: Optional[str]) -> Optional[str]:
    if not category:
        return None
    plain = " ".join(words(category.replace("_", " ")))
    value = plain.replace(" ", "_")
    if value in m.SERVICE_CATEGORIES:
        return value
    return CATEGORY_ALIASES.get(plain)


def _details(session: Session, ranked: List[Tuple[float, bool, ServiceFacts]],
             relevance: Dict[str, Tuple[float, List[str]]],
             county: Optional[str]) -> List[ServiceResult]:
    if not ranked:
        return []
    s = m.Service
    rows = {row.id: row for row in session.execute(
        select(s).where(s.id.in_([r[2].id for r in ranked]))
    ).scalars()}
    results = []
    for score, local, facts in ranked:
        row = rows.get(facts.id)
        if row is None:
            continue
        statewide = m.STATEWIDE in (row.counties or [])
        reasons = [f"matches '{w}'" for w in dict.fromkeys(relevance.get(row.id, (0, []))[1])]
        if statewide:
            reasons.append("available statewide")
        elif county and local:
            reasons.append(f"serves {county} County")
        results.append(ServiceResult(
            id=row.id, name=row.name, category=row.category, organization=row.organization,
            counties=list(row.counties or []), statewide=statewide,
            description=row.description, how_to_apply=row.how_to_apply,
            eligibility=row.eligibility, cost=row.cost, phone=row.phone,
            text_number=row.text_number, url=row.url,
            languages=list(row.languages or ["en"]), score=round(score, 4), reasons=reasons,
            name_es=row.name_es, description_es=row.description_es,
            how_to_apply_es=row.how_to_apply_es, eligibility_es=row.eligibility_es,
            cost_es=row.cost_es,
        ))
    return results

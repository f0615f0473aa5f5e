"""Program search: free text (typos too), filters, and distance from the learner."""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import clock
from knowledge import models as m
from knowledge.geography import Place, distance_miles
from knowledge.search.index import (
    DESCRIPTION,
    MAX_FIELD_WEIGHT,
    CatalogueIndex,
    ProgramFacts,
    catalogue_index,
)
from knowledge.search.results import ProgramResult
from knowledge.search.terms import FORM_WORDS, LANGUAGE_NAMES, SECTOR_ALIASES, SECTOR_HINTS
from knowledge.search.text import content_words, stem, words

SOC_RE = re.compile(r"^\s*(\d{2}-\d{4})(?:\.\d{2})?\s*$")
# Proximity halves at this distance: near enough to matter, gentle enough that a program
# matching every word 40 miles away still beats a half match next door.
HALF_PROXIMITY_MILES = 40.0
ONLINE_PROXIMITY = 0.75  # an online program is "near" everyone, but in person is preferred
UNKNOWN_PROXIMITY = 0.5
# Up to this many subject words, each one says what is wanted ("cnc machinist"); longer
# messages carry words about the learner's life ("got 3 kids so i cant go to a campus").
WHOLE_QUERY_WORDS = 3
SCHEDULE_WORDS = {"day": "day classes", "evening": "evening classes",
                  "weekend": "weekend classes", "flexible": "flexible schedule"}
MODALITY_WORDS = {"online": "online", "hybrid": "part online, part in person",
                  "in_person": "in person"}


def search_programs(
    session: Session,
    *,
    text: Optional[str] = None,
    occupation: Optional[str] = None,
    sector: Optional[str] = None,
    place: Optional[Place] = None,
    max_miles: Optional[float] = None,
    schedule: Optional[Sequence[str]] = None,
    modality: Optional[str] = None,
    language: Optional[str] = None,
    english_support: Optional[bool] = None,
    max_cost: Optional[float] = None,
    iet_only: bool = False,
    limit: int = 3,
    offset: int = 0,
) -> List[ProgramResult]:
    """Programs best first. Free text is typo tolerant; every filter narrows; a place
    keeps providers that serve the learner's county (or the whole state) and ranks by
    distance together with text relevance."""
    index = catalogue_index(session)
    candidates: Iterable[ProgramFacts] = index.programs.values()
    relevance: Dict[str, Tuple[float, List[str]]] = {}
    partial: Set[str] = set()
    wanted = content_words(text)
    if wanted:
        hits = index.program_words.match(wanted)
        ceiling = MAX_FIELD_WEIGHT * len(wanted)
        relevance = {pid: (min(1.0, h.score / ceiling), h.matched) for pid, h in hits.items()}
        relevance, partial = _about_the_subject(index, wanted, relevance)
        candidates = [index.programs[pid] for pid in relevance]
    if occupation:
        socs = occupation_socs(index, occupation)
        candidates = [p for p in candidates if p.socs & socs]
    sector_value = normalize_sector(sector)
    if sector and sector_value is None:
        return []
    filters = _Filters(sector_value, schedule, modality, language, english_support,
                       max_cost, iet_only)
    kept = [p for p in candidates if filters.keep(p)]
    ranked = _rank(index, kept, relevance, place, max_miles)
    page = ranked[offset:offset + limit]
    return _details(session, page, filters, place, partial)


def _about_the_subject(index: CatalogueIndex, wanted: List[str],
                       relevance: Dict[str, Tuple[float, List[str]]]
                       ) -> Tuple[Dict[str, Tuple[float, List[str]]], Set[str]]:
    """Drops programs that match only words naming a kind of training ("real estate
    license" is not the security-card program), and marks the near misses of a short
    query: programs that match some of its subject words but not all ("cnc machinist",
    "medical assistant"). A near miss must match in its name, keywords or job: a word
    somewhere in a description ("real wall frames") is no nearer than any other program.
    """
    subject = [w for w in wanted if w not in FORM_WORDS]
    if not subject:
        return relevance, set()
    matching = [index.program_words.match([w]) for w in subject]
    about = set().union(*matching)
    kept = {pid: value for pid, value in relevance.items() if pid in about}
    if len(subject) > WHOLE_QUERY_WORDS:
        return kept, set()
    partial = {pid for pid in kept if not all(pid in hits for hits in matching)}
    weak = {pid for pid in partial
            if all(hits[pid].score <= DESCRIPTION for hits in matching if pid in hits)}
    return {pid: value for pid, value in kept.items() if pid not in weak}, partial - weak


def program_by_id(session: Session, program_id: str) -> Optional[ProgramResult]:
    """One program, as a search would show it (for "tell me more about 2")."""
    facts = catalogue_index(session).programs.get(program_id)
    if facts is None:
        return None
    no_filters = _Filters(None, None, None, None, None, None, False)
    found = _details(session, [_Ranked(facts, 0.0, [], None, True)], no_filters, None)
    return found[0] if found else None


def normalize_sector(sector: Optional[str]) -> Optional[str]:
    if not sector:
        return None
    plain = " ".join(words(sector.replace("_", " ")))
    value = plain.replace(" ", "_")
    if value in m.SECTORS:
        return value
    return SECTOR_ALIASES.get(plain)


def guess_sector(text: Optional[str]) -> Optional[str]:
    """The field a job or interest belongs to, from its words ("dental hygienist" is
    healthcare), or None. For showing the same field when nothing matched the job."""
    found = {word: sector for sector, hints in SECTOR_HINTS.items() for word in hints}
    for word in words(text):
        sector = found.get(word) or found.get(stem(word))
        if sector:
            return sector
    return normalize_sector(text)


def occupation_socs(index: CatalogueIndex, occupation: str) -> Set[str]:
    """SOC codes an occupation argument names: a code, or title words (typos too)."""
    code = SOC_RE.match(occupation)
    if code:
        return {code.group(1)}
    found = index.occupation_names.find(occupation, minimum=0.5)
    if not found:
        return set()
    top = found[0][1]
    return {soc for soc, score in found if score >= top * 0.8}


class _Filters:
    def __init__(self, sector: Optional[str], schedule: Optional[Sequence[str]],
                 modality: Optional[str], language: Optional[str],
                 english_support: Optional[bool], max_cost: Optional[float],
                 iet_only: bool) -> None:
        self.sector = sector
        self.schedule = frozenset(s.lower() for s in schedule or ())
        self.modality = modality.lower().replace("-", "_").replace(" ", "_") if modality else None
        self.language = language.lower()[:2] if language else None
        self.english_support = english_support
        self.max_cost = max_cost
        self.iet_only = iet_only

    def keep(self, p: ProgramFacts) -> bool:
        if self.sector and p.sector != self.sector:
            return False
        if self.iet_only and not p.iet:
            return False
        # A flexible schedule fits any time of day the learner asks for.
        if self.schedule and not (p.schedule & self.schedule or "flexible" in p.schedule):
            return False
        if self.modality and p.modality != self.modality:
            return False
        if self.language and self.language not in p.languages:
            return False
        if self.english_support and not p.english_support:
            return False
        if self.max_cost is not None and (p.cost is None or p.cost > self.max_cost):
            return False
        return True


def _rank(index: CatalogueIndex, programs: List[ProgramFacts],
          relevance: Dict[str, Tuple[float, List[str]]], place: Optional[Place],
          max_miles: Optional[float]) -> List[_Ranked]:
    ranked: List[_Ranked] = []
    outside: List[_Ranked] = []
    for p in programs:
        text_score, matched = relevance.get(p.id, (1.0, []))
        miles = distance_miles(place.point, p.point) if place and p.point else None
        if place and max_miles is not None and p.modality != "online":
            if miles is None or miles > max_miles:
                continue
        proximity = 1.0
        if place:
            proximity = (ONLINE_PROXIMITY if p.modality == "online"
                         else UNKNOWN_PROXIMITY if miles is None
                         else 1 / (1 + miles / HALF_PROXIMITY_MILES))
        item = _Ranked(p, text_score * text_score * proximity, matched, miles, True)
        counties = index.provider_counties.get(p.provider_id, frozenset())
        if place and not (place.county in counties or m.STATEWIDE in counties):
            item.serves_area = False
            outside.append(item)
        else:
            ranked.append(item)
    # No provider serves the learner's county: the nearest ones are still worth showing.
    chosen = ranked or outside
    chosen.sort(key=lambda r: (-round(r.score, 6), r.miles if r.miles is not None else 1e9,
                               r.facts.title, r.facts.id))
    return chosen


class _Ranked:
    __slots__ = ("facts", "score", "matched", "miles", "serves_area")

    def __init__(self, facts: ProgramFacts, score: float, matched: List[str],
                 miles: Optional[float], serves_area: bool) -> None:
        self.facts, self.score, self.matched = facts, score, matched
        self.miles, self.serves_area = miles, serves_area


def _details(session: Session, page: List[_Ranked], filters: _Filters,
             place: Optional[Place], partial: Set[str] = frozenset()) -> List[ProgramResult]:
    if not page:
        return []
    ids = [r.facts.id for r in page]
    p, pr = m.Program, m.Provider
    rows = {row.id: row for row in session.execute(
        select(p.id, p.title, p.provider_id, p.sector, p.iet, p.description,
               p.duration_weeks, p.hours_per_week, p.schedule, p.modality, p.languages,
               p.english_support, p.cost_usd, p.cost_notes, p.prerequisites, p.next_start,
               p.campus_city,
               p.url, pr.name.label("provider_name"), pr.phone, pr.website, pr.city,
               p.title_es, p.description_es, p.cost_notes_es, p.prerequisites_es,
               p.last_verified)
        .join(pr, pr.id == p.provider_id)
        .where(p.id.in_(ids))
    )}
    credentials = _names(session, ids, m.program_credentials, m.program_credentials.c.credential_id,
                         m.Credential.id, m.Credential.name, m.Credential.name_es)
    occupations = _names(session, ids, m.program_occupations, m.program_occupations.c.soc,
                         m.Occupation.soc, m.Occupation.title, m.Occupation.title_es)
    today = clock.today()
    results = []
    for item in page:
        row = rows.get(item.facts.id)
        if row is None:  # removed by an import since the snapshot was read
            continue
        cost = float(row.cost_usd) if row.cost_usd is not None else None
        results.append(ProgramResult(
            id=row.id, title=row.title, provider_id=row.provider_id,
            provider_name=row.provider_name, provider_phone=row.phone,
            provider_website=row.website, sector=row.sector, iet=bool(row.iet),
            description=row.description,
            credentials=[en for en, _ in credentials.get(row.id, [])],
            occupations=[en for en, _ in occupations.get(row.id, [])],
            duration_weeks=row.duration_weeks,
            hours_per_week=row.hours_per_week, schedule=list(row.schedule or []),
            modality=row.modality, languages=list(row.languages or ["en"]),
            english_support=row.english_support, cost_usd=cost, cost_notes=row.cost_notes,
            next_start=row.next_start,
            start_passed=row.next_start is not None and row.next_start < today,
            campus_city=row.campus_city or row.city, url=row.url,
            distance_miles=round(item.miles, 1) if item.miles is not None else None,
            serves_area=item.serves_area if place else None,
            score=round(item.score, 4),
            reasons=_reasons(item, row, cost, filters, place),
            prerequisites=row.prerequisites,
            partial=row.id in partial,
            title_es=row.title_es, description_es=row.description_es,
            cost_notes_es=row.cost_notes_es, prerequisites_es=row.prerequisites_es,
            credentials_es=[es for _, es in credentials.get(row.id, [])],
            occupations_es=[es for _, es in occupations.get(row.id, [])],
            last_verified=row.last_verified,
        ))
    return results


def _names(session: Session, ids: List[str], link, link_key, target_key, target_name,
           target_name_es) -> Dict[str, List[Tuple[str, Optional[str]]]]:
    """Each program's linked names in bundle order, as (English, Spanish or None)."""
    out: Dict[str, List[Tuple[str, Optional[str]]]] = {}
    for pid, name, name_es in session.execute(
        select(link.c.program_id, target_name, target_name_es)
        .select_from(link)
        .join(target_key.class_, link_key == target_key)
        .where(link.c.program_id.in_(ids))
        .order_by(link.c.program_id, link.c.position)
    ):
        out.setdefault(pid, []).append((name, name_es))
    return out


def _reasons(item: _Ranked, row, cost: Optional[float], filters: _Filters,
             place: Optional[Place]) -> List[str]:
    reasons = [f"matches '{word}'" for word in dict.fromkeys(item.matched)]
    if place:
        if row.modality == "online":
            reasons.append("online, so you can join from anywhere")
        elif item.miles is not None:
            miles = round(item.miles)
            label = (f"ZIP {place.zip}" if place.kind == "zip" else
                     f"{place.name} County" if place.kind == "county" else place.name)
            reasons.append(f"near {label}" if miles < 1 else
                           f"{miles} mile{'s' if miles != 1 else ''} from {label}")
        if not item.serves_area:
            reasons.append(f"outside {place.county} County, the closest we know of")
    wanted_times = filters.schedule or frozenset()
    for time in row.schedule or []:
        if time in wanted_times or (wanted_times and time == "flexible"):
            reasons.append(SCHEDULE_WORDS.get(time, time))
    if filters.modality and place is None:
        reasons.append(MODALITY_WORDS.get(row.modality, row.modality))
    if cost == 0:
        reasons.append("free")
    elif filters.max_cost is not None and cost is not None:
        reasons.append(f"costs ${cost:,.0f}")
    if filters.language and filters.language != "en":
        reasons.append(f"taught in {LANGUAGE_NAMES.get(filters.language, filters.language)}")
    if filters.english_support and row.english_support:
        reasons.append("English help built in")
    if filters.iet_only and row.iet:
        reasons.append("IET: English or math and job skills together")
    return reasons


# When a learner can go to class, as typed in answer to "when can you go?", in English
# and Spanish (accents folded). Phrases are matched on whole words, longest first.
SCHEDULE_HINTS: Dict[str, Tuple[str, ...]] = {
    "flexible": ("any time", "anytime", "whenever", "any day", "flexible", "cualquier hora",
                 "cualquier dia", "cuando sea", "a la hora que sea", "no importa"),
    "weekend": ("weekend", "weekends", "saturday", "saturdays", "sunday", "sundays",
                "fin de semana", "fines de semana", "sabado", "sabados", "domingo", "domingos"),
    "evening": ("evening", "evenings", "night", "nights", "after work", "noche", "noches",
                "despues del trabajo"),
    "day": ("day", "days", "daytime", "morning", "mornings", "afternoon", "afternoons",
            "dia", "dias", "manana", "mananas", "en el dia"),
}


def guess_schedule(text: Optional[str]) -> Optional[str]:
    """The schedule code ("day", "evening", "weekend", "flexible") a typed answer names,
    or None; the first kind named wins ("nights or weekends" is evening)."""
    plain = f" {' '.join(words(text))} "
    found = [(plain.find(f" {hint} "), schedule)
             for schedule, hints in SCHEDULE_HINTS.items() for hint in hints
             if f" {hint} " in plain]
    return min(found)[1] if found else None

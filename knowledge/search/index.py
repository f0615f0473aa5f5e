"""The in-memory side of search: what ranking needs, loaded once per catalogue version.

Filters and ranking run over these small records; full details of the few results
shown are then read from the database. The snapshot is rebuilt when the catalogue
changes: the version is the latest import id plus row counts, read on every search
(one cheap query), so an import is seen by the next search in every process.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.search.dictionary import common_words
from knowledge.search.terms import CATEGORY_WORDS, SECTOR_WORDS
from knowledge.search.text import NameIndex, WordIndex

# Field weights for program text: what the program is called counts more than a
# word somewhere in its description.
TITLE, KEYWORD, RELATED, DESCRIPTION = 3.0, 3.0, 2.0, 1.0
MAX_FIELD_WEIGHT = 3.0


@dataclass(frozen=True)
class ProgramFacts:
    id: str
    title: str
    provider_id: str
    sector: str
    iet: bool
    modality: str
    schedule: FrozenSet[str]
    languages: FrozenSet[str]
    english_support: Optional[bool]
    cost: Optional[float]
    next_start: Optional[dt.date]
    point: Optional[Tuple[float, float]]
    socs: FrozenSet[str]
    credentials: FrozenSet[str]


@dataclass(frozen=True)
class ServiceFacts:
    id: str
    name: str
    category: str
    counties: FrozenSet[str]


@dataclass(frozen=True)
class StepFacts:
    step: int
    soc: str
    credential_id: Optional[str]
    program_ids: Tuple[str, ...]


@dataclass
class CatalogueIndex:
    version: Tuple
    programs: Dict[str, ProgramFacts] = field(default_factory=dict)
    program_words: WordIndex = field(default_factory=WordIndex)
    provider_counties: Dict[str, FrozenSet[str]] = field(default_factory=dict)
    provider_points: Dict[str, Tuple[float, float]] = field(default_factory=dict)
    provider_names: NameIndex = field(default_factory=NameIndex)
    services: Dict[str, ServiceFacts] = field(default_factory=dict)
    service_words: WordIndex = field(default_factory=WordIndex)
    occupation_names: NameIndex = field(default_factory=NameIndex)
    occupation_titles: Dict[str, str] = field(default_factory=dict)
    credential_names: NameIndex = field(default_factory=NameIndex)
    credential_programs: Dict[str, List[str]] = field(default_factory=dict)
    pathway_steps: Dict[str, Tuple[StepFacts, ...]] = field(default_factory=dict)
    pathway_words: WordIndex = field(default_factory=WordIndex)


_lock = threading.Lock()
_cache: Dict[str, CatalogueIndex] = {}


def catalogue_index(session: Session) -> CatalogueIndex:
    """The snapshot for the session's database, rebuilt if the catalogue changed."""
    key = str(session.get_bind().url)
    version = catalogue_version(session)
    index = _cache.get(key)
    if index is not None and index.version == version:
        return index
    # One builder at a time: twenty concurrent first searches build it once, not twenty times.
    with _lock:
        index = _cache.get(key)
        if index is None or index.version != version:
            index = _build(session, version)
            _cache[key] = index
            # The snapshot is a million small long-lived objects; moving them out of the
            # cyclic collector's reach stops 50 ms GC pauses landing on searches.
            # (They have no reference cycles, so refcounting still frees an old snapshot.)
            gc.freeze()
    return index


def invalidate_cache() -> None:
    """Forget every snapshot (for edits that keep row counts, made outside an import)."""
    with _lock:
        _cache.clear()


def catalogue_version(session: Session) -> Tuple:
    counted = (m.Program, m.Service, m.Provider, m.Credential, m.Occupation, m.PathwayStep)
    row = session.execute(select(
        select(func.max(m.CatalogueImport.id)).scalar_subquery(),
        *(select(func.count()).select_from(t).scalar_subquery() for t in counted),
    )).one()
    return tuple(row)


def _build(session: Session, version: Tuple) -> CatalogueIndex:
    common_words()  # read once here, in the catalogue's thread, not in a learner's search
    index = CatalogueIndex(version)
    _load_providers(session, index)
    occupation_text = _load_occupations(session, index)
    credential_text = _load_credentials(session, index)
    _load_programs(session, index, occupation_text, credential_text)
    _load_services(session, index)
    _load_pathways(session, index, occupation_text, credential_text)
    for words in (index.program_words, index.service_words, index.pathway_words):
        words.freeze()
    for names in (index.provider_names, index.occupation_names, index.credential_names):
        names.freeze()
    return index


def _load_providers(session: Session, index: CatalogueIndex) -> None:
    p = m.Provider
    rows = session.execute(select(p.id, p.name, p.aliases, p.counties, p.latitude, p.longitude))
    for pid, name, aliases, counties, lat, lon in rows:
        index.provider_counties[pid] = frozenset(counties or ())
        if lat is not None and lon is not None:
            index.provider_points[pid] = (lat, lon)
        index.provider_names.add(pid, [name, pid.replace("-", " "), *(aliases or ()),
                                       _acronym(name), _short_college(name)])


def _acronym(name: str) -> Optional[str]:
    letters = [w[0] for w in name.split() if w[:1].isalpha() and w.lower() not in ("of", "and")]
    return "".join(letters) if len(letters) >= 2 else None


def _short_college(name: str) -> Optional[str]:
    lowered = name.lower()
    return lowered.replace("community college", "cc") if "community college" in lowered else None


def _load_occupations(session: Session, index: CatalogueIndex) -> Dict[str, List[str]]:
    o = m.Occupation
    text: Dict[str, List[str]] = {}
    for soc, title, keywords in session.execute(select(o.soc, o.title, o.keywords)):
        index.occupation_titles[soc] = title
        index.occupation_names.add(soc, [title, soc, *(keywords or ())])
        text[soc] = [title, *(keywords or ())]
    return text


def _load_credentials(session: Session, index: CatalogueIndex) -> Dict[str, List[str]]:
    c = m.Credential
    text: Dict[str, List[str]] = {}
    for cid, name, keywords in session.execute(select(c.id, c.name, c.keywords)):
        index.credential_names.add(cid, [name, cid.replace("-", " "), *(keywords or ())])
        text[cid] = [name, *(keywords or ())]
    return text


def _load_programs(session: Session, index: CatalogueIndex,
                   occupation_text: Dict[str, List[str]],
                   credential_text: Dict[str, List[str]]) -> None:
    socs: Dict[str, List[str]] = {}
    for pid, soc in session.execute(select(m.program_occupations.c.program_id,
                                           m.program_occupations.c.soc)):
        socs.setdefault(pid, []).append(soc)
    creds: Dict[str, List[str]] = {}
    for pid, cid in session.execute(
        select(m.program_credentials.c.program_id, m.program_credentials.c.credential_id)
        .order_by(m.program_credentials.c.program_id, m.program_credentials.c.position)
    ):
        creds.setdefault(pid, []).append(cid)
        index.credential_programs.setdefault(cid, []).append(pid)
    p = m.Program
    words = index.program_words
    rows = session.execute(select(
        p.id, p.title, p.provider_id, p.sector, p.iet, p.modality, p.schedule, p.languages,
        p.english_support, p.cost_usd, p.next_start, p.latitude, p.longitude, p.keywords,
        p.description,
    ))
    for (pid, title, provider_id, sector, iet, modality, schedule, languages, english,
         cost, next_start, lat, lon, keywords, description) in rows:
        point = (lat, lon) if lat is not None and lon is not None else None
        index.programs[pid] = ProgramFacts(
            pid, title, provider_id, sector, bool(iet), modality or "in_person",
            frozenset(schedule or ()), frozenset(languages or ("en",)), english,
            float(cost) if cost is not None else None, next_start,
            point or index.provider_points.get(provider_id),
            frozenset(socs.get(pid, ())), frozenset(creds.get(pid, ())),
        )
        words.add(pid, title, TITLE)
        words.add_all(pid, keywords or (), KEYWORD)
        words.add_all(pid, SECTOR_WORDS.get(sector, ()), RELATED)
        for soc in socs.get(pid, ()):
            words.add_all(pid, occupation_text.get(soc, ()), RELATED)
        for cid in creds.get(pid, ()):
            words.add_all(pid, credential_text.get(cid, ()), RELATED)
        words.add(pid, description, DESCRIPTION)


def _load_services(session: Session, index: CatalogueIndex) -> None:
    s = m.Service
    words = index.service_words
    rows = session.execute(select(s.id, s.name, s.category, s.counties, s.keywords,
                                  s.organization, s.description))
    for sid, name, category, counties, keywords, organization, description in rows:
        index.services[sid] = ServiceFacts(sid, name, category, frozenset(counties or ()))
        words.add(sid, name, TITLE)
        words.add_all(sid, keywords or (), KEYWORD)
        words.add_all(sid, CATEGORY_WORDS.get(category, ()), RELATED)
        words.add(sid, organization, DESCRIPTION)
        words.add(sid, description, DESCRIPTION)


def _load_pathways(session: Session, index: CatalogueIndex,
                   occupation_text: Dict[str, List[str]],
                   credential_text: Dict[str, List[str]]) -> None:
    step_programs: Dict[int, List[str]] = {}
    for step_id, pid in session.execute(
        select(m.step_programs.c.step_id, m.step_programs.c.program_id)
        .order_by(m.step_programs.c.step_id, m.step_programs.c.position)
    ):
        step_programs.setdefault(step_id, []).append(pid)
    s = m.PathwayStep
    steps: Dict[str, List[StepFacts]] = {}
    for step_id, pathway_id, step, soc, cid in session.execute(
        select(s.id, s.pathway_id, s.step, s.occupation_soc, s.credential_id)
        .order_by(s.pathway_id, s.step)
    ):
        steps.setdefault(pathway_id, []).append(
            StepFacts(step, soc, cid, tuple(step_programs.get(step_id, ())))
        )
        index.pathway_words.add_all(pathway_id, occupation_text.get(soc, ()), RELATED)
        index.pathway_words.add_all(pathway_id, credential_text.get(cid or "", ()), RELATED)
    for pathway_id, title in session.execute(select(m.Pathway.id, m.Pathway.title)):
        index.pathway_steps[pathway_id] = tuple(steps.get(pathway_id, ()))
        index.pathway_words.add(pathway_id, title, TITLE)

"""Career ladders, wages and credentials: "what comes after CNA?", "what do welders make?"."""

from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import models as m
from knowledge.search.index import MAX_FIELD_WEIGHT, CatalogueIndex, catalogue_index
from knowledge.search.programs import occupation_socs
from knowledge.search.results import (
    CredentialDetails,
    CredentialRef,
    OccupationWage,
    PathwayResult,
    PathwayStepResult,
    ProgramRef,
)
from knowledge.search.text import content_words

PROGRAMS_SHOWN = 10


def pathway_for(
    session: Session,
    *,
    occupation: Optional[str] = None,
    credential_id: Optional[str] = None,
    program_id: Optional[str] = None,
    text: Optional[str] = None,
    limit: int = 3,
) -> List[PathwayResult]:
    """Ladders that include the occupation, credential or program (or match the text),
    every step in order with its Oregon median wage; the asked-about step is `matched`."""
    index = catalogue_index(session)
    socs: Set[str] = occupation_socs(index, occupation) if occupation else set()
    credentials: Set[str] = set()
    if credential_id:
        credentials = {credential_id} if credential_id in index.credential_programs or any(
            s.credential_id == credential_id for st in index.pathway_steps.values() for s in st
        ) else {cid for cid, _ in index.credential_names.find(credential_id)[:1]}
    programs: Set[str] = {program_id} if program_id else set()
    if program_id and program_id in index.programs:
        facts = index.programs[program_id]
        socs |= set(facts.socs)
        credentials |= set(facts.credentials)
    scored: Dict[str, Tuple[float, Set[int], List[str]]] = {}
    for pathway_id, steps in index.pathway_steps.items():
        matched = {s.step for s in steps if s.soc in socs or s.credential_id in credentials
                   or programs.intersection(s.program_ids)}
        if matched:
            scored[pathway_id] = (1.0, matched, [])
    wanted = content_words(text)
    if wanted:
        for pathway_id, hit in index.pathway_words.match(wanted).items():
            score = min(1.0, hit.score / (MAX_FIELD_WEIGHT * len(wanted)))
            old = scored.get(pathway_id)
            if old is None or score > old[0]:
                steps_hit = old[1] if old else _steps_named(index, pathway_id, wanted)
                scored[pathway_id] = (score, steps_hit, hit.matched)
    if not (socs or credentials or programs or wanted):
        return []
    best = sorted(scored.items(), key=lambda kv: (-kv[1][0], min(kv[1][1] or {99}), kv[0]))
    return [_pathway(session, pid, *data) for pid, data in best[:limit]]


def _steps_named(index: CatalogueIndex, pathway_id: str, wanted: List[str]) -> Set[int]:
    socs = occupation_socs(index, " ".join(wanted))
    creds = {cid for cid, _ in index.credential_names.find(" ".join(wanted))}
    return {s.step for s in index.pathway_steps[pathway_id]
            if s.soc in socs or s.credential_id in creds}


def _pathway(session: Session, pathway_id: str, score: float, matched: Set[int],
             words: List[str]) -> PathwayResult:
    pathway = session.get(m.Pathway, pathway_id)
    s, o, c = m.PathwayStep, m.Occupation, m.Credential
    rows = session.execute(
        select(s.id, s.step, s.occupation_soc, o.title, o.median_hourly_wage,
               o.median_annual_wage, o.wage_area, s.credential_id, c.name, s.typical_months,
               o.title_es, c.name_es)
        .join(o, o.soc == s.occupation_soc)
        .outerjoin(c, c.id == s.credential_id)
        .where(s.pathway_id == pathway_id)
        .order_by(s.step)
    ).all()
    programs = _step_programs(session, [r.id for r in rows])
    steps = [PathwayStepResult(
        step=r.step, soc=r.occupation_soc, occupation=r.title,
        median_hourly_wage=_money(r.median_hourly_wage),
        median_annual_wage=_money(r.median_annual_wage), wage_area=r.wage_area,
        credential_id=r.credential_id, credential=r.name, typical_months=r.typical_months,
        programs=programs.get(r.id, []), matched=r.step in matched,
        occupation_es=r.title_es, credential_es=r.name_es,
    ) for r in rows]
    reasons = [f"matches '{w}'" for w in dict.fromkeys(words)]
    reasons += [f"step {st.step}: {st.occupation}" for st in steps if st.matched]
    return PathwayResult(pathway.id, pathway.title, pathway.sector, pathway.description,
                         steps, round(score, 4), reasons, title_es=pathway.title_es,
                         description_es=pathway.description_es)


def _step_programs(session: Session, step_ids: List[int]) -> Dict[int, List[ProgramRef]]:
    sp, p, pr = m.step_programs, m.Program, m.Provider
    out: Dict[int, List[ProgramRef]] = {}
    for step_id, pid, title, provider, title_es in session.execute(
        select(sp.c.step_id, p.id, p.title, pr.name, p.title_es)
        .select_from(sp).join(p, p.id == sp.c.program_id).join(pr, pr.id == p.provider_id)
        .where(sp.c.step_id.in_(step_ids))
        .order_by(sp.c.step_id, sp.c.position)
    ):
        out.setdefault(step_id, []).append(ProgramRef(pid, title, provider, title_es))
    return out


def _money(value) -> Optional[float]:
    return float(value) if value is not None else None


def occupation_wages(session: Session, text: str, *, limit: int = 3) -> List[OccupationWage]:
    """Occupations matching a title, keyword or SOC code (typos too), with Oregon medians."""
    index = catalogue_index(session)
    socs = occupation_socs(index, text)
    if not socs:
        return []
    scores = dict(index.occupation_names.find(text, minimum=0.5))
    o = m.Occupation
    rows = session.execute(select(o).where(o.soc.in_(socs))).scalars().all()
    rows.sort(key=lambda r: (-scores.get(r.soc, 1.0), r.title))
    return [OccupationWage(
        soc=r.soc, title=r.title, median_hourly_wage=_money(r.median_hourly_wage),
        median_annual_wage=_money(r.median_annual_wage), wage_area=r.wage_area,
        wage_source=r.wage_source, outlook=r.outlook, score=round(scores.get(r.soc, 1.0), 4),
        reasons=[f"matches '{text.strip()}'"], title_es=r.title_es, description=r.description,
        description_es=r.description_es,
    ) for r in rows[:limit]]


def credential_details(session: Session, id_or_name: str) -> Optional[CredentialDetails]:
    """A credential by id or name (typos and keywords such as "cna" too), with what it
    stacks into and the programs that award it."""
    if not id_or_name or not id_or_name.strip():
        return None
    index = catalogue_index(session)
    credential = session.get(m.Credential, id_or_name.strip().lower())
    score = 1.0
    if credential is None:
        found = index.credential_names.find(id_or_name, minimum=0.6)
        if not found:
            return None
        credential, score = session.get(m.Credential, found[0][0]), found[0][1]
    program_ids = index.credential_programs.get(credential.id, [])
    p, pr = m.Program, m.Provider
    programs = [ProgramRef(*row) for row in session.execute(
        select(p.id, p.title, pr.name, p.title_es).join(pr, pr.id == p.provider_id)
        .where(p.id.in_(program_ids[:PROGRAMS_SHOWN])).order_by(p.title, p.id)
    )] if program_ids else []
    return CredentialDetails(
        id=credential.id, name=credential.name, kind=credential.kind,
        description=credential.description, issuer=credential.issuer, exam=credential.exam,
        stacks_to=[CredentialRef(c.id, c.name, c.name_es) for c in credential.stacks_to],
        programs=programs, program_count=len(program_ids), score=round(score, 4),
        reasons=[] if score == 1.0 else [f"closest match to '{id_or_name.strip()}'"],
        name_es=credential.name_es, description_es=credential.description_es,
    )

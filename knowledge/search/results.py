"""What searches return: plain frozen records, detached from any session.

Fields ending `_es` hold the Spanish text of the field they are named after (bundle
format v1.1); None means the catalogue has none, so show the English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import List, Optional


@dataclass(frozen=True)
class ProgramResult:
    id: str
    title: str
    provider_id: str
    provider_name: str
    provider_phone: Optional[str]
    provider_website: Optional[str]
    sector: str
    iet: bool
    description: str
    credentials: List[str]
    occupations: List[str]
    duration_weeks: Optional[int]
    hours_per_week: Optional[int]
    schedule: List[str]
    modality: str
    languages: List[str]
    english_support: Optional[bool]
    cost_usd: Optional[float]
    cost_notes: Optional[str]
    next_start: Optional[dt.date]
    start_passed: bool  # the bot says "ask the provider for the next start" instead
    campus_city: Optional[str]
    url: Optional[str]
    distance_miles: Optional[float]
    serves_area: Optional[bool]  # None without a place; False = nearest outside its area
    score: float
    reasons: List[str] = field(default_factory=list)
    prerequisites: Optional[str] = None
    partial: bool = False  # matched some of a short query's words, not all: a near miss
    title_es: Optional[str] = None
    description_es: Optional[str] = None
    cost_notes_es: Optional[str] = None
    prerequisites_es: Optional[str] = None
    # Item by item beside `credentials` and `occupations`: each name's Spanish, or None.
    credentials_es: List[Optional[str]] = field(default_factory=list)
    occupations_es: List[Optional[str]] = field(default_factory=list)
    # When someone last checked the facts with the provider (knowledge/freshness.py).
    last_verified: Optional[dt.date] = None


@dataclass(frozen=True)
class ServiceResult:
    id: str
    name: str
    category: str
    organization: str
    counties: List[str]
    statewide: bool
    description: str
    how_to_apply: str
    eligibility: Optional[str]
    cost: Optional[str]
    phone: Optional[str]
    text_number: Optional[str]
    url: Optional[str]
    languages: List[str]
    score: float
    reasons: List[str] = field(default_factory=list)
    name_es: Optional[str] = None
    description_es: Optional[str] = None
    how_to_apply_es: Optional[str] = None
    eligibility_es: Optional[str] = None
    cost_es: Optional[str] = None


@dataclass(frozen=True)
class ProgramRef:
    id: str
    title: str
    provider_name: str
    title_es: Optional[str] = None


@dataclass(frozen=True)
class CredentialRef:
    id: str
    name: str
    name_es: Optional[str] = None


@dataclass(frozen=True)
class PathwayStepResult:
    step: int
    soc: str
    occupation: str
    median_hourly_wage: Optional[float]
    median_annual_wage: Optional[float]
    wage_area: Optional[str]
    credential_id: Optional[str]
    credential: Optional[str]
    typical_months: Optional[int]
    programs: List[ProgramRef]
    matched: bool  # the step the question was about
    occupation_es: Optional[str] = None
    credential_es: Optional[str] = None


@dataclass(frozen=True)
class PathwayResult:
    id: str
    title: str
    sector: str
    description: Optional[str]
    steps: List[PathwayStepResult]
    score: float
    reasons: List[str] = field(default_factory=list)
    title_es: Optional[str] = None
    description_es: Optional[str] = None


@dataclass(frozen=True)
class CredentialDetails:
    id: str
    name: str
    kind: str
    description: str
    issuer: Optional[str]
    exam: Optional[str]
    stacks_to: List[CredentialRef]  # the next credentials it counts toward
    programs: List[ProgramRef]  # programs that award it, at most PROGRAMS_SHOWN
    program_count: int
    score: float
    reasons: List[str] = field(default_factory=list)
    name_es: Optional[str] = None
    description_es: Optional[str] = None


@dataclass(frozen=True)
class ProviderResult:
    id: str
    name: str
    kind: str
    city: str
    zip: str
    counties: List[str]
    phone: Optional[str]
    email: Optional[str]
    website: Optional[str]
    team: str
    aliases: List[str]
    program_count: int
    score: float
    reasons: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class OccupationWage:
    soc: str
    title: str
    median_hourly_wage: Optional[float]
    median_annual_wage: Optional[float]
    wage_area: Optional[str]
    wage_source: Optional[str]
    outlook: str
    score: float
    reasons: List[str] = field(default_factory=list)
    title_es: Optional[str] = None
    description: Optional[str] = None
    description_es: Optional[str] = None

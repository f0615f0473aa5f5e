"""Catalogue search: the one way actions read programs, services, ladders and providers.

Sync functions over a SQLAlchemy session returning frozen records; `knowledge.catalogue`
runs them off the event loop.
"""

from knowledge.search.index import catalogue_index, invalidate_cache
from knowledge.search.ladders import credential_details, occupation_wages, pathway_for
from knowledge.search.programs import (
    guess_schedule,
    guess_sector,
    normalize_sector,
    program_by_id,
    search_programs,
)
from knowledge.search.providers import find_provider, navigator_team
from knowledge.search.results import (
    CredentialDetails,
    CredentialRef,
    OccupationWage,
    PathwayResult,
    PathwayStepResult,
    ProgramRef,
    ProgramResult,
    ProviderResult,
    ServiceResult,
)
from knowledge.search.services import (
    categories_in,
    category_of,
    jobs_and_needs,
    normalize_category,
    search_services,
)

__all__ = [
    "CredentialDetails",
    "CredentialRef",
    "OccupationWage",
    "PathwayResult",
    "PathwayStepResult",
    "ProgramRef",
    "ProgramResult",
    "ProviderResult",
    "ServiceResult",
    "catalogue_index",
    "categories_in",
    "category_of",
    "credential_details",
    "find_provider",
    "guess_schedule",
    "guess_sector",
    "invalidate_cache",
    "jobs_and_needs",
    "navigator_team",
    "normalize_category",
    "normalize_sector",
    "occupation_wages",
    "pathway_for",
    "program_by_id",
    "search_programs",
    "search_services",
]

"""The bundle format v1.1 as data: files, columns, types (the public contract)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from knowledge import models as m


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id, text, enum, bool, date, int, number, zip, county, soc, lang, ref
    required: bool = False
    is_list: bool = False
    choices: Tuple[str, ...] = ()
    ref: Optional[str] = None  # the file whose ids (or SOC codes) a `ref`/`soc` cell names
    statewide_ok: bool = False  # "*" allowed alone in a county list


def col(name: str, kind: str = "text", **kw) -> Column:
    return Column(name, kind, **kw)


# v1.1: optional Spanish text. `<column>_es` holds the Spanish text of `<column>`; an empty
# cell (or no such column, as in a v1 bundle) means "no Spanish text, show the English".
SPANISH: Dict[str, Tuple[str, ...]] = {
    "programs.csv": ("title", "description", "cost_notes", "prerequisites"),
    "services.csv": ("name", "description", "how_to_apply", "eligibility", "cost"),
    "credentials.csv": ("name", "description"),
    "occupations.csv": ("title", "description"),
    "pathways.csv": ("title", "description"),
}


def spanish_columns(file: str) -> Tuple[Column, ...]:
    """The optional `_es` columns of a file, after its v1 columns (so v1 positions hold)."""
    return tuple(col(f"{name}_es") for name in SPANISH.get(file, ()))


# The seven files of v1, each with its columns in export order.
V1_FILES: Dict[str, Tuple[Column, ...]] = {
    "providers.csv": (
        col("id", "id", required=True),
        col("name", required=True),
        col("kind", "enum", required=True, choices=m.PROVIDER_KINDS),
        col("city", required=True),
        col("zip", "zip", required=True),
        col("counties", "county", required=True, is_list=True, statewide_ok=True),
        col("phone"),
        col("email"),
        col("website"),
        col("navigator_team"),
        col("aliases", is_list=True),
    ),
    "programs.csv": (
        col("id", "id", required=True),
        col("provider_id", "ref", required=True, ref="providers.csv"),
        col("title", required=True),
        col("sector", "enum", required=True, choices=m.SECTORS),
        col("iet", "bool", required=True),
        col("description", required=True),
        col("occupations", "soc", is_list=True, ref="occupations.csv"),
        col("credentials", "ref", is_list=True, ref="credentials.csv"),
        col("duration_weeks", "int"),
        col("hours_per_week", "int"),
        col("schedule", "enum", is_list=True, choices=m.SCHEDULES),
        col("modality", "enum", choices=m.MODALITIES),
        col("languages", "lang", is_list=True),
        col("english_support", "bool"),
        col("cost_usd", "number"),
        col("cost_notes"),
        col("prerequisites"),
        col("next_start", "date"),
        col("campus_city"),
        col("campus_zip", "zip"),
        col("url"),
        col("keywords", is_list=True),
        col("last_verified", "date"),
        col("source"),
    ),
    "credentials.csv": (
        col("id", "id", required=True),
        col("name", required=True),
        col("kind", "enum", required=True, choices=m.CREDENTIAL_KINDS),
        col("description", required=True),
        col("issuer"),
        col("exam"),
        col("stacks_to", "ref", is_list=True, ref="credentials.csv"),
        col("keywords", is_list=True),
    ),
    "occupations.csv": (
        col("soc", "soc", required=True),
        col("title", required=True),
        col("median_hourly_wage", "number"),
        col("median_annual_wage", "number"),
        col("wage_area"),
        col("wage_source"),
        col("outlook", "enum", choices=m.OUTLOOKS),
        col("description"),
        col("keywords", is_list=True),
    ),
    "pathways.csv": (
        col("id", "id", required=True),
        col("title", required=True),
        col("sector", "enum", required=True, choices=m.SECTORS),
        col("description"),
    ),
    "pathway_steps.csv": (
        col("pathway_id", "ref", required=True, ref="pathways.csv"),
        col("step", "int", required=True),
        col("occupation", "soc", required=True, ref="occupations.csv"),
        col("credential_id", "ref", ref="credentials.csv"),
        col("program_ids", "ref", is_list=True, ref="programs.csv"),
        col("typical_months", "int"),
    ),
    "services.csv": (
        col("id", "id", required=True),
        col("name", required=True),
        col("category", "enum", required=True, choices=m.SERVICE_CATEGORIES),
        col("organization", required=True),
        col("counties", "county", required=True, is_list=True, statewide_ok=True),
        col("description", required=True),
        col("how_to_apply", required=True),
        col("eligibility"),
        col("cost"),
        col("phone"),
        col("text_number"),
        col("url"),
        col("languages", "lang", is_list=True),
        col("keywords", is_list=True),
        col("last_verified", "date"),
        col("source"),
    ),
}

# Every file's columns: v1's, then the optional Spanish ones of v1.1.
FILES: Dict[str, Tuple[Column, ...]] = {
    name: columns + spanish_columns(name) for name, columns in V1_FILES.items()
}

# The key column of each file that other files refer to.
KEYS = {name: cols[0].name for name, cols in FILES.items() if name != "pathway_steps.csv"}


# ISO 639-1 codes: the two-letter set, so "sp" for Spanish is caught and corrected.
ISO_639_1 = frozenset(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu "
    "cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi "
    "ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks "
    "ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl "
    "nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl "
    "sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve "
    "vi vo wa wo xh yi yo za zh zu".split()
)

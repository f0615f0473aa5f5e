"""A small, valid, entirely fictional knowledge bundle for tests, written from Python.

`bundle_rows()` gives the seven files as lists of row dicts (cells are the strings a
navigator would type); tests edit a copy and `write_bundle()` saves it, either as a
plain CSV writer would or "spreadsheet style": UTF-8 with a byte-order mark, CRLF line
ends, spaces around every value, columns in another order and empty rows at the end.

Every name, address and wage is made up; phone numbers are 555-01xx numbers.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Engine

from knowledge import models as m
from knowledge.db import make_engine
from knowledge.schema import upgrade

Rows = List[Dict[str, str]]

FILES = ("providers", "programs", "credentials", "occupations", "pathways",
         "pathway_steps", "services")

_VALID: Dict[str, Rows] = {
    "providers": [
        dict(id="riverbend-cc", name="Riverbend Community College", kind="community_college",
             city="Salem", zip="97301", counties="Marion; Polk", phone="503-555-0101",
             email="info@riverbend.example", website="https://riverbend.example",
             navigator_team="", aliases="Riverbend CC; RCC"),
        dict(id="cedar-works", name="Cedar Works Learning Center",
             kind="community_organization", city="Bend", zip="97701",
             counties="Deschutes; Crook; Jefferson", phone="541-555-0102", email="",
             website="", navigator_team="central-oregon", aliases="Cedar Works"),
        dict(id="open-door", name="Open Door Online Skills", kind="other", city="Portland",
             zip="97201", counties="*", phone="800-555-0103", email="hello@opendoor.example",
             website="", navigator_team="statewide", aliases=""),
        dict(id="valley-library", name="Valley Reading Library", kind="library",
             city="Hood River", zip="97031", counties="Hood River", phone="541-555-0104",
             email="", website="", navigator_team="", aliases=""),
    ],
    "programs": [
        dict(id="riverbend-cna", provider_id="riverbend-cc",
             title="Nursing Assistant with English Support", sector="healthcare", iet="yes",
             description="Train to be a nursing assistant while you build your English.",
             occupations="31-1131", credentials="cna-license", duration_weeks="10",
             hours_per_week="12", schedule="day; evening", modality="hybrid",
             languages="en; es", english_support="true", cost_usd="0",
             cost_notes="WIOA can pay", prerequisites="", next_start="2031-01-13",
             campus_city="Woodburn", campus_zip="97071", url="https://riverbend.example/cna",
             keywords="cna; caregiver", last_verified="2030-11-01", source="fictional"),
        dict(id="riverbend-phlebotomy", provider_id="riverbend-cc",
             title="Phlebotomy Technician", sector="healthcare", iet="no",
             description="Learn to draw blood safely.", occupations="31-9097",
             credentials="phlebotomy-cert", duration_weeks="8", hours_per_week="16",
             schedule="weekend", modality="", languages="", english_support="",
             cost_usd="1250.50", cost_notes="", prerequisites="High school diploma or GED",
             next_start="2030-09-08", campus_city="", campus_zip="", url="",
             keywords="blood draw", last_verified="", source="fictional"),
        dict(id="cedar-welding", provider_id="cedar-works", title="Welding Basics",
             sector="manufacturing", iet="1",
             description="Hands-on welding with reading and math support.",
             occupations="51-4121", credentials="welding-cert", duration_weeks="16",
             hours_per_week="10", schedule="evening", modality="in_person", languages="en",
             english_support="0", cost_usd="900", cost_notes="SNAP 50/50 can pay",
             prerequisites="", next_start="", campus_city="", campus_zip="", url="",
             keywords="welder; welding; fabrication", last_verified="2030-10-15",
             source="fictional"),
        dict(id="open-door-lpn-prep", provider_id="open-door", title="LPN Prep Online",
             sector="healthcare", iet="false", description="Get ready for a practical "
             "nursing program, online at your own pace.", occupations="29-2061",
             credentials="", duration_weeks="", hours_per_week="", schedule="flexible",
             modality="online", languages="en", english_support="", cost_usd="0",
             cost_notes="", prerequisites="", next_start="", campus_city="", campus_zip="",
             url="", keywords="lpn", last_verified="", source="fictional"),
    ],
    "credentials": [
        dict(id="cna-license", name="Nursing Assistant License", kind="license",
             description="State license to work as a nursing assistant.",
             issuer="Sample Board of Nursing", exam="Skills test",
             stacks_to="lpn-license", keywords="cna"),
        dict(id="lpn-license", name="Practical Nurse License", kind="license",
             description="License to work as a practical nurse.",
             issuer="Sample Board of Nursing", exam="", stacks_to="rn-license",
             keywords="lpn"),
        dict(id="rn-license", name="Registered Nurse License", kind="license",
             description="License to work as a registered nurse.", issuer="", exam="",
             stacks_to="", keywords="rn; nurse"),
        dict(id="phlebotomy-cert", name="Phlebotomy Certificate",
             kind="industry_certification", description="Shows you can draw blood safely.",
             issuer="Sample Phlebotomy Council", exam="", stacks_to="", keywords=""),
        dict(id="welding-cert", name="Welding Skills Certificate",
             kind="career_pathway_certificate", description="Entry-level welding skills.",
             issuer="", exam="", stacks_to="", keywords="welding cert"),
    ],
    "occupations": [
        dict(soc="31-9097.00", title="Phlebotomists", median_hourly_wage="21.50",
             median_annual_wage="44720", wage_area="Oregon", wage_source="fictional",
             outlook="bright", description="Draw blood for tests.", keywords="blood draw"),
        dict(soc="31-1131", title="Nursing Assistants", median_hourly_wage="19.25",
             median_annual_wage="40040", wage_area="Oregon", wage_source="fictional",
             outlook="average", description="", keywords="cna; caregiver"),
        dict(soc="29-2061", title="Licensed Practical and Licensed Vocational Nurses",
             median_hourly_wage="32.10", median_annual_wage="66770", wage_area="Oregon",
             wage_source="fictional", outlook="", description="", keywords="lpn"),
        dict(soc="29-1141", title="Registered Nurses", median_hourly_wage="52",
             median_annual_wage="108160", wage_area="Oregon", wage_source="fictional",
             outlook="bright", description="", keywords="rn"),
        dict(soc="51-4121", title="Welders, Cutters, Solderers, and Brazers",
             median_hourly_wage="24.75", median_annual_wage="51480", wage_area="Oregon",
             wage_source="fictional", outlook="average", description="", keywords="welder"),
    ],
    "pathways": [
        dict(id="nursing", title="Nursing ladder", sector="healthcare",
             description="From nursing assistant to registered nurse."),
        dict(id="welding", title="Welding ladder", sector="manufacturing", description=""),
    ],
    # Not in ladder order on purpose: spreadsheets are kept in any order.
    "pathway_steps": [
        dict(pathway_id="welding", step="1", occupation="51-4121", credential_id="welding-cert",
             program_ids="cedar-welding", typical_months="4"),
        dict(pathway_id="nursing", step="2", occupation="29-2061", credential_id="lpn-license",
             program_ids="open-door-lpn-prep", typical_months="12"),
        dict(pathway_id="nursing", step="1", occupation="31-1131", credential_id="cna-license",
             program_ids="riverbend-cna", typical_months="3"),
        dict(pathway_id="nursing", step="3", occupation="29-1141", credential_id="rn-license",
             program_ids="", typical_months="24"),
    ],
    "services": [
        dict(id="ride-help", name="Valley Ride Help", category="transportation",
             organization="Valley Transit Helpers", counties="Marion; Polk",
             description="Free bus passes for people going to class.",
             how_to_apply="Call 503-555-0111 and say which class you take.",
             eligibility="Enrolled in a training program", cost="Free",
             phone="503-555-0111", text_number="", url="", languages="en; es",
             keywords="bus; ride", last_verified="2030-11-01", source="fictional"),
        dict(id="little-steps", name="Little Steps Child Care Help", category="childcare",
             organization="Little Steps", counties="Deschutes",
             description="Help paying for child care while you study.",
             how_to_apply="Text 541-555-0113.", eligibility="", cost="Sliding scale",
             phone="541-555-0112", text_number="541-555-0113", url="", languages="",
             keywords="daycare", last_verified="", source="fictional"),
        dict(id="help-line", name="Statewide Help Line", category="basic_needs",
             organization="Help Line Network", counties="*",
             description="Finds food, housing and other help near you.",
             how_to_apply="Call 800-555-0114 any day.", eligibility="", cost="",
             phone="800-555-0114", text_number="", url="", languages="en; es; vi",
             keywords="rent; food", last_verified="", source="fictional"),
    ],
}

# What the valid bundle holds, as `Bundle.counts()` and the CLI report it.
COUNTS = {name: len(rows) for name, rows in _VALID.items()}


def bundle_rows() -> Dict[str, Rows]:
    """A fresh copy of the valid bundle's rows, file name (without .csv) -> rows."""
    return copy.deepcopy(_VALID)


def header_of(rows: Sequence[Mapping[str, str]]) -> List[str]:
    """Every column any row uses, in first-seen order."""
    header: List[str] = []
    for row in rows:
        header.extend(c for c in row if c not in header)
    return header


def write_file(folder: Path, name: str, rows: Sequence[Mapping[str, str]],
               header: Optional[Sequence[str]] = None, *, spreadsheet: bool = False) -> Path:
    """Writes `name`.csv; cells a row lacks are left empty, columns not in `header` dropped."""
    header = list(header if header is not None else header_of(rows))
    table = [[row.get(column, "") for column in header] for row in rows]
    path = folder / f"{name}.csv"
    if spreadsheet:
        header = header[::-1]
        table = [row[::-1] for row in table]
        padded = [[f" {cell} " if cell else cell for cell in row] for row in [header, *table]]
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerows(padded)
            writer.writerows([[""] * len(header)] * 3)  # ",,,," rows a spreadsheet leaves
            writer.writerow(["  "] * len(header))
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(table)
    return path


def write_bundle(folder: Path, rows: Optional[Mapping[str, Rows]] = None, *,
                 spreadsheet: bool = False, headers: Optional[Mapping[str, Sequence[str]]] = None,
                 omit: Iterable[str] = ()) -> Path:
    """Writes the seven files (the valid bundle unless `rows` is given) into `folder`.

    `headers` overrides a file's columns (to drop or add one); files named in `omit` are
    not written at all.
    """
    rows = rows if rows is not None else _VALID
    headers = headers or {}
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        if name in omit:
            continue
        write_file(folder, name, rows[name], headers.get(name), spreadsheet=spreadsheet)
    return folder


def catalogue_rows(engine: Engine) -> Dict[str, List[Dict[str, Any]]]:
    """Every catalogue table's rows, comparable across imports: a ladder step is named by
    (pathway, step) rather than by its row number, and rows are in a fixed order."""
    with engine.connect() as conn:
        steps = {row.id: (row.pathway_id, row.step)
                 for row in conn.execute(select(m.PathwayStep.__table__))}
        out: Dict[str, List[Dict[str, Any]]] = {}
        for table in m.CATALOGUE_TABLES:
            rows = [dict(row) for row in conn.execute(select(table)).mappings()]
            for row in rows:
                if table is m.PathwayStep.__table__:
                    row["id"] = steps[row["id"]]
                if table is m.step_programs:
                    row["step_id"] = steps[row["step_id"]]
            out[table.name] = sorted(rows, key=lambda r: sorted((k, repr(v)) for k, v in r.items()))
    return out


def ready(url: str) -> Engine:
    """The catalogue schema, up to date, on the database at `url`."""
    upgrade(url)
    return make_engine(url)

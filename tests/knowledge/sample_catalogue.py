"""A small catalogue for search tests: three colleges and a statewide provider, nine
programs in Salem, Woodburn, Portland, Eugene and online, two ladders, six services."""

from __future__ import annotations

import datetime as dt
from typing import Dict, List, Tuple

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from knowledge import models as m
from knowledge.db import session_scope
from knowledge.geography import zip_coordinates

TODAY = dt.date.today()
SOON = TODAY + dt.timedelta(days=30)
PAST = TODAY - dt.timedelta(days=30)

PROVIDERS = [
    dict(id="chemeketa", name="Chemeketa Community College", kind="community_college",
         city="Salem", zip="97309", counties=["Marion", "Polk", "Yamhill"],
         aliases=["Chemeketa CC"], phone="503-399-5000", website="https://chemeketa.edu"),
    dict(id="pcc", name="Portland Community College", kind="community_college",
         city="Portland", zip="97219", counties=["Multnomah", "Washington", "Columbia"],
         aliases=["PCC", "Portland CC"], phone="971-722-6111", website="https://pcc.edu"),
    dict(id="lane", name="Lane Community College", kind="community_college", city="Eugene",
         zip="97405", counties=["Lane"], aliases=["LCC"], phone="541-463-3000"),
    dict(id="skills-online", name="Oregon Online Skills Center", kind="other", city="Salem",
         zip="97301", counties=["*"], aliases=[], phone="800-555-0100"),
]
OCCUPATIONS = [
    ("31-9097", "Phlebotomists", 22.5, 46800, ["blood draw"]),
    ("31-1131", "Nursing Assistants", 19.0, 39500, ["cna", "caregiver"]),
    ("29-2061", "Licensed Practical and Licensed Vocational Nurses", 33.5, 69700, ["lpn"]),
    ("29-1141", "Registered Nurses", 55.0, 114000, ["rn", "nurse"]),
    ("51-4121", "Welders, Cutters, Solderers, and Brazers", 25.0, 52000, ["welder"]),
    ("53-3032", "Heavy and Tractor-Trailer Truck Drivers", 27.0, 56000, ["trucker"]),
    ("43-4051", "Customer Service Representatives", 20.0, 41600, []),
]
CREDENTIALS = [
    dict(id="cna", name="Certified Nursing Assistant", kind="license",
         description="Oregon license to work as a nursing assistant.",
         issuer="Oregon State Board of Nursing", exam="CNA competency exam",
         keywords=["cna", "cna 1"], stacks_to=["lpn"]),
    dict(id="lpn", name="Practical Nurse License", kind="license",
         description="License to work as a practical nurse.",
         issuer="Oregon State Board of Nursing", exam="NCLEX-PN", keywords=["lpn"],
         stacks_to=["rn"]),
    dict(id="rn", name="Registered Nurse License", kind="license",
         description="License to work as a registered nurse.", keywords=["rn"], stacks_to=[]),
    dict(id="cpt", name="Certified Phlebotomy Technician", kind="industry_certification",
         description="National phlebotomy certification.", issuer="NHA", keywords=["cpt"],
         stacks_to=[]),
    dict(id="aws-d1", name="AWS D1.1 Structural Welding Certification",
         kind="industry_certification", description="Structural welding test.",
         issuer="American Welding Society", keywords=["welding cert"], stacks_to=[]),
    dict(id="cdl-a", name="Commercial Driver License Class A", kind="license",
         description="License to drive big trucks.", keywords=["cdl"], stacks_to=[]),
]


def _program(pid: str, provider: str, title: str, sector: str, **kw) -> Dict:
    base = dict(id=pid, provider_id=provider, title=title, sector=sector, iet=False,
                description=f"{title} for adults.", schedule=["day"], modality="in_person",
                languages=["en"], english_support=False, cost_usd=1000, keywords=[],
                next_start=SOON, occupations=[], credentials=[], campus_zip=None,
                campus_city=None, duration_weeks=10, hours_per_week=12)
    base.update(kw)
    return base


PROGRAMS = [
    _program("chemeketa-welding", "chemeketa", "Welding Technology Certificate",
             "manufacturing", iet=True, schedule=["evening"], cost_usd=1200,
             keywords=["welder", "welding", "fabrication"], occupations=["51-4121"],
             credentials=["aws-d1"], campus_city="Salem", campus_zip="97301"),
    _program("lane-welding", "lane", "Welding and Fabrication", "manufacturing",
             cost_usd=900, keywords=["welder"], occupations=["51-4121"],
             credentials=["aws-d1"]),
    _program("chemeketa-phlebotomy", "chemeketa", "Phlebotomy Technician", "healthcare",
             iet=True, schedule=["weekend"], cost_usd=0, languages=["en", "es"],
             english_support=True, occupations=["31-9097"], credentials=["cpt"],
             campus_city="Woodburn", campus_zip="97071", cost_notes="WIOA can pay"),
    _program("pcc-phlebotomy", "pcc", "Phlebotomy", "healthcare", cost_usd=1500,
             next_start=PAST, occupations=["31-9097"], credentials=["cpt"]),
    _program("pcc-cna", "pcc", "Nursing Assistant Training", "healthcare", iet=True,
             english_support=True, schedule=["evening"], cost_usd=0,
             keywords=["cna", "nursing assistant"], occupations=["31-1131"],
             credentials=["cna"]),
    _program("chemeketa-cna", "chemeketa", "CNA 1 with English Support", "healthcare",
             modality="hybrid", cost_usd=350, languages=["en", "es"], english_support=True,
             occupations=["31-1131"], credentials=["cna"]),
    _program("online-customer-service", "skills-online", "Customer Service Online",
             "business", modality="online", schedule=["flexible"], cost_usd=0,
             english_support=True, occupations=["43-4051"]),
    _program("lane-truck", "lane", "Commercial Truck Driving", "transportation",
             cost_usd=4500, keywords=["truck driving", "cdl"], occupations=["53-3032"],
             credentials=["cdl-a"]),
    _program("pcc-lpn", "pcc", "Practical Nursing", "healthcare", cost_usd=12000,
             occupations=["29-2061"], credentials=["lpn"], description="Become an LPN."),
]
PATHWAYS = [
    ("nursing", "Nursing ladder", "healthcare", [
        (1, "31-1131", "cna", ["pcc-cna", "chemeketa-cna"], 2),
        (2, "29-2061", "lpn", ["pcc-lpn"], 12),
        (3, "29-1141", "rn", [], 24),
    ]),
    ("welding", "Welding ladder", "manufacturing", [
        (1, "51-4121", "aws-d1", ["chemeketa-welding", "lane-welding"], 6),
    ]),
]
SERVICES: List[Tuple[str, str, str, List[str], List[str]]] = [
    ("ride-marion", "Cherriots Ride Assist", "transportation", ["Marion", "Polk"], ["bus"]),
    ("ride-lane", "LTD Rides to School", "transportation", ["Lane"], ["bus pass"]),
    ("childcare-marion", "Marion Child Care Help", "childcare", ["Marion"], ["daycare"]),
    ("help-211", "211info", "basic_needs", ["*"], ["rent", "food", "housing help"]),
    ("ride-statewide", "Oregon Ride Line", "transportation", ["*"], []),
    ("food-multnomah", "Portland Food Pantry", "food", ["Multnomah"], ["groceries"]),
]


def build(engine: Engine) -> None:
    """Create the tables and load the sample catalogue."""
    m.metadata.create_all(engine)
    with session_scope(engine) as session:
        for p in PROVIDERS:
            lat, lon = zip_coordinates(p["zip"]) or (None, None)
            session.add(m.Provider(latitude=lat, longitude=lon, **p))
        for soc, title, hourly, annual, keywords in OCCUPATIONS:
            session.add(m.Occupation(soc=soc, title=title, median_hourly_wage=hourly,
                                     median_annual_wage=annual, wage_area="Oregon",
                                     wage_source="sample", keywords=keywords))
        session.flush()
        creds = {c["id"]: m.Credential(**{k: v for k, v in c.items() if k != "stacks_to"})
                 for c in CREDENTIALS}
        session.add_all(creds.values())
        for c in CREDENTIALS:
            creds[c["id"]].stacks_to = [creds[t] for t in c["stacks_to"]]
        session.flush()
        zips = {p["id"]: p["zip"] for p in PROVIDERS}
        programs = {}
        for spec in PROGRAMS:
            spec = dict(spec)
            socs, cred_ids = spec.pop("occupations"), spec.pop("credentials")
            lat, lon = zip_coordinates(spec["campus_zip"] or zips[spec["provider_id"]])
            program = m.Program(latitude=lat, longitude=lon, **spec)
            program.occupations = [session.get(m.Occupation, s) for s in socs]
            program.credentials = [creds[c] for c in cred_ids]
            programs[spec["id"]] = program
            session.add(program)
        session.flush()
        for pid, title, sector, steps in PATHWAYS:
            pathway = m.Pathway(id=pid, title=title, sector=sector)
            for step, soc, cred, program_ids, months in steps:
                pathway.steps.append(m.PathwayStep(
                    step=step, occupation_soc=soc, credential_id=cred, typical_months=months,
                    programs=[programs[p] for p in program_ids]))
            session.add(pathway)
        for sid, name, category, counties, keywords in SERVICES:
            session.add(m.Service(id=sid, name=name, category=category,
                                  organization=name, counties=counties,
                                  description=f"{name} helps learners.",
                                  how_to_apply="Call the office.", keywords=keywords))
        session.flush()
        session.execute(insert(m.provider_counties), [
            {"provider_id": p["id"], "county": c, "position": i}
            for p in PROVIDERS for i, c in enumerate(p["counties"])])
        session.execute(insert(m.service_counties), [
            {"service_id": s[0], "county": c, "position": i}
            for s in SERVICES for i, c in enumerate(s[3])])

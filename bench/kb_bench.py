"""Knowledge-base benchmark: import time and search latency at 100× the sample catalogue.

Run with `make bench-kb` (or `.venv/bin/python -m bench.kb_bench --scale 100`). Writes a
synthetic bundle in the public CSV format, imports it with the real importer into a
temporary SQLite file and a fresh PostgreSQL database (when reachable), then times each
typical search with a fresh session per call, as the action server does.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
import uuid
import warnings
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple

import zipcodes
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from knowledge import models as m
from knowledge.db import make_engine, make_sessionmaker
from knowledge.geography import OREGON_COUNTIES, locate
from knowledge.search import (
    credential_details,
    find_provider,
    pathway_for,
    search_programs,
    search_services,
)

PG_ADMIN_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
RUNS = 200
# One "unit" is roughly the hand-written sample: programs, services, providers …
PER_UNIT = {"providers": 10, "programs": 45, "services": 40, "pathways": 6}
FIELDS = [  # (sector, title, keywords, occupation title, credential name)
    ("healthcare", "Phlebotomy Technician", "phlebotomy; blood draw", "Phlebotomists",
     "Certified Phlebotomy Technician"),
    ("healthcare", "Nursing Assistant", "cna; nursing assistant; caregiver",
     "Nursing Assistants", "Certified Nursing Assistant"),
    ("healthcare", "Medical Assistant", "medical assistant; clinic", "Medical Assistants",
     "Certified Medical Assistant"),
    ("healthcare", "Pharmacy Technician", "pharmacy; pharmacy tech", "Pharmacy Technicians",
     "Pharmacy Technician License"),
    ("manufacturing", "Welding Technology", "welder; welding; fabrication",
     "Welders, Cutters, Solderers, and Brazers", "AWS Structural Welding Certification"),
    ("manufacturing", "CNC Machining", "machinist; cnc", "Machinists", "NIMS Machining Level I"),
    ("construction", "Pre-Apprenticeship in Construction Trades", "carpentry; trades",
     "Construction Laborers", "OSHA 10 Construction"),
    ("construction", "Electrical Trainee", "electrician; wiring", "Electricians",
     "Limited Electrician License"),
    ("transportation", "Commercial Truck Driving", "truck driving; cdl; trucker",
     "Heavy and Tractor-Trailer Truck Drivers", "Commercial Driver License Class A"),
    ("early_childhood", "Early Childhood Education", "preschool; daycare teacher",
     "Childcare Workers", "Oregon Registry Step 7"),
    ("business", "Office Administration", "office; receptionist",
     "Secretaries and Administrative Assistants", "Microsoft Office Specialist"),
    ("information_technology", "Computer Support", "help desk; it support; computers",
     "Computer User Support Specialists", "CompTIA A+"),
    ("hospitality", "Culinary Arts", "cook; kitchen; chef", "Cooks, Restaurant",
     "ServSafe Food Handler"),
    ("agriculture", "Farm Equipment Maintenance", "farm; tractor repair",
     "Farm Equipment Mechanics", "Ag Equipment Technician Certificate"),
    ("energy", "Solar Installation", "solar; solar panels", "Solar Photovoltaic Installers",
     "NABCEP PV Associate"),
]
SERVICE_KINDS = [
    ("transportation", "Ride Assist", "bus pass; gas card"),
    ("childcare", "Child Care Help", "daycare; babysitting"),
    ("food", "Food Pantry", "groceries; snap"),
    ("housing", "Rent Help", "rent; shelter"),
    ("technology", "Laptop Lending", "laptop; wifi hotspot"),
    ("disability", "Disability Services", "accommodations"),
    ("financial", "Emergency Fund", "bills; tuition"),
    ("language", "ESL Tutoring", "english; esl"),
]
PLACES = ["Salem", "Portland", "Eugene", "Bend", "Medford", "97301", "Hillsboro",
          "Pendleton", "Coos Bay", "Marion County"]
TYPOS = ["flebotomy", "weldin", "nursng asistant", "trukc driving", "electrishan",
         "culinery", "pharmasy tech", "machinst"]
TEXTS = ["welding", "phlebotomy", "nursing assistant", "truck driving", "medical assistant",
         "early childhood", "computer support", "electrician", "solar", "cook"]


def write_bundle(folder: Path, scale: int, seed: int = 7) -> Dict[str, int]:
    """A synthetic bundle, `scale` times the sample's size, in the public CSV format."""
    rnd = random.Random(seed)
    zips = [z for z in zipcodes.filter_by(state="OR") if z.get("lat") and z["zip_code_type"]
            == "STANDARD" and z["county"].removesuffix(" County") in OREGON_COUNTIES]
    rows: Dict[str, List[Dict[str, str]]] = {name: [] for name in (
        "providers", "programs", "credentials", "occupations", "pathways", "pathway_steps",
        "services")}
    units = max(1, scale)
    for u in range(units):
        socs, creds = [], []
        for f, (_sector, _title, keywords, job, cred) in enumerate(FIELDS):
            soc = f"{11 + f:02d}-{u:04d}"
            socs.append(soc)
            rows["occupations"].append({
                "soc": soc, "title": f"{job}" if u == 0 else f"{job} {u}",
                "median_hourly_wage": f"{rnd.uniform(16, 45):.2f}",
                "median_annual_wage": f"{rnd.uniform(33000, 95000):.0f}",
                "wage_area": "Oregon", "wage_source": "synthetic", "outlook": "bright",
                "keywords": keywords})
            cid = f"cred-{u}-{f}"
            creds.append(cid)
            rows["credentials"].append({
                "id": cid, "name": cred if u == 0 else f"{cred} {u}",
                "kind": "industry_certification", "description": f"{cred} for {job}.",
                "issuer": "Synthetic Board", "stacks_to": "", "keywords": keywords})
        providers = []
        for i in range(PER_UNIT["providers"]):
            z = rnd.choice(zips)
            county = z["county"].removesuffix(" County")
            pid = f"prov-{u}-{i}"
            providers.append((pid, z))
            rows["providers"].append({
                "id": pid, "name": f"{z['city'].title()} Learning Center {u}-{i}",
                "kind": "community_organization" if i % 3 else "community_college",
                "city": z["city"].title(), "zip": z["zip_code"],
                "counties": "*" if i == 0 and u % 10 == 0 else county,
                "phone": "503-555-0100", "aliases": f"LC{u}{i}"})
        programs: List[Tuple[str, int]] = []
        for i in range(PER_UNIT["programs"]):
            pid, z = providers[i % len(providers)]
            f = rnd.randrange(len(FIELDS))
            sector, title, keywords, job, _ = FIELDS[f]
            prog = f"prog-{u}-{i}"
            programs.append((prog, f))
            rows["programs"].append({
                "id": prog, "provider_id": pid, "title": f"{title} ({z['city'].title()})",
                "sector": sector, "iet": rnd.choice(["true", "false"]),
                "description": f"Learn {title.lower()} skills for work as {job.lower()}.",
                "occupations": socs[f], "credentials": creds[f],
                "duration_weeks": str(rnd.randint(4, 40)),
                "hours_per_week": str(rnd.randint(6, 30)),
                "schedule": rnd.choice(["day", "evening", "weekend", "day; evening",
                                        "flexible"]),
                "modality": rnd.choice(["in_person"] * 4 + ["online", "hybrid"]),
                "languages": rnd.choice(["en"] * 4 + ["en; es", "en; ru"]),
                "english_support": rnd.choice(["true", "false"]),
                "cost_usd": rnd.choice(["0", "350", "900", "1500", "4200"]),
                "next_start": f"2026-{rnd.randint(1, 12):02d}-15", "keywords": keywords,
                "source": "synthetic"})
        for i in range(PER_UNIT["pathways"]):
            f = i * 2 % len(FIELDS)
            path = f"path-{u}-{i}"
            rows["pathways"].append({"id": path, "title": f"{FIELDS[f][3]} ladder {u}",
                                     "sector": FIELDS[f][0]})
            for step, g in enumerate((f, (f + 1) % len(FIELDS), (f + 2) % len(FIELDS)), 1):
                rows["pathway_steps"].append({
                    "pathway_id": path, "step": str(step), "occupation": socs[g],
                    "credential_id": creds[g],
                    "program_ids": "; ".join([p for p, pf in programs if pf == g][:5]),
                    "typical_months": str(6 * step)})
        for i in range(PER_UNIT["services"]):
            category, name, keywords = SERVICE_KINDS[i % len(SERVICE_KINDS)]
            z = rnd.choice(zips)
            rows["services"].append({
                "id": f"svc-{u}-{i}", "name": f"{z['city'].title()} {name}",
                "category": category, "organization": f"Org {u}-{i}",
                "counties": "*" if i < 2 and u % 20 == 0 else z["county"].removesuffix(" County"),
                "description": f"{name} for learners near {z['city'].title()}.",
                "how_to_apply": "Call or text.", "keywords": keywords})
    for name, data in rows.items():
        columns = sorted({key for row in data for key in row})
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            writer.writerows(data)
    return {name: len(data) for name, data in rows.items()}


def scenarios() -> Dict[str, Callable[[int], Callable]]:
    """Each scenario maps a run number to one search call (inputs rotate across runs)."""
    places = [locate(p) for p in PLACES]
    sectors = [f[0] for f in FIELDS]
    categories = [s[0] for s in SERVICE_KINDS]
    counties = ["Marion", "Multnomah", "Lane", "Deschutes", "Jackson", "Umatilla", "Coos"]
    jobs = [f[3] for f in FIELDS]
    creds = [f[4] for f in FIELDS] + ["cna", "Certifed Nursing Asistant", "cdl"]
    providers = ["Salem Learning Center 3-1", "LC31", "portland learning center",
                 "eugen learning centr 5-2"]
    return {
        "programs: text": lambda i: lambda s: search_programs(s, text=TEXTS[i % len(TEXTS)]),
        "programs: text + place": lambda i: lambda s: search_programs(
            s, text=TEXTS[i % len(TEXTS)], place=places[i % len(places)]),
        "programs: sector + filters + place": lambda i: lambda s: search_programs(
            s, sector=sectors[i % len(sectors)], schedule=["evening"], max_cost=1500,
            place=places[i % len(places)], max_miles=60),
        "programs: typo": lambda i: lambda s: search_programs(s, text=TYPOS[i % len(TYPOS)]),
        "services: category + county": lambda i: lambda s: search_services(
            s, category=categories[i % len(categories)], county=counties[i % len(counties)]),
        "pathway: occupation": lambda i: lambda s: pathway_for(s, occupation=jobs[i % len(jobs)]),
        "credential: name": lambda i: lambda s: credential_details(s, creds[i % len(creds)]),
        "provider: name/alias": lambda i: lambda s: find_provider(
            s, providers[i % len(providers)]),
    }


def measure(url: str, label: str, folder: Path, runs: int) -> None:
    from knowledge.bundle import import_bundle

    engine = make_engine(url)
    try:
        from knowledge.schema import upgrade
        upgrade(url)
        how = "Alembic migrations"
    except Exception as exc:  # migrations not ready: the ORM metadata is the same schema
        m.metadata.create_all(engine)
        how = f"metadata.create_all ({type(exc).__name__})"
    result = import_bundle(engine, folder)
    print(f"\n== {label} (schema by {how})")
    print(f"import (knowledge.bundle.import_bundle): {result.seconds:.2f} s  {result.counts}")
    sessions = make_sessionmaker(engine)
    started = time.perf_counter()
    with sessions() as session:
        search_programs(session, text="welding")
    first_ms = (time.perf_counter() - started) * 1000
    print(f"first search (builds the in-memory index): {first_ms:.0f} ms")
    print(f"{'search':38} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  runs")
    for name, make in scenarios().items():
        timings = []
        for i in range(runs):
            call = make(i)
            t0 = time.perf_counter()
            with sessions() as session:  # a fresh session per call, as the action server does
                call(session)
            timings.append((time.perf_counter() - t0) * 1000)
        q = statistics.quantiles(timings, n=100)
        print(f"{name:38} {q[49]:8.2f} {q[94]:8.2f} {max(timings):8.2f}  {runs}")
    engine.dispose()


def postgres_database(admin_url: str) -> Iterator[Optional[str]]:
    name = f"kbbench_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: report and carry on with SQLite only
        print(f"\nPostgreSQL not reachable at {admin_url}: {type(exc).__name__}; skipped")
        yield None
        return
    try:
        yield str(make_url(admin_url).set(database=name))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="times the sample (default 100)")
    parser.add_argument("--postgres-url", default=PG_ADMIN_URL,
                        help="admin URL; a fresh database is made and dropped ('' to skip)")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="Dialect sqlite")
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        folder = Path(tmp) / "bundle"
        folder.mkdir()
        t0 = time.perf_counter()
        counts = write_bundle(folder, args.scale)
        print(f"synthetic bundle ×{args.scale}: {counts} "
              f"(written in {time.perf_counter() - t0:.1f} s)")
        measure(f"sqlite:///{Path(tmp) / 'navigator.db'}", "SQLite", folder, args.runs)
        if args.postgres_url:
            for url in postgres_database(args.postgres_url):
                if url:
                    measure(url, "PostgreSQL", folder, args.runs)


if __name__ == "__main__":
    main()

"""The sample Oregon bundle: what a college sees on first start, checked against the facts
sheet (design/oregon-facts.md) so nothing invented slips in."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest
from sqlalchemy import func, select

from bot.prepare import SAMPLE_BUNDLE, prepare_database
from bot.settings import ROOT
from knowledge import models as m
from knowledge.bundle import check_bundle
from knowledge.db import make_engine
from knowledge.oregon import OREGON_COUNTIES

COLLEGE_COUNTIES = {
    "Blue Mountain Community College": {"Umatilla", "Morrow", "Baker"},
    "Central Oregon Community College": {"Crook", "Deschutes", "Jefferson", "Wasco", "Klamath"},
    "Chemeketa Community College": {"Marion", "Polk", "Yamhill", "Linn"},
    "Clackamas Community College": {"Clackamas"},
    "Clatsop Community College": {"Clatsop"},
    "Columbia Gorge Community College": {"Wasco", "Hood River"},
    "Klamath Community College": {"Klamath", "Lake"},
    "Lane Community College": {"Lane"},
    "Linn-Benton Community College": {"Linn", "Benton"},
    "Mt. Hood Community College": {"Multnomah", "Clackamas"},
    "Oregon Coast Community College": {"Lincoln"},
    "Portland Community College": {"Washington", "Multnomah", "Clackamas", "Yamhill",
                                   "Columbia"},
    "Rogue Community College": {"Josephine", "Jackson"},
    "Southwestern Oregon Community College": {"Coos", "Curry"},
    "Tillamook Bay Community College": {"Tillamook"},
    "Treasure Valley Community College": {"Malheur", "Harney", "Grant"},
    "Umpqua Community College": {"Douglas"},
}
MEDIANS = {
    "51-4121": 59450, "31-9097": 49160, "39-9011": 38650, "25-2011": 45140, "43-3031": 54060,
    "31-1131": 49830, "31-9092": 50410, "53-3032": 61980, "51-9161": 56670, "51-4041": 63820,
    "51-2090": 46910, "15-1232": 62840, "29-2042": 49270, "29-2043": 74840,
}
# Every phone or text number in the bundle must be one the facts sheet gives.
KNOWN_NUMBERS = {"211", "898211", "800-699-9075", "988"}


@pytest.fixture(scope="module")
def bundle():
    return check_bundle(SAMPLE_BUNDLE).records


def test_all_seventeen_colleges_with_their_counties(bundle):
    providers = {p["name"]: set(p["counties"]) for p in bundle["providers.csv"]}
    assert providers == COLLEGE_COUNTIES


def test_programs_span_sectors_and_are_mostly_iet(bundle):
    programs = bundle["programs.csv"]
    assert len(programs) >= 45
    assert len({p["sector"] for p in programs}) >= 8
    iet = [p for p in programs if p["iet"]]
    assert len(iet) > len(programs) / 2
    # Illustrative offerings say so; only facts-sheet rows (Adult Basic Skills) do not.
    assert all(p["source"] == "sample" for p in iet)
    every_college = Counter(p["provider_id"] for p in programs)
    assert len(every_college) == 17


def test_occupations_carry_the_oregon_medians(bundle):
    wages = {o["soc"]: o["median_annual_wage"] for o in bundle["occupations.csv"]}
    assert wages == MEDIANS
    assert {o["wage_source"] for o in bundle["occupations.csv"]} == {"BLS OEWS May 2025"}


def test_credentials_and_ladders(bundle):
    assert len(bundle["credentials.csv"]) >= 20
    steps = Counter(s["pathway_id"] for s in bundle["pathway_steps.csv"])
    assert sum(1 for n in steps.values() if n >= 3) >= 6


@pytest.mark.parametrize("category", ["transportation", "childcare", "disability"])
def test_every_county_has_help_of_each_kind(bundle, category):
    covered = set()
    for service in bundle["services.csv"]:
        if service["category"] == category:
            counties = set(service["counties"])
            covered |= set(OREGON_COUNTIES) if "*" in counties else counties
    assert covered == set(OREGON_COUNTIES)


def test_at_least_forty_services(bundle):
    assert len(bundle["services.csv"]) >= 40


def test_no_invented_contact_details():
    text = "\n".join(p.read_text(encoding="utf-8") for p in SAMPLE_BUNDLE.glob("*.csv"))
    assert not re.search(r"https?://|www\.|@[a-z0-9-]+\.", text, re.I)
    numbers = set(re.findall(r"\b\d{3}-\d{3}-\d{4}\b", text))
    assert numbers <= KNOWN_NUMBERS
    for file in ("providers.csv", "services.csv"):
        records = check_bundle(SAMPLE_BUNDLE).records[file]
        for record in records:
            for column in ("phone", "text_number", "email", "website", "url"):
                value = record.get(column)
                assert not value or value in KNOWN_NUMBERS, (file, record["id"], value)


def test_run_loads_the_sample_into_an_empty_database_once(database_url, capsys):
    prepare_database(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(m.Program)).scalar_one()
        assert count == len(check_bundle(SAMPLE_BUNDLE).records["programs.csv"])
        prepare_database(database_url)
        assert "keeping it" in capsys.readouterr().out
    finally:
        engine.dispose()


def test_cli_check_accepts_the_sample_bundle():
    done = subprocess.run([sys.executable, "-m", "knowledge", "check", str(SAMPLE_BUNDLE)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "The bundle is valid: 17 providers" in done.stdout

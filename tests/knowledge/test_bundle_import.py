"""Bundle import, export and check as navigators use them (design/knowledge-bundle.md).

Bundles start from a copy of the sample Oregon bundle, then get a spreadsheet's habits
or a navigator's mistakes. Every test runs on SQLite and on PostgreSQL where a database
is involved.
"""

from __future__ import annotations

import csv
import filecmp
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.prepare import SAMPLE_BUNDLE
from bot.settings import ROOT
from knowledge import models as m
from knowledge.bundle import BundleInvalid, check_bundle, export_bundle, import_bundle, importer
from knowledge.db import make_engine
from knowledge.schema import upgrade

FILES = ("providers", "programs", "credentials", "occupations", "pathways",
         "pathway_steps", "services")


def copy_sample(folder: Path) -> Path:
    shutil.copytree(SAMPLE_BUNDLE, folder)
    return folder


def read(folder: Path, name: str) -> List[dict]:
    with (folder / f"{name}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(folder: Path, name: str, rows: List[dict], header=None) -> None:
    header = header or list(rows[0])
    with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def edit(folder: Path, name: str, row: int, column: str, value: str) -> None:
    rows = read(folder, name)
    rows[row][column] = value
    write(folder, name, rows)


@pytest.fixture
def engine(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def exported(engine, folder: Path) -> Path:
    export_bundle(engine, folder)
    return folder


def same_files(a: Path, b: Path) -> bool:
    names = [f"{n}.csv" for n in FILES]
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


# Each mistake: how to make it, and the problem it must produce (file, line, column,
# words the message must contain).
MISTAKES = [
    (("services", 0, "id", "211 Info"),
     ("services.csv", 2, "id", "'211 Info' is not a valid id")),
    (("providers", 1, "zip", "9770"),
     ("providers.csv", 3, "zip", "'9770' is not a 5-digit ZIP code")),
    (("providers", 2, "counties", "Marion; Polkk; Yamhill; Linn"),
     ("providers.csv", 4, "counties", "'Polkk' is not an Oregon county (did you mean 'Polk'?)")),
    (("providers", 3, "kind", "college"),
     ("providers.csv", 5, "kind", "'college' is not one of: community_college")),
    (("programs", 0, "provider_id", "bmc"),
     ("programs.csv", 2, "provider_id", "'bmc' is not in providers.csv (did you mean 'bmcc'?)")),
    (("programs", 1, "iet", "maybe"),
     ("programs.csv", 3, "iet", "'maybe' is not a yes/no value")),
    (("programs", 2, "sector", "trucking"),
     ("programs.csv", 4, "sector", "'trucking' is not one of")),
    (("programs", 3, "next_start", "2027-13-01"),
     ("programs.csv", 5, "next_start", "'2027-13-01' is not a date written YYYY-MM-DD")),
    (("programs", 4, "cost_usd", "-5"),
     ("programs.csv", 6, "cost_usd", "'-5' must be a number of 0 or more")),
    (("programs", 5, "schedule", "evening; nights"),
     ("programs.csv", 7, "schedule", "'nights' is not one of")),
    (("programs", 6, "modality", "remote"),
     ("programs.csv", 8, "modality", "'remote' is not one of")),
    (("programs", 7, "languages", "en; sp"),
     ("programs.csv", 9, "languages", "'sp' is not an ISO 639-1 language code")),
    (("programs", 8, "occupations", "51-412"),
     ("programs.csv", 10, "occupations", "'51-412' is not a SOC code")),
    (("programs", 9, "occupations", "29-1141"),
     ("programs.csv", 11, "occupations", "'29-1141' is not in occupations.csv")),
    (("programs", 10, "title", ""),
     ("programs.csv", 12, "title", "is required but empty")),
    (("programs", 11, "duration_weeks", "six"),
     ("programs.csv", 13, "duration_weeks", "'six' is not a whole number")),
    (("credentials", 0, "stacks_to", "welding-certficate"),
     ("credentials.csv", 2, "stacks_to",
      "'welding-certficate' is not in credentials.csv (did you mean 'welding-certificate'?)")),
    (("pathway_steps", 1, "step", "1"),
     ("pathway_steps.csv", 3, "step", "step 1 of 'patient-care' is already on line 2")),
    (("services", 2, "id", "211info-rides"),
     ("services.csv", 4, "id", "duplicate '211info-rides' (first on line 3)")),
]


def broken_bundle(folder: Path) -> Path:
    copy_sample(folder)
    for (name, row, column, value), _ in MISTAKES:
        edit(folder, name, row, column, value)
    # The twentieth: a required column deleted from a file.
    rows = read(folder, "services")
    write(folder, "services", rows, [c for c in rows[0] if c != "how_to_apply"])
    return folder


EXPECTED = [problem for _, problem in MISTAKES] + [
    ("services.csv", 1, "how_to_apply", "required column is missing")
]


def test_twenty_mistakes_give_twenty_precise_messages(tmp_path):
    with pytest.raises(BundleInvalid) as caught:
        check_bundle(broken_bundle(tmp_path / "broken"))
    errors = sorted(p for p in caught.value.problems if p.severity == "error")
    assert len(EXPECTED) == 20
    assert [(p.file, p.line, p.column) for p in errors] == sorted(
        (f, line, c) for f, line, c, _ in EXPECTED)
    for (file, line, column, words), problem in zip(sorted(EXPECTED), errors, strict=True):
        assert words in problem.message, problem
        assert str(problem).startswith(f"{file}:{line}: {column}: ")


def test_invalid_bundle_leaves_the_catalogue_untouched(engine, tmp_path):
    import_bundle(engine, SAMPLE_BUNDLE)
    before = exported(engine, tmp_path / "before")
    with pytest.raises(BundleInvalid):
        import_bundle(engine, broken_bundle(tmp_path / "broken"))
    assert same_files(before, exported(engine, tmp_path / "after"))


def test_failure_inside_the_transaction_keeps_the_old_catalogue(engine, tmp_path, monkeypatch):
    """A database error halfway (after the deletes and some inserts) rolls everything back."""
    import_bundle(engine, SAMPLE_BUNDLE)
    before = exported(engine, tmp_path / "before")
    real_rows = importer.rows_for_tables

    def rows_with_a_clash(bundle):
        rows = real_rows(bundle)
        rows["services"].append(dict(rows["services"][0]))  # same primary key twice
        return rows

    monkeypatch.setattr(importer, "rows_for_tables", rows_with_a_clash)
    with pytest.raises(IntegrityError):
        import_bundle(engine, SAMPLE_BUNDLE)
    assert same_files(before, exported(engine, tmp_path / "after"))


def test_unknown_column_is_a_warning_not_an_error(tmp_path):
    folder = copy_sample(tmp_path / "b")
    rows = read(folder, "providers")
    for row in rows:
        row["notes"] = "call first"
    write(folder, "providers", rows)
    bundle = check_bundle(folder)
    assert [str(w) for w in bundle.warnings] == [
        "providers.csv:1: notes: warning: unknown column; ignored"]


def spreadsheet_saved(source: Path, folder: Path) -> Path:
    """What Excel's "CSV UTF-8" does: BOM, CRLF, padding, empty rows at the end."""
    folder.mkdir()
    for path in source.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        with (folder / path.name).open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerows([[f" {cell} " if cell else "" for cell in row] for row in rows])
            writer.writerows([[""] * len(rows[0])] * 3)
    return folder


def test_spreadsheet_saved_bundle_imports_to_the_same_catalogue(engine, tmp_path):
    folder = spreadsheet_saved(SAMPLE_BUNDLE, tmp_path / "excel")
    assert (folder / "programs.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    import_bundle(engine, folder)
    from_excel = exported(engine, tmp_path / "from-excel")
    import_bundle(engine, SAMPLE_BUNDLE)
    assert same_files(from_excel, exported(engine, tmp_path / "from-sample"))


def test_export_then_import_round_trips(engine, tmp_path, database_url):
    import_bundle(engine, SAMPLE_BUNDLE)
    first = exported(engine, tmp_path / "first")
    import_bundle(engine, first)
    assert same_files(first, exported(engine, tmp_path / "second"))
    assert check_bundle(first).counts() == check_bundle(SAMPLE_BUNDLE).counts()


def test_import_replaces_the_catalogue(engine, tmp_path):
    import_bundle(engine, SAMPLE_BUNDLE)
    folder = copy_sample(tmp_path / "smaller")
    write(folder, "services", read(folder, "services")[:5])
    import_bundle(engine, folder)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(m.Service)).scalar_one() == 5
        imports = conn.execute(select(func.count()).select_from(m.CatalogueImport)).scalar_one()
    assert imports == 2  # each import is recorded


def test_spreadsheet_number_and_code_forms(engine, tmp_path):
    folder = copy_sample(tmp_path / "b")
    edit(folder, "programs", 0, "cost_usd", "$1,250.50")
    edit(folder, "programs", 0, "occupations", "51-4121.00")
    import_bundle(engine, folder)
    with engine.connect() as conn:
        cost = conn.execute(select(m.Program.cost_usd).where(m.Program.id == "bmcc-welding"))
        assert float(cost.scalar_one()) == 1250.50
        socs = conn.execute(select(m.program_occupations.c.soc).where(
            m.program_occupations.c.program_id == "bmcc-welding")).scalars().all()
    assert socs == ["51-4121"]


def knowledge(*args: str, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "knowledge", "--database", database_url, *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)


def test_cli_exit_codes_and_messages(database_url, tmp_path):
    broken = broken_bundle(tmp_path / "broken")
    done = knowledge("check", str(broken), database_url=database_url)
    assert done.returncode == 1
    assert "programs.csv:2: provider_id: 'bmc' is not in providers.csv" in done.stdout
    assert "20 problem(s) found. Nothing was changed." in done.stderr

    done = knowledge("import", str(SAMPLE_BUNDLE), database_url=database_url)
    assert done.returncode == 0, done.stderr
    assert "Imported 17 providers, 70 programs" in done.stdout
    done = knowledge("import", str(broken), database_url=database_url)
    assert done.returncode == 1
    done = knowledge("stats", database_url=database_url)
    assert done.returncode == 0 and "programs" in done.stdout and "70" in done.stdout

    out = tmp_path / "out"
    assert knowledge("export", str(out), database_url=database_url).returncode == 0
    assert same_files(out, exported_sample(tmp_path, database_url))

    done = knowledge("check", str(tmp_path / "nowhere"), database_url=database_url)
    assert done.returncode == 1 and "is not a folder" in done.stdout


def exported_sample(tmp_path: Path, database_url: str) -> Path:
    engine = make_engine(database_url)
    try:
        return exported(engine, tmp_path / "direct")
    finally:
        engine.dispose()


def test_cli_unreachable_database_is_a_clear_error(tmp_path):
    done = knowledge("stats", database_url="postgresql+psycopg2://nobody@127.0.0.1:1/none")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "NAVIGATOR_DATABASE_URL" in done.stderr

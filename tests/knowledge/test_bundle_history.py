"""Every import keeps its bundle, so any earlier catalogue comes back in one step, on
SQLite and PostgreSQL; and the stale rows staff must re-check are found on both."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from sqlalchemy import select

from knowledge import models as m
from knowledge.bundle import import_bundle
from knowledge.bundle.archive import pack_bundle, sha256
from knowledge.bundle.history import catalogue_counts, imports, restore, restore_preview
from knowledge.freshness import stale_rows
from tests.knowledge.bundles import COUNTS, bundle_rows, catalogue_rows, write_bundle


def test_an_import_keeps_its_files_checksums_and_who(engine, tmp_path):
    folder = write_bundle(tmp_path / "first")
    result = import_bundle(engine, folder, username="eve")
    with engine.connect() as conn:
        record = conn.execute(select(m.CatalogueImport)).mappings().one()
    files = {path.name: path.read_bytes() for path in folder.glob("*.csv")}
    assert record["id"] == result.import_id and record["username"] == "eve"
    assert record["checksums"] == {name: sha256(data) for name, data in files.items()}
    with zipfile.ZipFile(io.BytesIO(record["bundle"])) as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == files
    # Packing is repeatable: the same files give the same zip.
    assert pack_bundle(folder).data == bytes(record["bundle"])


def test_restoring_an_earlier_import_brings_its_catalogue_back(engine, tmp_path):
    first = import_bundle(engine, write_bundle(tmp_path / "first"))  # as the command line does
    original = catalogue_rows(engine)
    rows = bundle_rows()
    rows["programs"][0]["title"] = "Renamed program"
    rows["services"].pop()
    import_bundle(engine, write_bundle(tmp_path / "second", rows), username="eve")
    assert catalogue_rows(engine) != original

    changes = {c.file: c for c in restore_preview(engine, first.import_id)}
    assert [(r.key, r.cells) for r in changes["programs.csv"].changed] == [
        ("riverbend-cna", [("title", "Renamed program", "Nursing Assistant with English Support")])]
    assert [r.key for r in changes["services.csv"].added] == ["help-line"]

    restored = restore(engine, first.import_id, "ed")
    assert catalogue_rows(engine) == original
    assert catalogue_counts(engine) == COUNTS == restored.counts
    newest = imports(engine)[0]
    assert (newest["id"], newest["restored_from"], newest["username"], newest["kept"]) == (
        restored.import_id, first.import_id, "ed", True)
    assert newest["source"] == f"restore of import {first.import_id}"


def test_stale_rows_are_listed_by_provider(engine, tmp_path):
    import_bundle(engine, write_bundle(tmp_path / "b"))
    groups = stale_rows(engine, on=dt.date(2031, 1, 1))  # 180 days: before 2030-07-05
    found = {g.provider: [(r.kind, r.id, r.last_verified) for r in g.rows] for g in groups}
    assert found == {
        "Help Line Network": [("service", "help-line", None)],
        "Little Steps": [("service", "little-steps", None)],
        "Open Door Online Skills": [("program", "open-door-lpn-prep", None)],
        "Riverbend Community College": [("program", "riverbend-phlebotomy", None)],
    }
    later = {g.provider for g in stale_rows(engine, on=dt.date(2031, 6, 1))}
    assert {"Cedar Works Learning Center", "Valley Transit Helpers"} <= later

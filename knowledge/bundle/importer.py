"""Replaces the catalogue with a valid bundle, in one transaction.

Readers see the old catalogue or the new one, never a mix: everything is deleted and
inserted inside a single transaction. Referrals, users and transcripts live in other
tables and are never touched. The import is recorded in the same transaction, with the
files' SHA-256 checksums and the bundle itself (zipped), so it can be restored later.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from sqlalchemy import delete, insert
from sqlalchemy.engine import Connection, Engine

from knowledge import models as m
from knowledge.bundle.archive import pack_bundle
from knowledge.bundle.problems import Problem
from knowledge.bundle.validate import Bundle, Record, check_bundle
from knowledge.geography import zip_coordinates

Progress = Callable[[str], None]


@dataclass
class ImportResult:
    counts: Dict[str, int]
    warnings: List[Problem]
    seconds: float
    import_id: Optional[int] = None  # its row in catalogue_imports


def import_bundle(
    engine: Engine, folder: Path | str, *, progress: Optional[Progress] = None,
    username: Optional[str] = None, source: Optional[str] = None,
    restored_from: Optional[int] = None,
) -> ImportResult:
    """Validates the whole bundle, then swaps the catalogue; raises BundleInvalid on errors.

    `username` (who, in the console), `source` (default: the folder's path) and
    `restored_from` (the earlier import it brings back) go into the import's record.
    """
    say = progress or (lambda _message: None)
    started = time.monotonic()
    say(f"Reading and checking {folder}")
    packed = pack_bundle(folder)  # the files as they are now, kept with the import
    bundle = check_bundle(folder)
    say("Bundle is valid: " + ", ".join(f"{n} {k}" for k, n in bundle.counts().items()))
    rows = rows_for_tables(bundle)
    say("Replacing the catalogue (one transaction)")
    with engine.begin() as conn:
        replace_catalogue(conn, rows)
        import_id = conn.execute(insert(m.CatalogueImport.__table__).values(
            imported_at=dt.datetime.now(dt.timezone.utc),
            source=(source or str(Path(folder).resolve()))[:500],
            counts=bundle.counts(), username=username, checksums=packed.checksums,
            bundle=packed.data, restored_from=restored_from,
        )).inserted_primary_key[0]
    return ImportResult(bundle.counts(), bundle.warnings, time.monotonic() - started,
                        import_id)


def replace_catalogue(conn: Connection, rows: Dict[str, List[Dict[str, Any]]]) -> None:
    """Deletes every catalogue row and inserts `rows` (from `rows_for_tables`), on the
    caller's transaction."""
    for table in m.CATALOGUE_TABLES:
        conn.execute(delete(table))
    for table in INSERT_ORDER:
        if rows[table.name]:
            conn.execute(insert(table), rows[table.name])


INSERT_ORDER = (
    m.Provider.__table__,
    m.provider_counties,
    m.Occupation.__table__,
    m.Credential.__table__,
    m.credential_stacks,
    m.Program.__table__,
    m.program_occupations,
    m.program_credentials,
    m.Pathway.__table__,
    m.PathwayStep.__table__,
    m.step_programs,
    m.Service.__table__,
    m.service_counties,
)


def _plain(record: Record, *skip: str) -> Dict[str, Any]:
    return {k: v for k, v in record.items() if not k.startswith("_") and k not in skip}


def _links(rows: List[Dict[str, Any]], owner_key: str, owner: Any, key: str, values) -> None:
    rows.extend({owner_key: owner, key: value, "position": i} for i, value in enumerate(values))


def rows_for_tables(bundle: Bundle) -> Dict[str, List[Dict[str, Any]]]:
    r = bundle.records
    out: Dict[str, List[Dict[str, Any]]] = {t.name: [] for t in INSERT_ORDER}
    providers = {}
    for rec in r["providers.csv"]:
        row = _plain(rec)
        row["aliases"] = row.get("aliases") or []
        row["latitude"], row["longitude"] = zip_coordinates(row["zip"]) or (None, None)
        providers[row["id"]] = row
        out["providers"].append(row)
        _links(out["provider_counties"], "provider_id", row["id"], "county", row["counties"])
    for rec in r["occupations.csv"]:
        row = _plain(rec)
        row["outlook"] = row.get("outlook") or "unknown"
        row["keywords"] = row.get("keywords") or []
        out["occupations"].append(row)
    for rec in r["credentials.csv"]:
        row = _plain(rec, "stacks_to")
        row["keywords"] = row.get("keywords") or []
        out["credentials"].append(row)
        _links(out["credential_stacks"], "credential_id", row["id"], "stacks_to_id",
               rec.get("stacks_to") or [])
    for rec in r["programs.csv"]:
        row = _plain(rec, "occupations", "credentials")
        for name in ("schedule", "keywords"):
            row[name] = row.get(name) or []
        row["languages"] = row.get("languages") or ["en"]
        row["modality"] = row.get("modality") or "in_person"
        where = row.get("campus_zip") or providers[row["provider_id"]]["zip"]
        row["latitude"], row["longitude"] = zip_coordinates(where) or (None, None)
        out["programs"].append(row)
        _links(out["program_occupations"], "program_id", row["id"], "soc",
               rec.get("occupations") or [])
        _links(out["program_credentials"], "program_id", row["id"], "credential_id",
               rec.get("credentials") or [])
    for rec in r["pathways.csv"]:
        out["pathways"].append(_plain(rec))
    for step_id, rec in enumerate(r["pathway_steps.csv"], start=1):
        row = _plain(rec, "program_ids", "occupation")
        row.update(id=step_id, occupation_soc=rec["occupation"])
        out["pathway_steps"].append(row)
        _links(out["pathway_step_programs"], "step_id", step_id, "program_id",
               rec.get("program_ids") or [])
    for rec in r["services.csv"]:
        row = _plain(rec)
        row["languages"] = row.get("languages") or ["en"]
        row["keywords"] = row.get("keywords") or []
        out["services"].append(row)
        _links(out["service_counties"], "service_id", row["id"], "county", row["counties"])
    # Columns a bundle may leave out entirely still need a value in every row.
    for table in INSERT_ORDER:
        names = [c.name for c in table.columns]
        out[table.name] = [{n: row.get(n) for n in names} for row in out[table.name]]
    return out

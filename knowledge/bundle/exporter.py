"""Writes the catalogue back out as a bundle that imports to the same catalogue."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

from sqlalchemy import select
from sqlalchemy.engine import Engine

from knowledge import models as m
from knowledge.bundle.spec import FILES


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, (Decimal, float)):
        number = Decimal(str(value)).normalize()
        return f"{number:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _grouped(conn, table, owner: str, value: str) -> Dict[Any, List[Any]]:
    out: Dict[Any, List[Any]] = {}
    rows = conn.execute(select(table).order_by(table.c[owner], table.c.position))
    for row in rows.mappings():
        out.setdefault(row[owner], []).append(row[value])
    return out


def export_bundle(engine: Engine, folder: Path | str) -> Dict[str, int]:
    """Writes the seven files into `folder` (created if needed); returns rows per file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with engine.connect() as conn:
        occupations = _grouped(conn, m.program_occupations, "program_id", "soc")
        credentials = _grouped(conn, m.program_credentials, "program_id", "credential_id")
        stacks = _grouped(conn, m.credential_stacks, "credential_id", "stacks_to_id")
        step_programs = _grouped(conn, m.step_programs, "step_id", "program_id")

        def rows(table, *order) -> List[Dict[str, Any]]:
            result = conn.execute(select(table).order_by(*(table.c[o] for o in order)))
            return [dict(r) for r in result.mappings()]

        data = {
            "providers.csv": rows(m.Provider.__table__, "id"),
            "programs.csv": [
                {**r, "occupations": occupations.get(r["id"], []),
                 "credentials": credentials.get(r["id"], [])}
                for r in rows(m.Program.__table__, "id")
            ],
            "credentials.csv": [{**r, "stacks_to": stacks.get(r["id"], [])}
                                for r in rows(m.Credential.__table__, "id")],
            "occupations.csv": rows(m.Occupation.__table__, "soc"),
            "pathways.csv": rows(m.Pathway.__table__, "id"),
            "pathway_steps.csv": [
                {**r, "occupation": r["occupation_soc"],
                 "program_ids": step_programs.get(r["id"], [])}
                for r in rows(m.PathwayStep.__table__, "pathway_id", "step")
            ],
            "services.csv": rows(m.Service.__table__, "id"),
        }
    for name, records in data.items():
        columns = [c.name for c in FILES[name]]
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for record in records:
                writer.writerow([_cell(record.get(c)) for c in columns])
    return {name: len(records) for name, records in data.items()}

"""Writes the catalogue back out as a bundle that imports to the same catalogue.

One exception, for safety: a text cell that starts like a spreadsheet formula ("=", "+",
"-", "@") is written with a leading apostrophe so a spreadsheet shows it as text
instead of running it (see knowledge/bundle/formulas.py). Console uploads refuse such
cells, so only a catalogue imported from the command line can hold one.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

from sqlalchemy import select
from sqlalchemy.engine import Engine

from knowledge import models as m
from knowledge.bundle.archive import Packed, pack_bundle
from knowledge.bundle.formulas import neutralise
from knowledge.bundle.spec import FILES

Cells = Dict[str, List[Dict[str, str]]]  # file -> its rows, column -> the cell's text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, (Decimal, float)):
        number = Decimal(str(value)).normalize()
        return f"{number if number else Decimal(0):f}"  # never "-0"
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
    cells = catalogue_cells(engine)
    for name, records in cells.items():
        columns = [c.name for c in FILES[name]]
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for record in records:
                writer.writerow([neutralise(record[c]) for c in columns])
    return {name: len(records) for name, records in cells.items()}


def catalogue_cells(engine: Engine) -> Cells:
    """The catalogue as the cells of its bundle, in export order (also what a preview
    compares: two catalogues differ exactly where these cells do)."""
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
    return {name: [{c.name: _cell(record.get(c.name)) for c in FILES[name]}
                   for record in records]
            for name, records in data.items()}


def export_zip(engine: Engine) -> Packed:
    """The catalogue as a bundle zip (what the console's download sends)."""
    with tempfile.TemporaryDirectory(prefix="bundle-export-") as scratch:
        export_bundle(engine, scratch)
        return pack_bundle(scratch)

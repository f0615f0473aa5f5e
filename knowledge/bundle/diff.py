"""What importing a bundle would change, file by file: rows added, changed (cell by cell)
and removed.

Both sides are compared as the exporter writes them, so a difference in spelling only
("yes" for "true", "$1,250" for "1250", "31-9097.00" for "31-9097", a reordered column)
is no change, and empty cells the importer fills ("in_person", "en") compare as filled.
The new side is the bundle imported into a scratch SQLite database by the importer
itself: the preview shows what the import will store, not a second reading of the files.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

from sqlalchemy.engine import Engine

from knowledge import models as m
from knowledge.bundle.exporter import Cells, catalogue_cells
from knowledge.bundle.importer import replace_catalogue, rows_for_tables
from knowledge.bundle.spec import FILES, KEYS
from knowledge.bundle.validate import check_bundle
from knowledge.db import make_engine

STEP_KEY = ("pathway_id", "step")  # a ladder step is named by its ladder and number
LABELS = ("title", "name", "occupation")  # what a person calls a row, first found


@dataclass
class RowChange:
    key: str
    label: str
    cells: List[Tuple[str, str, str]] = field(default_factory=list)  # column, old, new


@dataclass
class FileChanges:
    file: str
    added: List[RowChange] = field(default_factory=list)
    changed: List[RowChange] = field(default_factory=list)
    removed: List[RowChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def preview(engine: Engine, folder: Path | str) -> List[FileChanges]:
    """What importing the (valid) bundle in `folder` would change in `engine`'s catalogue."""
    return compare(catalogue_cells(engine), bundle_cells(folder))


def bundle_cells(folder: Path | str) -> Cells:
    """The bundle's cells as the catalogue would hold them after importing it; raises
    BundleInvalid as the importer does."""
    rows = rows_for_tables(check_bundle(folder))
    with tempfile.TemporaryDirectory(prefix="bundle-preview-") as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'preview.db'}")
        try:
            m.metadata.create_all(engine)
            with engine.begin() as conn:
                replace_catalogue(conn, rows)
            return catalogue_cells(engine)
        finally:
            engine.dispose()


def compare(old: Cells, new: Cells) -> List[FileChanges]:
    return [_compare_file(name, old.get(name, []), new.get(name, [])) for name in FILES]


def _key_columns(file: str) -> Tuple[str, ...]:
    return STEP_KEY if file == "pathway_steps.csv" else (KEYS[file],)


def _compare_file(file: str, old_rows: List[Dict[str, str]],
                  new_rows: List[Dict[str, str]]) -> FileChanges:
    columns = [c.name for c in FILES[file]]
    keys = _key_columns(file)
    old = {tuple(r[k] for k in keys): r for r in old_rows}
    new = {tuple(r[k] for k in keys): r for r in new_rows}
    changes = FileChanges(file)
    for key, row in new.items():
        before = old.get(key)
        if before is None:
            changes.added.append(RowChange(_key_text(key), _label(row)))
            continue
        cells = [(c, before.get(c, ""), row.get(c, "")) for c in columns
                 if before.get(c, "") != row.get(c, "")]
        if cells:
            changes.changed.append(RowChange(_key_text(key), _label(row), cells))
        else:
            changes.unchanged += 1
    changes.removed = [RowChange(_key_text(key), _label(row))
                       for key, row in old.items() if key not in new]
    return changes


def _key_text(key: Tuple[str, ...]) -> str:
    return key[0] if len(key) == 1 else f"{key[0]}, step {key[1]}"


def _label(row: Dict[str, str]) -> str:
    return next((row[c] for c in LABELS if row.get(c)), "")

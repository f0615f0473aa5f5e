"""Checks a whole bundle and reports every problem: cells, duplicates, references."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Optional

from sqlalchemy import Integer, Numeric, String

from knowledge import models as m
from knowledge.bundle.cells import did_you_mean, parse_item, split_list
from knowledge.bundle.problems import ERROR, WARNING, BundleInvalid, Problem
from knowledge.bundle.reader import RawFile, read_csv
from knowledge.bundle.spec import FILES, KEYS, Column

Record = Dict[str, Any]  # column -> parsed value, plus "_line"

# The table each file fills, so a cell too big for its database column is reported here
# rather than failing the import (PostgreSQL) or being stored anyway (SQLite).
TABLES = {
    "providers.csv": m.Provider.__table__,
    "programs.csv": m.Program.__table__,
    "credentials.csv": m.Credential.__table__,
    "occupations.csv": m.Occupation.__table__,
    "pathways.csv": m.Pathway.__table__,
    "pathway_steps.csv": m.PathwayStep.__table__,
    "services.csv": m.Service.__table__,
}
INTEGER_MAX = 2**31 - 1  # PostgreSQL's integer


@dataclass
class Bundle:
    folder: Path
    records: Dict[str, List[Record]]
    problems: List[Problem] = field(default_factory=list)  # warnings only, once valid

    @property
    def warnings(self) -> List[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def counts(self) -> Dict[str, int]:
        return {name.removesuffix(".csv"): len(rows) for name, rows in self.records.items()}


def check_bundle(folder: Path | str) -> Bundle:
    """Returns the parsed bundle, or raises BundleInvalid listing every error."""
    folder = Path(folder)
    problems: List[Problem] = []
    if not folder.is_dir():
        raise BundleInvalid([Problem(str(folder), 0, "-", "is not a folder")])
    records: Dict[str, List[Record]] = {}
    for name, columns in FILES.items():
        path = folder / name
        if not path.is_file():
            problems.append(Problem(name, 1, "-", "is missing: a bundle has all seven files "
                                    "(a file may hold only its header row)"))
            records[name] = []
            continue
        raw = read_csv(path, problems)
        records[name] = _parse_rows(raw, columns, problems) if raw else []
    for extra in sorted(p.name for p in folder.glob("*.csv") if p.name not in FILES):
        problems.append(Problem(extra, 1, "-", "is not part of the bundle format; ignored",
                                WARNING))
    _check_unique(records, problems)
    _check_references(records, problems)
    problems.sort(key=bundle_order)
    if any(p.severity == ERROR for p in problems):
        raise BundleInvalid(problems)
    return Bundle(folder, records, problems)


def bundle_order(problem: Problem) -> tuple:
    """Problems listed file by file in format order, then line by line."""
    files = list(FILES)
    return (files.index(problem.file) if problem.file in files else 99, problem.line,
            problem.column)


def _parse_rows(raw: RawFile, columns: tuple, problems: List[Problem]) -> List[Record]:
    known = {c.name for c in columns}
    for name in raw.header:
        if name and name not in known:
            problems.append(Problem(raw.name, 1, name, "unknown column; ignored", WARNING))
    present = [c for c in columns if c.name in raw.header]
    for column in columns:
        if column.required and column.name not in raw.header:
            problems.append(Problem(raw.name, 1, column.name, "required column is missing"))
    parsed: List[Record] = []
    for row in raw.rows:
        record: Record = {"_line": row.line}
        for column in present:
            record[column.name] = _parse_cell(raw.name, row.line, column,
                                              row.cells[column.name], problems)
        parsed.append(record)
    return parsed


def _parse_cell(file: str, line: int, column: Column, text: str,
                problems: List[Problem]) -> Any:
    if not text:
        if column.required:
            problems.append(Problem(file, line, column.name, "is required but empty"))
        return [] if column.is_list else None
    if not column.is_list:
        value, error = parse_item(column, text)
        error = error or _too_big(file, column, text, value)
        if error:
            problems.append(Problem(file, line, column.name, error))
        return value
    values = []
    items = split_list(text)
    for item in items:
        value, error = parse_item(column, item)
        if error:
            problems.append(Problem(file, line, column.name, error))
        elif value not in values:
            values.append(value)
    if "*" in values and len(values) > 1:
        problems.append(Problem(file, line, column.name,
                                "'*' (statewide) must stand alone, without county names"))
    return values


def _too_big(file: str, column: Column, text: str, value: Any) -> Optional[str]:
    db_column = TABLES[file].c.get(column.name) if file in TABLES else None
    kind = db_column.type if db_column is not None else None
    if isinstance(kind, String) and kind.length and len(str(value)) > kind.length:
        return f"is {len(str(value))} characters long; at most {kind.length} fit"
    if isinstance(kind, Integer) and value > INTEGER_MAX:
        return f"'{text}' is too large (at most {INTEGER_MAX})"
    if isinstance(kind, Numeric) and kind.precision and kind.scale is not None:
        limit = Decimal(10) ** (kind.precision - kind.scale)
        if value >= limit:
            return f"'{text}' is too large (it must be under {limit:,f})"
    return None


def _check_unique(records: Dict[str, List[Record]], problems: List[Problem]) -> None:
    for name, key in KEYS.items():
        first: Dict[Any, int] = {}
        for record in records[name]:
            value = record.get(key)
            if value is None:
                continue
            if value in first:
                problems.append(Problem(name, record["_line"], key,
                                        f"duplicate '{value}' (first on line {first[value]})"))
            else:
                first[value] = record["_line"]
    steps: Dict[Any, int] = {}
    for record in records["pathway_steps.csv"]:
        step = record.get("step")
        if step is not None and step < 1:
            problems.append(Problem("pathway_steps.csv", record["_line"], "step",
                                    "must be 1 or more"))
        pair = (record.get("pathway_id"), step)
        if None in pair:
            continue
        if pair in steps:
            problems.append(Problem("pathway_steps.csv", record["_line"], "step",
                                    f"step {step} of '{pair[0]}' is already on line "
                                    f"{steps[pair]}"))
        else:
            steps[pair] = record["_line"]


def _check_references(records: Dict[str, List[Record]], problems: List[Problem]) -> None:
    ids = {name: {r.get(key) for r in records[name]} - {None} for name, key in KEYS.items()}
    for name, columns in FILES.items():
        for column in columns:
            if column.ref is None:
                continue
            targets = ids[column.ref]
            for record in records[name]:
                value = record.get(column.name)
                for item in (value if column.is_list else [value]) if value else []:
                    if item not in targets:
                        problems.append(Problem(
                            name, record["_line"], column.name,
                            f"'{item}' is not in {column.ref}"
                            + did_you_mean(str(item), sorted(map(str, targets))),
                        ))

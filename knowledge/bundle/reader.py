"""Reads a bundle's CSV files the way spreadsheets save them.

Tolerates a byte-order mark, CRLF, spaces around values, trailing empty rows and any
column order. Every row keeps the physical line it starts on, for error messages.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

from knowledge.bundle.problems import WARNING, Problem


@dataclass
class RawFile:
    name: str
    header: List[str]
    rows: List[RawRow] = field(default_factory=list)


@dataclass
class RawRow:
    line: int
    cells: Dict[str, str]


def read_csv(path: Path, problems: List[Problem]) -> RawFile | None:
    name = path.name
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(Problem(name, line, "-", "is not UTF-8 text (save it as CSV UTF-8)"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        problems.append(Problem(name, 1, "-", f"cannot read the header: {error}"))
        return None
    if header is None:
        problems.append(Problem(name, 1, "-", "is empty: it needs at least the header row"))
        return None
    header = [h.strip().lstrip("\ufeff") for h in header]
    raw = RawFile(name, header)
    seen = set()
    for index, column in enumerate(header):
        if column in seen:
            problems.append(Problem(name, 1, column, "appears twice in the header"))
        seen.add(column)
        if not column and any(header[index + 1 :]):
            problems.append(Problem(name, 1, f"column {index + 1}", "has no name", WARNING))
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(Problem(name, start, "-", f"cannot be read: {error}"))
            break
        if any(c.strip() for c in cells):
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                problems.append(Problem(
                    name, start, "-", f"has {len(cells)} cells but the header has {len(header)}"
                ))
            row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
            raw.rows.append(RawRow(start, row))
        start = reader.line_num + 1
    return raw

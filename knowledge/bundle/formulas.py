"""Spreadsheet formulas in CSV cells ("CSV injection").

A cell such as `=HYPERLINK("http://evil.example","Click")` is plain text to the bot, but
a spreadsheet runs it as a formula when staff open an export. Uploads in the console
refuse text cells that start like a formula; exports neutralise any that reached the
catalogue another way (the command line accepts them) with a leading apostrophe, which
spreadsheets read as "this is text".

Only text columns are checked: every other kind (ids, numbers, dates, yes/no, codes,
references) is parsed, and a value starting with one of these characters is already
refused by the validator (a negative number among them: the format has none) or stored
as a number, never as the text typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

from knowledge.bundle.cells import split_list
from knowledge.bundle.problems import Problem
from knowledge.bundle.reader import read_csv
from knowledge.bundle.spec import FILES

# What makes Excel, LibreOffice or Google Sheets treat a cell as a formula. Tab and
# carriage return count too: some spreadsheets drop them and read on.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text[:1] in FORMULA_STARTS if text else False


def neutralise(text: str) -> str:
    """The cell as export writes it: a formula-like start is kept as text."""
    return "'" + text if looks_like_formula(text) else text


def formula_cells(folder: Path) -> List[Problem]:
    """Every text cell (or list item) of the bundle in `folder` that starts like a formula.

    Files the reader cannot read are left to the validator, which reports them."""
    problems: List[Problem] = []
    for name, columns in FILES.items():
        path = Path(folder) / name
        if not path.is_file():
            continue
        raw = read_csv(path, [])
        if raw is None:
            continue
        text_columns = [c for c in columns if c.kind == "text" and c.name in raw.header]
        for row in raw.rows:
            for column in text_columns:
                cell = row.cells[column.name]
                items = [cell, *(split_list(cell) if column.is_list else [])]
                first = next((item for item in items if looks_like_formula(item)), None)
                if first is not None:
                    problems.append(Problem(
                        name, row.line, column.name,
                        f"'{_shown(first)}' starts with '{first[0]}', so a spreadsheet would "
                        "run it as a formula: begin it with a letter or a digit instead"))
    return problems


def _shown(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"

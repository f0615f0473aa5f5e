"""Turns one cell's text into a value, or says in plain words what is wrong with it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Optional, Tuple

from rapidfuzz import process

from knowledge.bundle.spec import ISO_639_1, Column
from knowledge.oregon import OREGON_COUNTIES

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SOC_RE = re.compile(r"^(\d{2}-\d{4})(?:\.\d{2})?$")
ZIP_RE = re.compile(r"^\d{5}$")
TRUE = {"true", "yes", "1"}
FALSE = {"false", "no", "0"}
COUNTY_BY_LOWER = {c.lower(): c for c in OREGON_COUNTIES}

Parsed = Tuple[Any, Optional[str]]  # (value, error message)


def did_you_mean(value: str, options, cutoff: float = 70) -> str:
    match = process.extractOne(value, list(options), score_cutoff=cutoff)
    return f" (did you mean '{match[0]}'?)" if match else ""


def normalise_soc(text: str) -> Optional[str]:
    found = SOC_RE.match(text)
    return found.group(1) if found else None


def parse_item(column: Column, text: str) -> Parsed:
    kind = column.kind
    if kind in ("text", "ref"):
        return text, None
    if kind == "id":
        if ID_RE.match(text):
            return text, None
        return None, f"'{text}' is not a valid id (lowercase letters, digits and '-')"
    if kind == "enum":
        if text in column.choices:
            return text, None
        lowered = text.lower().replace(" ", "_").replace("-", "_")
        if lowered in column.choices:
            return lowered, None
        return None, f"'{text}' is not one of: {', '.join(column.choices)}" + did_you_mean(
            text, column.choices
        )
    if kind == "bool":
        if text.lower() in TRUE:
            return True, None
        if text.lower() in FALSE:
            return False, None
        return None, f"'{text}' is not a yes/no value (use true/false, yes/no or 1/0)"
    if kind == "date":
        try:
            return dt.date.fromisoformat(text), None
        except ValueError:
            return None, f"'{text}' is not a date written YYYY-MM-DD"
    if kind == "int":
        if text.isascii() and text.isdigit():  # not "²", which isdigit() but int() refuses
            return int(text), None
        return None, f"'{text}' is not a whole number"
    if kind == "number":
        cleaned = text.replace(",", "").removeprefix("$").strip()
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            return None, f"'{text}' is not a number"
        if not number.is_finite() or number < 0:
            return None, f"'{text}' must be a number of 0 or more"
        return number, None
    if kind == "zip":
        if ZIP_RE.match(text):
            return text, None
        return None, f"'{text}' is not a 5-digit ZIP code"
    if kind == "soc":
        soc = normalise_soc(text)
        if soc:
            return soc, None
        return None, f"'{text}' is not a SOC code like 31-9097 or 31-9097.00"
    if kind == "lang":
        if text.lower() in ISO_639_1:
            return text.lower(), None
        return None, f"'{text}' is not an ISO 639-1 language code (like en, es)"
    if kind == "county":
        if text == "*" and column.statewide_ok:
            return "*", None
        name = text.removesuffix(" County").removesuffix(" county").strip()
        if name.lower() in COUNTY_BY_LOWER:
            return COUNTY_BY_LOWER[name.lower()], None
        return None, f"'{text}' is not an Oregon county" + did_you_mean(name, OREGON_COUNTIES)
    raise ValueError(f"unknown column kind {kind}")


def split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]

"""The message catalogue: the domain's responses, one variation per language.

The Spanish variation of an entry is the one under `condition: language = es`, the
English one is unconditioned. Rasa utters `utter_*` entries itself; the actions
(`actions/wording.py`) and the channels (the SMS menu line, STOP and HELP answers)
render entries here. Why this and not gettext: docs/wording.md.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Dict

import yaml

from bot.settings import ROOT

LANGUAGE_SLOT = "language"
LANGUAGES = ("en", "es")
DEFAULT = "en"
DOMAIN = ROOT / "domain.yml"


@cache
def catalogue() -> Dict[str, Dict[str, Dict[str, Any]]]:
    """Entry name → language → its variation (text, buttons), read once from the domain."""
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8")).get("responses") or {}
    found: Dict[str, Dict[str, Dict[str, Any]]] = {}
    for name, variations in responses.items():
        for variation in variations:
            found.setdefault(name, {}).setdefault(_language(variation), variation)
    return found


def _language(variation: Dict[str, Any]) -> str:
    for condition in variation.get("condition") or []:
        if condition.get("name") == LANGUAGE_SLOT:
            return str(condition.get("value"))
    return DEFAULT


def known(language: Any) -> str:
    return language if language in LANGUAGES else DEFAULT


def say_in(language: Any, name: str, /, **facts: Any) -> str:
    """Entry `name` in `language` (English when it has no such variation), facts filled.

    A missing entry or placeholder is a bug in the catalogue, so it raises; tests walk
    every entry in both languages.
    """
    entry = catalogue()[name]
    variation = entry.get(known(language)) or entry[DEFAULT]
    return str(variation.get("text") or "").format(**facts)

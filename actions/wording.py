"""Every sentence the actions say, from the message catalogue of the learner's language.

The catalogue is the domain's responses (`domain.yml`): one variation per language, the
Spanish one under `condition: language = es`, the English one unconditioned. Rasa uses
them for the responses it utters itself; the actions render the same entries here when
they compose a reply from several pieces (a list of programs, a wage line). Entries the
actions render are named `say_*` (not `utter_*`, which Rasa treats as actions).

Facts from the knowledge base fill the entries' `{placeholders}`; they are never joined
into sentences in Python. Why domain responses and not gettext: see
docs/wording.md.
"""

from __future__ import annotations

import string
from functools import cache
from typing import Any, Dict, List, Optional

import yaml
from rasa_sdk import Tracker

from bot.settings import ROOT

LANGUAGE_SLOT = "language"
LANGUAGES = ("en", "es")
DEFAULT = "en"
DOMAIN = ROOT / "domain.yml"


@cache
def catalogue() -> Dict[str, Dict[str, str]]:
    """Response name → language → text, read once from the domain."""
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8")).get("responses") or {}
    found: Dict[str, Dict[str, str]] = {}
    for name, variations in responses.items():
        for variation in variations:
            found.setdefault(name, {})[_language(variation)] = variation.get("text") or ""
    return found


def _language(variation: Dict[str, Any]) -> str:
    for condition in variation.get("condition") or []:
        if condition.get("name") == LANGUAGE_SLOT:
            return str(condition.get("value"))
    return DEFAULT


def language(tracker: Optional[Tracker]) -> str:
    value = tracker.get_slot(LANGUAGE_SLOT) if tracker is not None else None
    return value if value in LANGUAGES else DEFAULT


def placeholders(text: str) -> List[str]:
    return [field for _, field, _, _ in string.Formatter().parse(text) if field]


def say(tracker: Optional[Tracker], name: str, **facts: Any) -> str:
    """The catalogue entry `name` in the learner's language, facts filled in.

    A missing entry or placeholder is a bug in the catalogue, so it raises: tests walk
    every entry in both languages.
    """
    entry = catalogue()[name]
    text = entry.get(language(tracker)) or entry[DEFAULT]
    return text.format(**facts)


def say_in(lang: str, name: str, **facts: Any) -> str:
    """The entry in a given language, for replies that are not to a tracker."""
    entry = catalogue()[name]
    return (entry.get(lang) or entry[DEFAULT]).format(**facts)

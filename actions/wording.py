"""Every sentence the actions say, from the message catalogue of the learner's language.

The catalogue is the domain's responses (see `bot/wording.py`). The actions render
entries named `say_*` (not `utter_*`, which Rasa treats as actions) when they compose a
reply from several pieces (a list of programs, a wage line); facts from the knowledge
base fill the entries' `{placeholders}` and are never joined into sentences in Python.
"""

from __future__ import annotations

from typing import Any, List, Optional

from rasa_sdk import Tracker

from bot.wording import LANGUAGE_SLOT, known, say_in


def language(tracker: Optional[Tracker]) -> str:
    return known(tracker.get_slot(LANGUAGE_SLOT) if tracker is not None else None)


def say(tracker: Optional[Tracker], name: str, /, **facts: Any) -> str:
    """The catalogue entry `name` in the learner's language, facts filled in."""
    return say_in(language(tracker), name, **facts)


def catalogue_text(tracker: Optional[Tracker], row: Any, field: str) -> str:
    """A text of the catalogue (a description, how to apply) in the learner's language:
    the row's Spanish column when it has one (bundle v1.1 `*_es`), else the English text,
    framed in Spanish so the learner knows why it is in English."""
    english = getattr(row, field, None) or ""
    if language(tracker) != "es" or not english:
        return english
    spanish = getattr(row, f"{field}_es", None)
    return spanish or say(tracker, "say_catalogue_in_english", text=english)


def catalogue_name(tracker: Optional[Tracker], row: Any, field: str) -> str:
    """A name (program title, service name) in the learner's language when the row has
    it; otherwise the name as the provider writes it."""
    spanish = getattr(row, f"{field}_es", None) if language(tracker) == "es" else None
    return spanish or getattr(row, field, None) or ""


def catalogue_names(tracker: Optional[Tracker], row: Any, field: str) -> List[str]:
    """A list of names (a program's credentials) in the learner's language, item by item:
    each name's Spanish form where the catalogue has one."""
    names = list(getattr(row, field, None) or [])
    if language(tracker) != "es":
        return names
    spanish = list(getattr(row, f"{field}_es", None) or [])
    return [(spanish[i] if i < len(spanish) and spanish[i] else name)
            for i, name in enumerate(names)]

"""Journey 6 as a fallback: a term named where no program is in view gets explained.

"do i gotta get the ged first", "now the ielce one": the learner asks about a term, not
about a program on screen. The explanation is the domain's own FAQ response.
"""

from __future__ import annotations

import re
from typing import Optional

from rasa_sdk.executor import CollectingDispatcher

# Checked in order: "ielce" before "iet", "esl" before "english".
_TERMS = (
    ("utter_faq/what_is_ielce", r"\bielce\b"),
    ("utter_faq/what_is_iet", r"\biet\b|integrated education"),
    ("utter_faq/what_is_ged", r"\bged\b|high school (diploma|equivalen)|finish(ed)? high "
                              r"school|\bprepa(ratoria)?\b"),
    ("utter_faq/what_is_esl", r"\besl\b|english (class|classes|lessons)|clases de ingles"),
    ("utter_faq/what_is_career_pathway", r"\b(career )?path ?ways?\b|\bladder\b"),
)
_COMPILED = tuple((response, re.compile(pattern, re.I)) for response, pattern in _TERMS)


def term_named(text: Optional[str]) -> Optional[str]:
    """The FAQ response for the first term the text names, or None."""
    return next((response for response, pattern in _COMPILED if pattern.search(text or "")),
                None)


def explain_named_term(dispatcher: CollectingDispatcher, text: Optional[str]) -> bool:
    """Explains a term the text names; False when it names none."""
    response = term_named(text)
    if response is None:
        return False
    dispatcher.utter_message(response=response)
    return True

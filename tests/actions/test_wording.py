"""Replies follow the learner's language, and so does the catalogue's own text."""

from __future__ import annotations

from types import SimpleNamespace

from actions.wording import catalogue_name, catalogue_names, catalogue_text, say
from tests.actions.run_action import tracker

SPANISH = tracker({"language": "es"})
ENGLISH = tracker({"language": "en"})
ROW = SimpleNamespace(title="Welding Career Pathway", title_es="Soldadura (Welding)",
                      description="Learn to weld.", description_es=None,
                      cost_notes="WIOA may pay.", cost_notes_es="WIOA puede pagar.",
                      credentials=["AWS D1.1", "OSHA 10"], credentials_es=[None, "OSHA 10 (es)"])


def test_a_catalogue_entry_is_said_in_the_learners_language():
    assert say(ENGLISH, "say_pay_year", year="$39,000") == "$39,000 a year"
    assert say(SPANISH, "say_pay_year", year="$39,000") == "$39,000 al año"
    assert say(None, "say_pay_year", year="$1") == "$1 a year"  # no tracker: English


def test_a_rows_spanish_text_is_used_and_english_is_framed_when_it_has_none():
    assert catalogue_text(SPANISH, ROW, "cost_notes") == "WIOA puede pagar."
    framed = catalogue_text(SPANISH, ROW, "description")
    assert framed.endswith("Learn to weld.") and "(en inglés)" in framed
    assert catalogue_text(ENGLISH, ROW, "description") == "Learn to weld."
    assert catalogue_name(SPANISH, ROW, "title") == "Soldadura (Welding)"
    assert catalogue_name(ENGLISH, ROW, "title") == "Welding Career Pathway"
    assert catalogue_names(SPANISH, ROW, "credentials") == ["AWS D1.1", "OSHA 10 (es)"]

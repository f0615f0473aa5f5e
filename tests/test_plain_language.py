"""Every entry of the message catalogue reads easily, in both languages, with sample
facts filled in: English at Flesch-Kincaid grade 6 or below, Spanish at Fernández-Huerta
reading ease 70 or above ("fairly easy" and easier).

Names of programs and credentials are excluded from the measure: "Integrated Education
and Training" is a name a learner needs to see, not a sentence to simplify.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat
import yaml

ROOT = Path(__file__).resolve().parent.parent
MAX_GRADE = 6
MIN_SPANISH_EASE = 70
NAMES = ("Integrated Education and Training",)
FIELD = re.compile(r"{(\w+)}")
# A sample fact per placeholder; anything not listed reads as a short place name.
SAMPLES = {"count": "3", "number": "2", "numbers": "1, 2", "last": "3", "year": "$39,000",
           "hour": "$18.75", "phone": "503-555-0100", "code": "4NWAWW", "pay": "$39,000"}


def readable_text(text: str) -> str:
    for name in NAMES:
        text = text.replace(name, "It")
    # A placeholder right after another is an optional piece (" near Salem"): left empty.
    text = re.sub(r"(?<=})({\w+})+", "", text)
    return FIELD.sub(lambda m: SAMPLES.get(m.group(1), "Salem"), text)


def variations(language: str):
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for name, variants in domain["responses"].items():
        for variant in variants:
            spanish = any(c.get("name") == "language" and c.get("value") == "es"
                          for c in variant.get("condition") or [])
            # Fragments ("{year} a year", "a navigator is working on it.") are measured
            # in the sentences they end up in.
            text = variant["text"]
            sentence = len(text.split()) >= 5 and not text[:1].islower()
            if spanish == (language == "es") and sentence:
                yield pytest.param(variant["text"], id=name)


@pytest.mark.parametrize("text", variations("en"))
def test_english_reads_at_grade_six_or_below(text):
    grade = textstat.flesch_kincaid_grade(readable_text(text))
    assert grade <= MAX_GRADE, f"grade {grade}: {text}"


@pytest.mark.parametrize("text", variations("es"))
def test_spanish_reads_fairly_easy_or_easier(text):
    textstat.set_lang("es")
    try:
        ease = textstat.fernandez_huerta(readable_text(text))
    finally:
        textstat.set_lang("en_US")
    assert ease >= MIN_SPANISH_EASE, f"Fernández-Huerta {ease}: {text}"

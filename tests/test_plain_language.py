"""Every response the bot can send reads at grade 6 or below (Flesch-Kincaid).

Names of programs and credentials are excluded from the measure: "Integrated Education
and Training" is a name a learner needs to see, not a sentence to simplify.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import textstat
import yaml

ROOT = Path(__file__).resolve().parent.parent
MAX_GRADE = 6
NAMES = ("Integrated Education and Training",)


def readable_text(text: str) -> str:
    for name in NAMES:
        text = text.replace(name, "It")
    return text


def domain_responses():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    for name, variants in domain["responses"].items():
        for variant in variants:
            yield pytest.param(variant["text"], id=name)


@pytest.mark.parametrize("text", domain_responses())
def test_response_reads_at_grade_six_or_below(text):
    grade = textstat.flesch_kincaid_grade(readable_text(text))
    assert grade <= MAX_GRADE, f"grade {grade}: {text}"

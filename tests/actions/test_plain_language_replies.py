"""Replies the actions build from the sample Oregon bundle read at grade 6 or below.

The real actions run against the sample catalogue (a SQLite copy): every program's
details and follow-ups, searches for every occupation in towns across the state,
services of each kind in city and rural counties, every ladder, wage and credential.
Names (programs, credentials, jobs, colleges, services, places) are excluded from the
measure, as in tests/test_plain_language.py: a learner needs to see them as they are.
"""

from __future__ import annotations

import re
from typing import List

import pytest
import textstat

from actions import pathways, programs, services
from bot.prepare import SAMPLE_BUNDLE
from knowledge.bundle import check_bundle
from tests.actions.run_action import replies
from tests.test_plain_language import MAX_GRADE

TOWNS = ["Salem", "Bend", "Ontario", "Astoria"]
COUNTIES = ["Marion", "Wallowa", "Multnomah", "Coos"]
CATEGORIES = ["transportation", "childcare", "disability", "basic_needs", "financial", "health"]


@pytest.fixture(scope="module")
def bundle():
    return check_bundle(SAMPLE_BUNDLE).records


@pytest.fixture(scope="module")
def names(bundle) -> List[str]:
    found = set()
    for file, columns in {
        "programs.csv": ("title",), "credentials.csv": ("name", "issuer"),
        "occupations.csv": ("title",), "providers.csv": ("name", "city"),
        "services.csv": ("name", "organization"), "pathways.csv": ("title",),
    }.items():
        for record in bundle[file]:
            found.update(record[c] for c in columns if record.get(c))
    for record in bundle["programs.csv"]:
        if record.get("campus_city"):
            found.add(record["campus_city"])
    found.update(TOWNS)
    found.update(f"{c} County" for c in COUNTIES)
    return sorted(found, key=len, reverse=True)


def readable(text: str, names: List[str]) -> str:
    for name in names:
        text = text.replace(name, "It")
    # A list line ("2. ...") is a sentence of its own.
    return re.sub(r"(?m)^\d+\. ", "", text)


async def all_replies(bundle) -> List[str]:
    texts: List[str] = []
    for program in bundle["programs.csv"]:
        slots = {"program_results": [program["id"]], "selected_program": program["id"]}
        texts += await replies(programs.ActionShowProgram(), slots, intent="choose_option",
                               entities=[{"entity": "number", "value": "1"}])
        for intent in ("ask_cost", "ask_schedule"):
            texts += await replies(programs.ActionAnswerProgramQuestion(), slots, intent=intent)
    for occupation in bundle["occupations.csv"]:
        for town in TOWNS:
            texts += await replies(programs.ActionSearchPrograms(),
                                   {"interest": occupation["soc"], "place": town})
        entity = [{"entity": "occupation", "value": occupation["soc"]}]
        texts += await replies(pathways.ActionShowPathway(), {}, entities=entity)
        texts += await replies(pathways.ActionShowWages(), {}, entities=entity)
    for credential in bundle["credentials.csv"]:
        texts += await replies(pathways.ActionShowCredential(), {},
                               entities=[{"entity": "credential", "value": credential["id"]}])
    for category in CATEGORIES:
        for county in COUNTIES:
            texts += await replies(services.ActionSearchServices(),
                                   {"service_category": category, "county": county})
    return texts


async def test_every_generated_reply_reads_at_grade_six_or_below(
    sample_catalogue, bundle, names
):
    texts = await all_replies(bundle)
    # Every action above answered with one message.
    assert len(texts) == (3 * len(bundle["programs.csv"])
                          + (len(TOWNS) + 2) * len(bundle["occupations.csv"])
                          + len(bundle["credentials.csv"]) + len(CATEGORIES) * len(COUNTIES))
    hard = []
    for text in set(texts):
        grade = textstat.flesch_kincaid_grade(readable(text, names))
        if grade > MAX_GRADE:
            hard.append(f"grade {grade}: {text}")
    assert not hard, "\n\n".join(hard)

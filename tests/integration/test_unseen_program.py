"""A program added to the knowledge base is understood without retraining or restarting.

The running navigator's catalogue is exported, a program with words the model never saw
in training is added, the bundle is imported with the real CLI, and a learner asks for
it by name. The entity matcher reloads its patterns from the database while running.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
import uuid

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.integration

TITLE = "Wind Turbine Technician Bootcamp"
NEW_PROGRAM = {
    "id": "cgcc-wind-turbine",
    "provider_id": "cgcc",
    "title": TITLE,
    "sector": "energy",
    "iet": "true",
    "description": "Learn to climb, fix and care for wind turbines.",
    "schedule": "day",
    "cost_usd": "2500",
    "source": "sample",
}


def knowledge_cli(*args: str, database_url: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "knowledge", "--database", database_url, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def add_program(folder) -> None:
    path = folder / "programs.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    with path.open("a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, header).writerow(NEW_PROGRAM)


def replies(navigator, message: str) -> str:
    sender = f"unseen-{uuid.uuid4()}"
    text = "\n".join(r.get("text", "") for r in navigator.say(sender, message))
    if "Where do you live" in text:
        text += "\n".join(r.get("text", "") for r in navigator.say(sender, "The Dalles"))
    return text


def test_a_new_program_is_found_by_name_without_retraining(navigator, tmp_path):
    question = f"tell me about the {TITLE.lower()}"
    assert TITLE not in replies(navigator, question)

    knowledge_cli("export", str(tmp_path), database_url=navigator.database_url)
    add_program(tmp_path)
    assert "Imported" in knowledge_cli("import", str(tmp_path),
                                       database_url=navigator.database_url)

    # The matcher checks the database at most every 30 s, in the background.
    deadline = time.monotonic() + 120
    while True:
        answer = replies(navigator, question)
        if TITLE in answer:
            break
        assert time.monotonic() < deadline, f"never recognised the new program:\n{answer}"
        time.sleep(5)
    assert "Columbia Gorge Community College" in answer

"""The acceptance evaluation stays honest: its catalogue and its scenarios are unseen.

- The eval bundle is a valid bundle whose invented names appear nowhere the model or the
  code could have learned them (the Oregon sample, the training data, the code).
- No scenario message is, or nearly is, a training example; so a fix that copies a
  failing scenario into data/ fails here instead of inflating `make eval`.
- The scenario files cover every category with enough scenarios to give a rate.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Dict, List, Set

from rapidfuzz import process

from knowledge.bundle import check_bundle
from tests.eval.runner import (
    BUNDLE,
    SPANISH,
    Outcome,
    below_floors,
    raise_floors,
    rates,
    read_floors,
)
from tests.eval.scenarios import CATEGORIES, ROOT, find_button, load, parse
from tests.nlu.test_data_quality import _similarity, normalise, training_examples

MIN_SCENARIOS = 250
MIN_PER_CATEGORY = 15
# Answers like "yes", "2", "salem" are everyone's words; longer messages must be new.
MIN_WORDS_CHECKED = 3
NEAR_DUPLICATE_SCORE = 90
NAMED_COLUMNS = {
    "providers.csv": ("name", "aliases"),
    "programs.csv": ("title",),
    "services.csv": ("name", "organization"),
    "credentials.csv": ("name",),
    "pathways.csv": ("title",),
}
SEEN_PLACES = ("knowledge/bundles/oregon", "data", "actions", "bot", "knowledge")


def _rows(name: str) -> List[Dict[str, str]]:
    with (BUNDLE / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def _seen_text() -> str:
    """Everything the model and the code could know, folded to lower case."""
    parts = []
    for folder in SEEN_PLACES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".yml", ".yaml", ".csv", ".json"}:
                parts.append(path.read_text(encoding="utf-8", errors="replace").lower())
    return "\n".join(parts)


def test_eval_bundle_is_valid_without_warnings():
    # check_bundle raises BundleInvalid, listing every error, when the bundle is wrong.
    bundle = check_bundle(BUNDLE)
    assert not bundle.warnings, "\n".join(map(str, bundle.warnings))


def test_eval_bundle_is_marked_and_big_enough():
    counts = {name: len(_rows(name)) for name in NAMED_COLUMNS}
    assert counts["providers.csv"] >= 6
    assert counts["programs.csv"] >= 20
    assert len({r["sector"] for r in _rows("programs.csv")}) >= 8
    assert counts["pathways.csv"] >= 3
    assert len(_rows("occupations.csv")) >= 10
    services = _rows("services.csv")
    assert len(services) >= 25
    assert {r["category"] for r in services} >= {
        "transportation", "childcare", "disability", "food", "housing", "technology",
        "financial"}
    unmarked = [f"{name}: {row.get('id') or row}" for name in ("programs.csv", "services.csv")
                for row in _rows(name) if row.get("source") != "eval"]
    assert not unmarked, f"rows not marked source: eval: {unmarked}"


def test_eval_names_are_unseen():
    seen = _seen_text()
    leaked = []
    for name, columns in NAMED_COLUMNS.items():
        for row in _rows(name):
            for column in columns:
                for value in re.split(r";", row.get(column) or ""):
                    value = value.strip().lower()
                    # Short aliases ("RCC") collide by chance; whole names must not.
                    if len(value) >= 8 and value in seen:
                        leaked.append(f"{name} {column}: {value!r}")
    assert not leaked, "eval names found in the sample, data/ or the code:\n" + "\n".join(
        leaked)


def _messages() -> List[str]:
    return [turn.user for scenario in load() for turn in scenario.turns if turn.user]


def test_scenarios_cover_every_category():
    scenarios = load()
    per_category = Counter(s.category for s in scenarios)
    assert len(scenarios) >= MIN_SCENARIOS
    thin = {c: per_category.get(c, 0) for c in CATEGORIES
            if per_category.get(c, 0) < MIN_PER_CATEGORY}
    assert not thin, f"categories with fewer than {MIN_PER_CATEGORY} scenarios: {thin}"


def test_no_scenario_message_is_training_data():
    training = [text for texts in training_examples().values() for text in texts]
    exact: Set[str] = {normalise(t) for t in training}
    leaked = []
    for message in {m for m in _messages() if len(m.split()) >= MIN_WORDS_CHECKED}:
        if normalise(message) in exact:
            leaked.append(f"{message!r} (identical)")
            continue
        match = process.extractOne(message, training,
                                   scorer=lambda a, b, **_: _similarity(a, b),
                                   score_cutoff=NEAR_DUPLICATE_SCORE)
        if match:
            leaked.append(f"{message!r} ~ {match[0]!r} ({match[1]:.0f})")
    assert not leaked, "scenario messages in the training data:\n" + "\n".join(sorted(leaked))


def test_a_malformed_scenario_is_reported_with_its_id():
    _, problems = parse({"version": 1, "scenarios": [
        {"id": "x-1", "category": "nonsense", "turns": [{"click": "1"}]},
        {"id": "x-2", "category": "crisis", "turns": [{"user": "hi", "expect": {"al": []}}]},
    ]}, "bad.yml")
    assert any("x-1" in p and "category" in p for p in problems)
    assert any("x-1" in p and "first turn cannot click" in p for p in problems)
    assert any("x-2" in p and "expect" in p for p in problems)


def test_a_rate_under_its_floor_fails_the_run():
    outcomes = [Outcome("a", "crisis", "", True), Outcome("b", "crisis", "", False)]
    table = rates(outcomes)
    assert table["crisis"]["rate"] == 0.5
    assert below_floors(table, {"crisis": 0.9})
    assert not below_floors(table, {"crisis": 0.5})


def test_floors_name_known_categories():
    floors = read_floors()
    assert set(floors) <= {"overall", *CATEGORIES, SPANISH}
    assert all(0.0 <= v <= 1.0 for v in floors.values())


def test_spanish_scenarios_count_in_their_own_row():
    """English rows stay what the floors always measured; Spanish is one more row."""
    outcomes = [Outcome("search-01", "program_search", "", True),
                Outcome("es-search-01", "program_search", "", False)]
    table = rates(outcomes)
    assert table["program_search"] == {"passed": 1, "total": 1, "rate": 1.0}
    assert table["overall"]["total"] == 1
    assert table[SPANISH] == {"passed": 0, "total": 1, "rate": 0.0}


def test_scenario_ids_are_stable_paths():
    # Ids name the sender in the tracker store and the report; keep them short.
    assert all(len(s.id) <= 60 for s in load())
    assert Path(BUNDLE).is_dir()


def test_raising_floors_never_lowers_one(tmp_path):
    floors = tmp_path / "floors.yml"
    floors.write_text("floors:\n  crisis: 1.0\n  handoff: 0.5\n")
    table = rates([Outcome(str(i), "handoff", "", True) for i in range(10)]
                  + [Outcome("c1", "crisis", "", True), Outcome("c2", "crisis", "", False)])
    raised = raise_floors(table, floors)
    assert raised["crisis"] == 1.0  # measured 0.5: kept
    assert raised["handoff"] == 0.9  # 10 of 10, less one scenario of slack
    assert read_floors(floors) == raised


def test_a_button_named_in_english_is_pressed_in_a_spanish_reply():
    spanish = [{"text": "Encontré un programa", "buttons": [
        {"title": "Más sobre el 1", "payload": "/choose_option{\"option\": 1}"},
        {"title": "Hablar con una persona", "payload": "/human_handoff"}]}]
    assert find_button(spanish, "Tell me about 1")["title"] == "Más sobre el 1"
    assert find_button(spanish, "Talk to a person")["payload"] == "/human_handoff"
    # Not the same button in another language: nothing to press.
    assert find_button(spanish, "Tell me about 2") is None

"""Quality checks for the NLU training data and the held-out NLU test set.

Run with pytest, e.g. ``python -m pytest tests/nlu/test_data_quality.py``.
The data is loaded with Rasa's own loader, so retrieval intents are checked by
their full name (``faq/what_is_iet``) and entity annotations are stripped.

Checks:
- no test example of either held-out set (English, Spanish), lowercased and whitespace
  collapsed, is also a training example;
- no test example is a near-duplicate of any training example (any intent);
- no two training examples of the same intent are near-duplicates;
- every intent has enough examples in training and in the test set.

"Near-duplicate" means rapidfuzz ``ratio`` or ``token_sort_ratio`` (the same words in
another order) >= NEAR_DUPLICATE_SCORE on
the plain text (lowercased, punctuation removed by ``rapidfuzz.utils.default_process``).
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Dict, List

import pytest
from rapidfuzz import fuzz, utils
from rasa.shared.nlu.training_data.loading import load_data

# Paths are relative to the project root (or absolute).
TRAINING_DIR = "data/nlu"
TEST_SET = "tests/nlu/test_set.yml"
TEST_SETS = (TEST_SET, "tests/nlu/test_set_es.yml")  # English, Spanish

MIN_TRAINING_EXAMPLES = 30
MIN_TEST_EXAMPLES = 10
NEAR_DUPLICATE_SCORE = 90


def _resolve(path: str) -> Path:
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p
    # Fall back to the project root, so the module works from any working directory.
    for parent in Path(__file__).resolve().parents:
        candidate = parent / path
        if candidate.exists():
            return candidate
    return p


def normalise(text: str) -> str:
    """Lowercase and collapse whitespace."""
    return re.sub(r"\s+", " ", text.strip().lower())


def _examples_by_intent(path: str) -> Dict[str, List[str]]:
    resolved = _resolve(path)
    if not resolved.exists():
        pytest.fail(f"NLU data not found: {path}")
    logging.getLogger("rasa").setLevel(logging.ERROR)
    data = load_data(str(resolved))
    by_intent: Dict[str, List[str]] = defaultdict(list)
    for message in data.intent_examples:
        # get_full_intent() gives "faq/what_is_iet" for retrieval intents;
        # message.get("text") is the text without entity annotation.
        by_intent[message.get_full_intent()].append(message.get("text"))
    return dict(by_intent)


@cache
def training_examples() -> Dict[str, List[str]]:
    return _examples_by_intent(TRAINING_DIR)


@cache
def held_out_examples() -> Dict[str, List[str]]:
    """Both held-out sets together: neither may leak into training."""
    merged: Dict[str, List[str]] = defaultdict(list)
    for path in TEST_SETS:
        for intent, texts in _examples_by_intent(path).items():
            merged[intent] += texts
    return dict(merged)


def _similarity(a: str, b: str) -> float:
    # Not token_set_ratio: it scores any sentence containing "no" 100 against "no".
    return max(fuzz.ratio(a, b, processor=utils.default_process),
               fuzz.token_sort_ratio(a, b, processor=utils.default_process))


def test_no_test_example_in_training_data():
    training = {
        normalise(text): intent
        for intent, texts in training_examples().items()
        for text in texts
    }
    leaked = [
        f"[{intent}] {text!r} (training: {training[normalise(text)]})"
        for intent, texts in held_out_examples().items()
        for text in texts
        if normalise(text) in training
    ]
    assert not leaked, "test examples found in training data:\n" + "\n".join(leaked)


def test_no_test_example_near_duplicate_of_training_data():
    training = [
        (intent, text) for intent, texts in training_examples().items() for text in texts
    ]
    close = []
    for intent, texts in held_out_examples().items():
        for text in texts:
            for train_intent, train_text in training:
                score = _similarity(text, train_text)
                if score >= NEAR_DUPLICATE_SCORE:
                    close.append(
                        f"[{intent}] {text!r} ~ [{train_intent}] {train_text!r} ({score:.0f})"
                    )
    assert not close, "test examples too close to training data:\n" + "\n".join(close)


def test_no_near_duplicates():
    duplicates = []
    for intent, texts in training_examples().items():
        for a, b in itertools.combinations(texts, 2):
            score = _similarity(a, b)
            if score >= NEAR_DUPLICATE_SCORE:
                duplicates.append(f"[{intent}] {a!r} ~ {b!r} ({score:.0f})")
    assert not duplicates, "near-duplicate training examples:\n" + "\n".join(duplicates)


def test_enough_examples_per_intent():
    training = training_examples()
    test = held_out_examples()
    problems = [
        f"{intent}: {len(texts)} training examples (< {MIN_TRAINING_EXAMPLES})"
        for intent, texts in sorted(training.items())
        if len(texts) < MIN_TRAINING_EXAMPLES
    ]
    problems += [
        f"{intent}: {len(test.get(intent, []))} test examples (< {MIN_TEST_EXAMPLES})"
        for intent in sorted(training)
        if len(test.get(intent, [])) < MIN_TEST_EXAMPLES
    ]
    problems += [
        f"{intent}: in the test set but not in training data"
        for intent in sorted(set(test) - set(training))
    ]
    assert not problems, "\n".join(problems)

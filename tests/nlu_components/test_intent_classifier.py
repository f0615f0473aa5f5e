"""The intent classifier over sentence vectors, trained and loaded by a real Rasa pipeline."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_classifier import sentence_features

CONFIG = """\
recipe: default.v1
language: en
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: bot.nlu.sentence_featurizer.SentenceModelFeaturizer
  - name: bot.nlu.intent_classifier.SentenceIntentClassifier
"""

NLU = """\
version: "3.1"
nlu:
  - intent: thank
    examples: |
      - thank you
      - thanks a lot
      - thx
      - i appreciate it
  - intent: need_ride
    examples: |
      - i need a ride
      - bus to campus
      - how do i get to school without a car
      - transportation help
  - intent: greet
    examples: |
      - hello
      - hi there
      - good morning
      - hey
"""


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory):
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    tmp_path = tmp_path_factory.mktemp("intent")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))
        (tmp_path / "config.yml").write_text(CONFIG)
        (tmp_path / "nlu.yml").write_text(NLU)
        model = train_nlu(
            str(tmp_path / "config.yml"), str(tmp_path / "nlu.yml"), str(tmp_path / "models")
        )
    # Loading goes through the saved arrays, as on a server started later.
    return Agent.load(model)


@pytest.mark.parametrize("text, intent", [
    # No word of these is in the training data: only the pretrained vectors can tell.
    ("much obliged", "thank"),
    ("cheers mate", "thank"),
    ("someone could drive me there?", "need_ride"),
    ("greetings friend", "greet"),
    # Misspelt words it was taught: the character n-grams carry these.
    ("thanx alot", "thank"),
])
async def test_intents_of_words_it_was_never_taught(agent, text: str, intent: str) -> None:
    result = await agent.parse_message(text)
    assert result["intent"]["name"] == intent, result["intent_ranking"]


async def test_the_ranking_is_a_probability_distribution(agent) -> None:
    result = await agent.parse_message("i need a bus")
    confidences = [entry["confidence"] for entry in result["intent_ranking"]]
    assert [entry["name"] for entry in result["intent_ranking"]][0] == "need_ride"
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0, abs=1e-5)
    assert result["intent"]["confidence"] == confidences[0]


async def test_a_message_of_only_symbols_gets_an_answer_not_an_error(agent) -> None:
    result = await agent.parse_message("🙂 ??? !!!")
    assert result["intent"]["name"] in {"thank", "need_ride", "greet"}


def test_each_featurizer_counts_equally_whatever_its_size() -> None:
    message = Message(data={TEXT: "a"})
    words = scipy.sparse.coo_matrix([[3.0, 0.0, 1.0]])
    chars = scipy.sparse.coo_matrix([[5.0] * 40])
    for origin, matrix in [("words", words), ("chars", chars)]:
        message.add_features(Features(matrix, FEATURE_TYPE_SENTENCE, TEXT, origin))
    message.add_features(Features(np.full((1, 4), 0.5), FEATURE_TYPE_SENTENCE, TEXT, "dense"))
    row = sentence_features([message], dense_weight=2.0).toarray()[0]
    assert np.linalg.norm(row[:3]) == pytest.approx(1.0)
    assert np.linalg.norm(row[3:43]) == pytest.approx(1.0)
    assert row[43:].tolist() == [1.0] * 4
    # A message with no features at all still gets its row, of zeros.
    empty = sentence_features([Message(data={TEXT: ""})], dense_weight=2.0, width=47)
    assert empty.shape == (1, 47) and empty.nnz == 0

"""The FAQ answer chosen for a message, trained and loaded by a real Rasa pipeline, in the
shape Rasa's `utter_faq` action reads."""

from __future__ import annotations

import pytest

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
  - name: bot.nlu.response_selector.SentenceResponseSelector
    retrieval_intent: faq
"""

NLU = """\
version: "3.1"
nlu:
  - intent: faq/what_is_ged
    examples: |
      - what is the ged
      - what is a ged test
      - i never finished high school, what is the ged
      - ged meaning
  - intent: faq/what_is_esl
    examples: |
      - what is esl
      - what are english classes
      - esl meaning
      - classes to learn english
  - intent: greet
    examples: |
      - hello
      - hi there
      - good morning
"""

RESPONSES = """\
version: "3.1"
responses:
  utter_faq/what_is_ged:
    - text: "The GED is a test."
  utter_faq/what_is_esl:
    - text: "ESL means English as a Second Language."
"""


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory):
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    tmp_path = tmp_path_factory.mktemp("selector")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))
        (tmp_path / "config.yml").write_text(CONFIG)
        (tmp_path / "nlu.yml").write_text(NLU + "\n" + RESPONSES.split("\n", 1)[1])
        model = train_nlu(
            str(tmp_path / "config.yml"), str(tmp_path / "nlu.yml"), str(tmp_path / "models")
        )
    return Agent.load(model)  # through the saved arrays, as a server started later


@pytest.mark.parametrize("text, key", [
    ("wats the ged test about", "faq/what_is_ged"),  # misspelt, never taught
    ("do u have english lessons", "faq/what_is_esl"),
])
async def test_the_answer_asked_for_is_chosen_where_utter_faq_reads_it(agent, text, key):
    result = await agent.parse_message(text)
    assert result["intent"]["name"] == "faq"
    selected = result["response_selector"]["faq"]
    assert selected["response"]["intent_response_key"] == key
    assert selected["response"]["utter_action"] == f"utter_{key}"
    assert result["response_selector"]["all_retrieval_intents"] == ["faq"]
    confidences = [entry["confidence"] for entry in selected["ranking"]]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0, abs=1e-5)


async def test_two_labels_are_told_apart_not_always_the_first(agent) -> None:
    # Two intents here (faq, greet) and two answers: scikit-learn keeps a single row of
    # weights for two classes, which once made every message the first class.
    assert (await agent.parse_message("hi there"))["intent"]["name"] == "greet"
    chosen = await agent.parse_message("ged meaning")
    assert chosen["response_selector"]["faq"]["response"]["intent_response_key"] == \
        "faq/what_is_ged"

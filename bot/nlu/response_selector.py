"""Rasa NLU component: which answer of a retrieval intent (`faq/what_is_iet`) a message
asks for, by the same linear model over sentence features as the intent classifier.

In config.yml, after the intent classifier's featurizers:

    - name: bot.nlu.response_selector.SentenceResponseSelector
      retrieval_intent: faq

It fills `response_selector` in the parse exactly as Rasa's ResponseSelector does (the
key Rasa's `utter_faq` action and the policies read), but Rasa's is a TensorFlow model:
it held 500 MB of the Rasa server's memory, took most of the training once DIET was
gone, and 4 ms of every message. This one trains in seconds and weighs a few hundred KB
(held-out accuracy and the comparison in docs/performance.md).
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_classifier import SentenceIntentClassifier

_RETRIEVAL = "retrieval_intents.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceResponseSelector(SentenceIntentClassifier):
    retrieval_intents: List[str] = []  # every retrieval intent of the training data

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**SentenceIntentClassifier.get_default_config(), "retrieval_intent": "faq"}

    def label(self, message: Message) -> str | None:
        if message.get(INTENT) != self.config["retrieval_intent"]:
            return None
        return message.get(INTENT_RESPONSE_KEY)

    def train(self, training_data: TrainingData) -> Resource:
        resource = super().train(training_data)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _RETRIEVAL).write_text(
                json.dumps(sorted(training_data.retrieval_intents)))
        self.retrieval_intents = sorted(training_data.retrieval_intents)
        return resource

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> SentenceResponseSelector:
        selector = super().load(config, model_storage, resource, execution_context, **kwargs)
        try:
            with model_storage.read_from(resource) as directory:
                selector.retrieval_intents = json.loads((directory / _RETRIEVAL).read_text())
        except (ValueError, FileNotFoundError):
            selector.retrieval_intents = []
        return selector

    def annotate(self, message: Message, ranking: List[Tuple[str, float]]) -> None:
        key, confidence = ranking[0]
        selected = {
            RESPONSE_SELECTOR_PREDICTION_KEY: {
                PREDICTED_CONFIDENCE_KEY: confidence,
                INTENT_RESPONSE_KEY: key,
                RESPONSE_SELECTOR_UTTER_ACTION_KEY: f"utter_{key}",
            },
            RESPONSE_SELECTOR_RANKING_KEY: [
                {INTENT_RESPONSE_KEY: name, PREDICTED_CONFIDENCE_KEY: score}
                for name, score in ranking],
        }
        properties = message.get(RESPONSE_SELECTOR_PROPERTY_NAME, {})
        properties[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = self.retrieval_intents
        properties[self.config["retrieval_intent"]] = selected
        message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)

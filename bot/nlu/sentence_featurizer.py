"""Rasa NLU component: dense features from the pretrained sentence model all-MiniLM-L6-v2.

In config.yml, after the tokenizer and before the intent classifier:

    - name: bot.nlu.sentence_featurizer.SentenceModelFeaturizer

Sparse n-grams only know the words of the training data; a learner writes "aye",
"cheers" or "merci beaucoup" and DIET has never seen them. The pretrained model places
such messages near the ones it was taught, which lifts intent F1 on held-out messages.

Each token gets the mean of its word pieces' contextual vectors (sequence features, so
the response selector gets them too) and the message gets the model's own sentence
embedding (sentence features). The model files come from setup
(`bot.nlu.sentence_assets`); the weights stay outside the trained Rasa model and load
once per process.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Dict, List, Optional

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.sentence_assets import require
from bot.nlu.sentence_encoder import SentenceEncoder

BATCH = 64
_encoders: Dict[Path, SentenceEncoder] = {}
_lock = threading.Lock()


def shared_encoder(model_dir: Optional[Path] = None) -> SentenceEncoder:
    """One encoder per process: training and serving graphs share the 90 MB of weights."""
    path = require(model_dir)
    with _lock:
        if path not in _encoders:
            _encoders[path] = SentenceEncoder(path)
        return _encoders[path]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceModelFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "model_dir": None}

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        pass

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceModelFeaturizer:
        return cls(execution_context.node_name, config)

    def __init__(self, name: str, config: Dict[str, Any]) -> None:
        super().__init__(name, config)
        model_dir = config.get("model_dir")
        self.encoder = shared_encoder(Path(model_dir) if model_dir else None)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            todo = [
                (message, [token.text for token in message.get(TOKENS_NAMES[attribute])])
                for message in messages
                if message.get(TOKENS_NAMES[attribute])
            ]
            # Similar lengths batch together, so little of each batch is padding.
            todo.sort(key=lambda item: len(item[1]))
            for start in range(0, len(todo), BATCH):
                chunk = todo[start:start + BATCH]
                encoded = self.encoder.encode_batch([words for _, words in chunk])
                for (message, _), (words, sentence) in zip(chunk, encoded, strict=True):
                    self.add_features_to_message(
                        words, np.expand_dims(sentence, 0), attribute, message
                    )
        return messages

"""Rasa NLU component: dense features from the pretrained sentence model all-MiniLM-L6-v2.

In config.yml, after the tokenizer and before the intent classifier:

    - name: bot.nlu.sentence_featurizer.SentenceModelFeaturizer

Sparse n-grams only know the words of the training data; a learner writes "aye",
"cheers" or "merci beaucoup" and DIET has never seen them. The pretrained model places
such messages near the ones it was taught, which lifts intent F1 on held-out messages.

Each token gets the mean of its word pieces' contextual vectors, read from its plain form
(`bot.nlu.shorthand`: "thx" as "thanks") (sequence features, so
the response selector gets them too) and the message gets the model's own sentence
embedding (sentence features). The model files come from setup
(`bot.nlu.sentence_assets`); the weights stay outside the trained Rasa model and load
once per process.
"""

from __future__ import annotations

import collections
import logging
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.sentence_assets import require
from bot.nlu.sentence_encoder import SentenceEncoder

logger = logging.getLogger(__name__)
BATCH = 64
# Learners send the same short messages again and again ("yes", "1", "thanks", "hi"):
# their vectors are kept, so only a new message costs a pass of the model (about 10 ms).
CACHED_WORDS = 8
CACHED_MESSAGES = 2048
Encoded = Tuple[np.ndarray, np.ndarray]  # a message's word vectors and sentence vector
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
        self._recent: collections.OrderedDict[Tuple[str, ...], Encoded] = (
            collections.OrderedDict())

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # bot/model.py shows this line as training progress: the longest step after DIET's
        # removal, and Rasa logs nothing for components that are not trained.
        logger.info("Encoding %d training messages with the sentence model.",
                    len(training_data.training_examples))
        self._encode(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """A message as it comes in: a short one seen lately takes its kept vectors."""
        todo = []
        for message in messages:
            words = tuple(token.lemma for token in message.get(TOKENS_NAMES[TEXT]) or [])
            known = self._recent.get(words) if 0 < len(words) <= CACHED_WORDS else None
            if known is None:
                todo.append(message)
                continue
            self._recent.move_to_end(words)
            self.add_features_to_message(known[0], known[1], TEXT, message)
        self._encode(todo)
        for message in todo:
            words = tuple(token.lemma for token in message.get(TOKENS_NAMES[TEXT]) or [])
            features = message.get_dense_features(TEXT, [self._identifier])
            if 0 < len(words) <= CACHED_WORDS and features[0] is not None:
                self._recent[words] = (features[0].features, features[1].features)
                while len(self._recent) > CACHED_MESSAGES:
                    self._recent.popitem(last=False)
        return messages

    def _encode(self, messages: List[Message]) -> None:
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            todo = [
                (message, [token.lemma for token in message.get(TOKENS_NAMES[attribute])])
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

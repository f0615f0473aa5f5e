"""What the rule-based NLU components share: setting the intent a message's words decide.

A subclass says, for one message, which intent its words call for (or None to keep the
classifier's). The classifier's own ranking is kept behind it, so the evaluation and the
logs still show what the classifier thought.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def override_intent(message: Message, name: str) -> None:
    intent = {"name": name, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


class IntentOverride(GraphComponent):
    """Base of the crisis, person-request and cue components (not trainable)."""

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntentOverride:
        return cls()

    @abstractmethod
    def decide(self, message: Message, current: Optional[str]) -> Optional[str]:
        """The intent this message's words decide, or None."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            current = (message.get(INTENT) or {}).get("name")
            decided = self.decide(message, current)
            if decided is not None and decided != current:
                override_intent(message, decided)
        return messages

"""When the action server cannot answer, the learner hears so instead of silence.

Rasa logs a failed custom action and carries on without a word to the learner. This
wraps Rasa's RemoteAction so a failure (server down, timeout, 5xx) becomes one short
apology with a way to reach help that needs no action server. The conversation's state
is untouched, so it picks up where it was once the action server is back.

Installed when the Rasa server loads our tracker store (bot/tracker_store.py), which
every configuration of this project uses.
"""

from __future__ import annotations

import logging
from typing import Any, List

from rasa.core.actions import action as rasa_action
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.exceptions import RasaException

from bot.wording import LANGUAGE_SLOT, known, say_in

logger = logging.getLogger(__name__)

APOLOGY = "say_action_failed"  # in the learner's language, from the catalogue
_original_run = rasa_action.RemoteAction.run


async def run_or_apologise(self: rasa_action.RemoteAction, output_channel: Any, nlg: Any,
                           tracker: Any, domain: Any) -> List[Event]:
    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except rasa_action.ActionExecutionRejection:
        raise  # a form's normal "ask again", not a failure
    except RasaException as error:
        logger.error("Custom action %s failed (%s); the learner got an apology.",
                     self.name(), error)
        text = say_in(known(tracker.get_slot(LANGUAGE_SLOT)), APOLOGY)
        return [BotUttered(text, metadata={"action_failed": self.name()})]


def install() -> None:
    if rasa_action.RemoteAction.run is not run_or_apologise:
        rasa_action.RemoteAction.run = run_or_apologise

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

logger = logging.getLogger(__name__)

APOLOGY = ("Sorry, I cannot look that up right now. Please try again in a few minutes. "
           "For help now, call 211, or ask at your community college's front desk.")
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
        return [BotUttered(APOLOGY, metadata={"action_failed": self.name()})]


def install() -> None:
    if rasa_action.RemoteAction.run is not run_or_apologise:
        rasa_action.RemoteAction.run = run_or_apologise

"""Rasa still refuses a malformed action server reply after the check is compiled once."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import bot.tracker_store  # noqa: F401  (installs the check, as every Rasa server here does)
from bot.action_reply_check import check_reply


def test_the_installed_check_is_ours() -> None:
    assert RemoteAction._validate_action_result is check_reply


def test_a_well_formed_reply_passes() -> None:
    reply = {"events": [{"event": "slot", "name": "place", "value": "Salem"}],
             "responses": [{"text": "Here are classes.", "buttons": []}]}
    assert RemoteAction("action_search_programs", None)._validate_action_result(reply)


@pytest.mark.parametrize("reply", [
    {"events": "not a list"},
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"events": [{"event": "no_such_event"}]},
    {"responses": "not a list"},
])
def test_a_malformed_reply_is_refused_with_rasas_advice(reply) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_search_programs", None)._validate_action_result(reply)

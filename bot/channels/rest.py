"""Rasa's REST channel with the request checked first.

Rasa's own channel answers 500 to a JSON body that is not an object, passes any type on
as the sender or the message, and takes `input_channel` from the caller (so a web
client could claim to be SMS). Here each of those is a clear 400, and a message longer
than any learner writes is a 413. In credentials.yml it replaces `rest:`; the URL stays
/webhooks/rest/webhook. A navigator's hold keeps it quiet (bot/channels/holds.py).
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage as BadRequest  # Sanic 21.12: 400
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request

from bot.channels.holds import HoldAware

MAX_MESSAGE = 5000  # characters; the widget allows 2,000 and an SMS 1,600
MAX_SENDER = 255  # the tracker store's sender_id column


def _body(request: Request) -> Dict[str, Any]:
    body = request.json  # Sanic answers 400 itself to JSON it cannot parse
    if not isinstance(body, dict):
        raise BadRequest('The body must be a JSON object: {"sender": ..., "message": ...}.')
    return body


class CheckedRestInput(HoldAware, RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> Optional[str]:
        sender = _body(req).get("sender")
        if not isinstance(sender, (str, int)) or isinstance(sender, bool):
            raise BadRequest('"sender" must be a string.')
        sender = str(sender)
        if not sender.strip() or len(sender) > MAX_SENDER:
            raise BadRequest(f'"sender" must be 1 to {MAX_SENDER} characters.')
        return sender

    def _extract_message(self, req: Request) -> Optional[str]:
        message = _body(req).get("message")
        if not isinstance(message, str):
            raise BadRequest('"message" must be a string.')
        if len(message) > MAX_MESSAGE:
            raise PayloadTooLarge(f"A message can be at most {MAX_MESSAGE} characters.")
        return message

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        metadata = _body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise BadRequest('"metadata" must be a JSON object.')
        return metadata

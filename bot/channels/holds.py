"""A navigator's hold, kept by every Rasa input channel.

While a navigator holds a conversation (bot/records/holds.py) a learner's message is
parsed and stored in the tracker, so the navigator sees it, but the bot takes no turn:
the equivalent of Rasa's pause, kept in the database so it survives restarts and holds on
every replica. Crisis words still get the crisis lines at once, in the learner's
language. Messages waiting for a web chat learner (bot/records/thread.py) go out with
the next answer on that connection.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, Iterable, Optional

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOOutput
from sqlalchemy.engine import Engine

from bot.nlu import CRISIS_INTENT
from bot.records import holds, thread
from bot.wording import LANGUAGE_SLOT, say_in
from knowledge.db import make_engine

logger = logging.getLogger(__name__)
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


async def send_waiting(output: OutputChannel, recipient: str, row: Dict[str, Any]) -> None:
    """One waiting message; a navigator's is marked for the widget as a person's words
    (shown as text, like every message)."""
    if isinstance(output, SocketIOOutput):
        message = {"text": row["text"]}
        if row["author"] != thread.BOT:
            message["navigator"] = row["author"]
        await output.sio.emit(output.bot_message_evt, message, room=recipient)
    else:
        await output.send_text_message(recipient, row["text"])


class HoldGuard:
    def __init__(self, database_url: Optional[str] = None, *,
                 deliver_waiting: bool = True) -> None:
        self._database_url = database_url
        self._engine: Optional[Engine] = None
        self._agent: Callable[[], Any] = lambda: None
        self.deliver_waiting = deliver_waiting

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self._database_url)
        return self._engine

    def bind(self, app: Any, _loop: Any = None) -> None:
        """Sanic listener: the agent is on the app once the server runs."""
        self._agent = lambda: getattr(app.ctx, "agent", None)

    def wrap(self, on_new_message: OnNewMessage) -> OnNewMessage:
        async def handle(message: UserMessage) -> None:
            held = await self._holder(message.sender_id)
            if held is None:
                await on_new_message(message)
            else:
                await self._log_only(message, held)
            if self.deliver_waiting:
                try:
                    await self.deliver(message.output_channel, [message.sender_id])
                except Exception:  # they wait for the next message or the relay
                    logger.exception("Waiting messages not checked: database unreachable")
        return handle

    async def _holder(self, sender_id: str) -> Optional[Dict[str, Any]]:
        """The hold, if any. Without the database the bot answers: a learner is never
        left with silence because the navigators' tables are out of reach."""
        try:
            return await asyncio.to_thread(holds.holder, self.engine, sender_id)
        except Exception:
            logger.exception("Hold not checked (database unreachable); the bot answers")
            return None

    async def _log_only(self, message: UserMessage, held: Dict[str, Any]) -> None:
        agent = self._agent()
        async with agent.lock_store.lock(message.sender_id):
            tracker = await agent.processor.log_message(message)
        logger.info("Held by %s: message stored, no bot turn", held["username"])
        latest = tracker.latest_message
        if latest is None or latest.intent.get("name") != CRISIS_INTENT:
            return
        text = say_in(tracker.get_slot(LANGUAGE_SLOT), "utter_crisis")
        await message.output_channel.send_text_message(message.sender_id, text)
        await asyncio.to_thread(
            thread.add, self.engine, sender_id=message.sender_id,
            channel=message.input_channel or "", author=thread.BOT, text=text,
            referral_id=held["referral_id"], delivered=True)

    async def deliver(self, output: OutputChannel, sender_ids: Iterable[str]) -> int:
        """Sends the messages waiting for these conversations, each by one replica only."""
        sent = 0
        for row in await asyncio.to_thread(thread.waiting, self.engine, list(sender_ids)):
            if not await asyncio.to_thread(thread.claim, self.engine, row["id"]):
                continue  # another replica took it
            try:
                await send_waiting(output, row["sender_id"], row)
                sent += 1
            except Exception:
                logger.exception("A waiting message could not be sent; it waits again")
                await asyncio.to_thread(thread.unclaim, self.engine, row["id"])
        return sent


class HoldAware:
    """Mixin for a Rasa input channel: its messages pass the hold guard first."""

    guard_waiting = True

    def blueprint(self, on_new_message: OnNewMessage):
        self.guard = HoldGuard(getattr(self, "_database_url", None),
                               deliver_waiting=self.guard_waiting)
        hook = super().blueprint(self.guard.wrap(on_new_message))
        hook.listener("before_server_start")(self.guard.bind)
        return hook

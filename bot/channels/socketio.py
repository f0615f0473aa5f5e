"""The web chat channel: Rasa's socket.io channel, kept quiet by a navigator's hold, and
carrying a navigator's messages to the learner's widget live.

Each replica looks every RELAY_SECONDS for messages waiting for a conversation that has
a widget connected to it (a socket.io room per session id) and emits them there; a
message is claimed in the database first, so one replica sends it once. A learner who is
not connected gets it when the widget connects again. In credentials.yml it replaces
`socketio:` with the same settings.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Optional, Set

from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput

from bot.channels.holds import HoldAware

logger = logging.getLogger(__name__)
RELAY_SECONDS = 0.5


class NavigatorSocketIO(HoldAware, SocketIOInput):
    def blueprint(self, on_new_message):
        hook = super().blueprint(on_new_message)
        self._relay_task: Optional[asyncio.Task] = None

        @hook.listener("after_server_start")
        async def start_relay(*_: Any) -> None:
            self._relay_task = asyncio.create_task(self._relay())

        @hook.listener("before_server_stop")
        async def stop_relay(*_: Any) -> None:
            if self._relay_task is not None:
                self._relay_task.cancel()

        return hook

    def connected_sessions(self) -> Set[str]:
        """Session ids with a widget connected to this replica."""
        rooms = self.sio.manager.rooms.get(self.namespace or "/", {})
        sockets = set(rooms.get(None, {}))
        return {room for room, members in rooms.items()
                if room is not None and room not in sockets and members}

    async def _relay(self) -> None:
        output = SocketIOOutput(self.sio, self.bot_message_evt)
        while True:
            try:
                sessions = self.connected_sessions()
                if sessions:
                    await self.guard.deliver(output, sessions)
            except asyncio.CancelledError:
                raise
            except Exception:  # a dropped database connection: try again next round
                logger.exception("Relay of waiting messages failed; retrying")
            await asyncio.sleep(RELAY_SECONDS)

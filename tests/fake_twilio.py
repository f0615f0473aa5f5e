"""A stand-in for Twilio's Messages API that speaks its protocol: POST
/2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth with the account SID
and auth token, form fields To, From and Body; 201 with a message SID, or Twilio's error
JSON. Used by the client's tests and by the SMS late-reply tests."""

from __future__ import annotations

import asyncio
import base64
import threading
from typing import Dict, List, Set

from aiohttp import web

ACCOUNT = "AC" + "0" * 32


class FakeTwilio:
    def __init__(self, account: str = ACCOUNT, token: str = "token") -> None:
        self.account, self.token = account, token
        self.received: List[Dict[str, str]] = []  # the form of every message accepted
        self.refuse: Set[str] = set()  # To numbers answered with Twilio's 400 error
        self._runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(f"/2010-04-01/Accounts/{self.account}/Messages.json",
                            self.create_message)
        return app

    async def create_message(self, request: web.Request) -> web.Response:
        expected = "Basic " + base64.b64encode(f"{self.account}:{self.token}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return web.json_response({"code": 20003, "message": "Authenticate"}, status=401)
        form = dict(await request.post())
        if form.get("To") in self.refuse:
            return web.json_response(
                {"code": 21211, "status": 400,
                 "message": f"The 'To' number {form['To']} is not a valid phone number."},
                status=400)
        self.received.append(form)
        return web.json_response({"sid": f"SM{len(self.received):032d}", "status": "queued",
                                  "to": form["To"], "from": form["From"],
                                  "body": form["Body"]}, status=201)

    def sent_to(self, number: str) -> List[Dict[str, str]]:
        return [form for form in list(self.received) if form.get("To") == number]

    async def start(self, host: str = "127.0.0.1") -> str:
        """Serves on a free port; returns the base URL (what TWILIO_API_BASE_URL takes)."""
        self._runner = web.AppRunner(self.app())
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, 0)
        await site.start()
        port = self._runner.addresses[0][1]
        return f"http://{host}:{port}"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


class FakeTwilioThread:
    """The stand-in on an event loop of its own thread, for tests that block on HTTP the
    way Twilio's side does (the stack's web app texts through it)."""

    def __init__(self, token: str = "token") -> None:
        self.fake = FakeTwilio(ACCOUNT, token)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.base_url = self._run(self.fake.start())

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(30)

    def env(self, from_number: str = "+15415550100") -> Dict[str, str]:
        return {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_FROM_NUMBER": from_number,
                "TWILIO_API_BASE_URL": self.base_url}

    def sent_to(self, number: str) -> List[Dict[str, str]]:
        return self.fake.sent_to(number)

    def close(self) -> None:
        self._run(self.fake.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

"""Outbound texts against a stand-in for Twilio's Messages API (same URL, auth, form)."""

from __future__ import annotations

import base64

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.channels import sms_state
from bot.channels.twilio_client import OptedOut, TwilioClient
from knowledge.db import make_engine
from knowledge.schema import upgrade

ACCOUNT, TOKEN = "AC" + "0" * 32, "token"


@pytest.fixture
async def fake_twilio():
    received = []

    async def create_message(request: web.Request) -> web.Response:
        expected = "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return web.json_response({"code": 20003, "message": "Authenticate"}, status=401)
        form = await request.post()
        received.append(dict(form))
        return web.json_response({"sid": f"SM{len(received):032d}", "status": "queued",
                                  "to": form["To"], "body": form["Body"]}, status=201)

    app = web.Application()
    app.router.add_post(f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json", create_message)
    server = TestServer(app)
    await server.start_server()
    yield str(server.make_url("")), received
    await server.close()


@pytest.fixture
def engine(tmp_path):
    url = f"sqlite:///{tmp_path / 'navigator.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


async def test_sends_plain_text_and_keeps_spanish_accents(fake_twilio, engine):
    base, received = fake_twilio
    client = TwilioClient(ACCOUNT, TOKEN, "+15415550100", engine, base_url=base)
    sent = await client.send("+15035550123", "Your class starts Monday — “bring ID” 👍")
    await client.send("+15035550123", "Su clase empieza el lunes. ¿Tiene preguntas?")
    assert sent.status == "queued"
    assert [r["Body"] for r in received] == [
        'Your class starts Monday - "bring ID"',  # GSM-7: typography made plain
        "Su clase empieza el lunes. ¿Tiene preguntas?"]  # UCS-2: the accents stay


async def test_refuses_an_opted_out_number(fake_twilio, engine):
    base, received = fake_twilio
    sms_state.opt_out(engine, "+15035550123")
    client = TwilioClient(ACCOUNT, TOKEN, "+15415550100", engine, base_url=base)
    with pytest.raises(OptedOut):
        await client.send("+15035550123", "hello")
    assert received == []


async def test_twilio_errors_are_reported(fake_twilio, engine):
    base, _ = fake_twilio
    client = TwilioClient(ACCOUNT, "wrong", "+15415550100", engine, base_url=base)
    with pytest.raises(RuntimeError, match="401"):
        await client.send("+15035550123", "hello")

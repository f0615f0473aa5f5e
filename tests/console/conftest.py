"""A console app on a fresh navigator database, with two teams' referrals and users."""

from __future__ import annotations

import json
import re
import time

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from bot.console.app import create_console
from bot.console.security import hash_password
from bot.records import store
from bot.records.schema import upgrade
from knowledge.db import make_engine

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def make_referral(engine, team: str, sender: str, first_name: str = "Ana") -> int:
    code = store.create_referral(engine, store.NewReferral(
        sender_id=sender, channel="rest", team=team, consent_text="agreed",
        first_name=first_name, contact_method="text", phone="+15035550123",
        best_time="mornings", language="Spanish", county="Lane", place="Eugene",
        topic="Phlebotomy Technician", summary={"programs": ["lane-phlebotomy"],
                                               "services": ["childcare"]}))
    with engine.connect() as conn:
        return conn.execute(text("SELECT id FROM referrals WHERE code = :c"),
                            {"c": code}).scalar_one()


def store_conversation(tracker_engine, sender: str, turns) -> None:
    with tracker_engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, "
                          "sender_id TEXT, type_name TEXT, timestamp REAL, intent_name TEXT, "
                          "action_name TEXT, data TEXT)"))
        for speaker, words in turns:
            event = {"event": speaker, "text": words, "timestamp": time.time(),
                     "input_channel": "rest" if speaker == "user" else None}
            conn.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                              "VALUES (:s, :t, :ts, :d)"),
                         {"s": sender, "t": speaker, "ts": time.time(), "d": json.dumps(event)})


@pytest.fixture
def world(tmp_path):
    url = f"sqlite:///{tmp_path / 'navigator.db'}"
    upgrade(url)
    engine = make_engine(url)
    tracker = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    store.add_user(engine, "ana", hash_password(PASSWORD), "navigator", ["lane"])
    store.add_user(engine, "pat", hash_password(PASSWORD), "navigator", ["pcc"])
    store.add_user(engine, "boss", hash_password(PASSWORD), "admin", [])
    lane = make_referral(engine, "lane", "learner-lane", first_name="<script>alert(1)</script>")
    pcc = make_referral(engine, "pcc", "learner-pcc")
    store_conversation(tracker, "learner-lane", [
        ("user", "hi <script>alert('x')</script> i need phlebotomy"),
        ("bot", "I found 2 programs near Eugene"),
    ])
    yield {"engine": engine, "tracker": tracker, "tmp": tmp_path, "lane": lane, "pcc": pcc,
           "url": url, "tracker_url": f"sqlite:///{tmp_path / 'tracker.db'}"}
    engine.dispose()
    tracker.dispose()


@pytest.fixture
async def console(world):
    app = web.Application()
    app.add_subapp("/console", create_console(world["url"], world["tracker_url"], world["tmp"],
                                              secure_cookie=False))
    client = TestClient(TestServer(app))
    await client.start_server()
    yield client
    await client.close()


async def csrf_of(client, path: str = "/console/login") -> str:
    page = await (await client.get(path)).text()
    return CSRF.search(page).group(1)


async def log_in(client, username: str, password: str = PASSWORD):
    token = await csrf_of(client)
    return await client.post("/console/login", data={"username": username, "password": password,
                                             "csrf": token}, allow_redirects=False)

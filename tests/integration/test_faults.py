"""Faults on the production layout: the action server dies and comes back, Rasa
restarts, the database goes away during a referral."""

from __future__ import annotations

import contextlib
import os
import signal
import uuid

import aiohttp
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bot.action_failures import APOLOGY
from bot.prepare import prepare_database
from bot.processes import Stack, navigator_services
from bot.records import store
from bot.settings import Settings
from bot.wording import say_in
from tests.conftest import free_port
from tests.postgres import PG_ADMIN_URL, throwaway_database

pytestmark = pytest.mark.integration
REDIS_URL = os.environ.get("NAVIGATOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


async def say(http, url: str, sender: str, message: str) -> str:
    async with http.post(url, json={"sender": sender, "message": message}) as response:
        assert response.status == 200, await response.text()
        return "\n".join(r.get("text", "") for r in await response.json())


@contextlib.asynccontextmanager
async def running_stack(tmp_path, monkeypatch, database: str, **settings_env: str):
    """A stack of its own (killing a process of the shared one would end it for all)."""
    prepare_database(database)
    for name, value in {
        "NAVIGATOR_VAR_DIR": str(tmp_path), "NAVIGATOR_DATABASE_URL": database,
        "NAVIGATOR_RASA_PORT": str(free_port()), "NAVIGATOR_ACTIONS_PORT": str(free_port()),
        "NAVIGATOR_WEB_PORT": str(free_port()), **settings_env,
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env()
    stack = Stack(navigator_services(settings), printer=lambda *_: None, env=dict(os.environ))
    await stack.start()
    extra: list[Stack] = []
    url = f"http://{settings.host}:{settings.rasa_port}/webhooks/rest/webhook"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            yield stack, extra, settings, http, url
    finally:
        for other in extra:
            await other.stop()
        await stack.stop()


@pytest.fixture
async def own_stack(tmp_path, monkeypatch):
    """The production layout: PostgreSQL database and tracker store, Redis lock store."""
    with throwaway_database() as database, throwaway_database() as tracker:
        async with running_stack(tmp_path, monkeypatch, database,
                                 NAVIGATOR_TRACKER_URL=tracker,
                                 NAVIGATOR_REDIS_URL=REDIS_URL) as running:
            yield running


async def kill(stack: Stack, name: str) -> int:
    service = next(s for s in stack.services if s.name == name)
    os.killpg(service.process.pid, signal.SIGKILL)
    await service.process.wait()
    return [s.name for s in stack.services].index(name)


async def test_action_server_dies_and_comes_back(own_stack):
    stack, extra, settings, http, url = own_stack
    sender = f"fault-{uuid.uuid4()}"
    assert "near Salem" in await say(http, url, sender, "welding classes in salem")
    index = await kill(stack, "actions")

    answer = await say(http, url, sender, "tell me more about 1")
    assert say_in("en", APOLOGY) in answer  # not silence
    assert "Integrated Education and Training" in await say(
        http, url, sender, "what is IET?")  # Rasa keeps serving

    revived = Stack([navigator_services(settings)[index]], printer=lambda *_: None,
                    env=dict(os.environ))
    extra.append(revived)
    await revived.start()
    answer = await say(http, url, sender, "tell me more about 1")
    assert "Cost:" in answer and "Chemeketa" in answer  # the list was kept


async def test_rasa_restart_keeps_conversations(own_stack):
    stack, extra, settings, http, url = own_stack
    sender = f"restart-{uuid.uuid4()}"
    assert "Where do you live?" in await say(http, url, sender, "i want cna classes")
    index = await kill(stack, "rasa")
    revived = Stack([navigator_services(settings)[index]], printer=lambda *_: None,
                    env=dict(os.environ))
    extra.append(revived)
    await revived.start()
    # The form asked for a place before the restart; the answer continues it.
    assert "near Eugene" in await say(http, url, sender, "eugene")


def set_connections(database_url: str, allowed: bool) -> None:
    name = make_url(database_url).database
    admin = create_engine(PG_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}'))
        if not allowed:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
    admin.dispose()


async def test_database_down_during_a_referral_loses_nothing(tmp_path, monkeypatch):
    with throwaway_database() as database:
        async with running_stack(tmp_path, monkeypatch, database) as (_, _, _, http, url):
            sender = f"dbdown-{uuid.uuid4()}"
            for message in ("talk to a person", "/affirm", "Lena", "text", "503 555 0175",
                            "mornings", "English", "Salem"):
                await say(http, url, sender, message)
            set_connections(database, allowed=False)
            try:
                answer = await say(http, url, sender, "/affirm")
                assert "could not send your request" in answer
                assert "Your answers are saved" in answer
            finally:
                set_connections(database, allowed=True)
            answer = await say(http, url, sender, "/human_handoff")
            assert "Your code is" in answer and "Lena" in answer
            engine = create_engine(database, future=True)
            with engine.connect() as conn:
                rows = conn.execute(select(store.referrals.c.phone).where(
                    store.referrals.c.sender_id == sender)).scalars().all()
            engine.dispose()
            assert rows == ["+15035550175"]  # stored once, with the answers given before

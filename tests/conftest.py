"""Shared fixtures: the real navigator stack, started once per test session."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from tests.stack import (  # noqa: F401  (re-exported for the tests that import them)
    MODEL,
    ROOT,
    TWILIO_TEST_TOKEN,
    RunningStack,
    StackStartError,
    free_port,
    stop_stack,
)
from tests.stack import start_stack as _start_stack


def start_stack(tmp: Path, extra_env: dict[str, str] | None = None) -> RunningStack:
    """Starts `python -m bot.run` on free ports; a start-up failure fails the test."""
    try:
        return _start_stack(tmp, extra_env)
    except StackStartError as error:
        pytest.fail(str(error))


def sample_database(folder: Path) -> str:
    """A fresh SQLite database in `folder` holding the sample Oregon bundle."""
    from bot.prepare import prepare_database

    url = f"sqlite:///{folder / 'navigator.db'}"
    prepare_database(url)
    return url


@pytest.fixture(scope="session")
def twilio_api():
    """The Messages API stand-in the session's stack texts through."""
    from tests.fake_twilio import FakeTwilioThread

    fake = FakeTwilioThread(TWILIO_TEST_TOKEN)
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def navigator(tmp_path_factory, twilio_api) -> Iterator[RunningStack]:
    """The stack on its own copy of the sample catalogue, so tests never depend on (or
    change) the developer's var/navigator.db; its texts go to the Messages API stand-in."""
    tmp = tmp_path_factory.mktemp("navigator")
    stack = start_stack(tmp, {"NAVIGATOR_DATABASE_URL": sample_database(tmp),
                              **twilio_api.env()})
    try:
        yield stack
    finally:
        stop_stack(stack)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """A URL to a fresh, empty database (no tables yet), on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'navigator.db'}"
        return
    from tests.postgres import throwaway_database

    with throwaway_database() as url:
        yield url


@pytest.fixture
def engine(database_url):
    """An engine on a fresh database with every table, catalogue and navigator, migrated
    (the catalogue tests in tests/knowledge have their own: the catalogue alone)."""
    from bot.records.schema import upgrade
    from knowledge.db import make_engine

    upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()

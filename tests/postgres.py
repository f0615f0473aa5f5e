"""Throwaway PostgreSQL databases on the local server, for tests about production.

Outside CI a missing server skips those tests; in CI (CI=true) it fails them, because
the production database must be proven there.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ADMIN_URL = os.environ.get(
    "NAVIGATOR_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)


def _admin_engine():
    return create_engine(PG_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")


def require_postgres() -> None:
    """Skips (or in CI fails) the calling test when the server is unreachable."""
    try:
        with _admin_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any connection failure means "not here"
        message = f"PostgreSQL unreachable at {PG_ADMIN_URL}: {exc}"
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI. {message}")
        pytest.skip(f"{message} (start it: see README, 'Tests')")


@contextlib.contextmanager
def throwaway_database() -> Iterator[str]:
    """Creates an empty database, yields its URL, drops it afterwards."""
    require_postgres()
    name = f"navtest_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield str(make_url(PG_ADMIN_URL).set(database=name))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

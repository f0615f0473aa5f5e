"""Every knowledge test runs against both SQLite and PostgreSQL.

PostgreSQL is the local server (trust auth). Each test gets a fresh database so tests
never see each other's catalogue. Outside CI a missing server skips the PostgreSQL half;
in CI (CI=true) it fails, because the production database must be proven there.
"""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    try:
        with _admin_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # any connection failure means "not here"
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but unreachable at {PG_ADMIN_URL}: {exc}")
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, postgres_available) -> Iterator[str]:
    """A URL to a fresh, empty database (no tables yet)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'navigator.db'}"
        return
    if not postgres_available:
        pytest.skip("PostgreSQL not running (start it: see README, 'Tests')")
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

"""Alembic environment of the catalogue. The navigator's tables in the same database have
their own history (bot/records/migrations)."""

from knowledge.models import metadata
from knowledge.schema import run_migrations

run_migrations(metadata)

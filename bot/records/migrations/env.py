"""Alembic environment of the navigator tables. The catalogue's tables (and Rasa's
tracker tables, when they share the database) belong to other histories: autogenerate
compares only this package's tables."""

from bot.records.schema import VERSION_TABLE
from bot.records.tables import metadata
from knowledge.schema import run_migrations

run_migrations(metadata, VERSION_TABLE)

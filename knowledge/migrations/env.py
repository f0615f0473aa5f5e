"""Alembic environment of the catalogue: runs migrations on the URL the caller configured.
The navigator's tables in the same database have their own history (bot/records/)."""

from __future__ import annotations

from alembic import context

from knowledge.db import make_engine
from knowledge.models import metadata

config = context.config


def ours(item, name, type_, _reflected, _compare_to) -> bool:
    table = name if type_ == "table" else getattr(getattr(item, "table", None), "name", None)
    return table is None or table in metadata.tables


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            include_object=ours,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()

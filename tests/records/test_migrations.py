"""The navigator database's own Alembic history, on SQLite and PostgreSQL: a migrated
database matches the tables in code (autogenerate proposes nothing), and a database made
before the navigator tables left the catalogue's history upgrades in place, rows kept."""

from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import insert, inspect, select, text

from bot.records import schema, store
from bot.records.tables import metadata, referrals, sms_opt_outs, users
from knowledge import models
from knowledge import schema as catalogue_schema
from knowledge.db import make_engine
from tests.records.legacy import referrals_0002, sms_0003


def proposed_changes(engine, target, include):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": include})
        return compare_metadata(context, target)


def only(target):
    def include(item, name, type_, _reflected, _compare_to):
        table = name if type_ == "table" else getattr(getattr(item, "table", None), "name",
                                                      None)
        return table is None or table in target.tables
    return include


def test_autogenerate_proposes_nothing_on_a_migrated_database(database_url):
    schema.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        assert proposed_changes(engine, metadata, only(metadata)) == []
        assert proposed_changes(engine, models.metadata, only(models.metadata)) == []
        tables = set(inspect(engine).get_table_names())
        assert {"navigator_alembic_version", "alembic_version", "holds", "thread_messages",
                "scheduled_messages", "referrals", "programs"} <= tables
    finally:
        engine.dispose()


def test_the_alembic_command_itself_finds_nothing_to_add(tmp_path):
    url = f"sqlite:///{tmp_path / 'navigator.db'}"
    schema.upgrade(url)
    config = schema.alembic_config(url)
    config.set_main_option("version_locations",
                           f"{schema.MIGRATIONS / 'versions'} {tmp_path}")
    script = command.revision(config, message="nothing", autogenerate=True,
                              version_path=str(tmp_path))
    body = open(script.path, encoding="utf-8").read()
    upgrade = body.split("def upgrade()")[1].split("def downgrade()")[0]
    assert "op." not in upgrade, upgrade


def make_legacy_database(url: str) -> None:
    """The schema as it stood before the move: the catalogue history at 0004, whose
    revisions 0002 and 0003 made the navigator tables."""
    catalogue_schema.upgrade(url)  # today's 0002 and 0003 make nothing ...
    engine = make_engine(url)
    with engine.begin() as conn:  # ... so run them as they were
        with Operations.context(MigrationContext.configure(conn)):
            referrals_0002.upgrade()
            sms_0003.upgrade()
    engine.dispose()


def test_a_database_from_before_the_move_upgrades_without_losing_a_referral(database_url):
    make_legacy_database(database_url)
    engine = make_engine(database_url)
    now = dt.datetime(2026, 11, 2, 17, 0, tzinfo=dt.timezone.utc)
    try:
        with engine.begin() as conn:
            conn.execute(insert(users).values(
                id=1, username="maria", password_hash="x", role="navigator",
                teams=["lane"], active=True, created_at=now))
            conn.execute(text(
                "INSERT INTO referrals (code, sender_id, channel, team, status, first_name, "
                "contact_method, phone, summary, consent_text, consent_at, assigned_to, "
                "created_at, updated_at) VALUES ('ACD347', 'learner-1', 'sms', 'lane', "
                "'contacted', 'Ana', 'text', '+15415550100', '{}', 'ok', :now, 1, :now, "
                ":now)"), {"now": now})
            conn.execute(insert(sms_opt_outs).values(phone="+15415550199", opted_out_at=now))

        schema.upgrade(database_url)

        with engine.connect() as conn:
            row = conn.execute(select(referrals)).mappings().one()
            stopped = conn.execute(select(sms_opt_outs.c.phone)).scalars().all()
        assert (row["code"], row["status"], row["first_name"], row["phone"],
                row["assigned_to"]) == ("ACD347", "contacted", "Ana", "+15415550100", 1)
        assert row["updates_ok"] is False and row["flagged_at"] is None
        assert stopped == ["+15415550199"]
        assert store.learner_referrals(engine, "learner-1")[0]["code"] == "ACD347"
        assert proposed_changes(engine, metadata, only(metadata)) == []
        schema.upgrade(database_url)  # and again: nothing to do, nothing lost
        assert store.learner_referrals(engine, "learner-1")[0]["code"] == "ACD347"
    finally:
        engine.dispose()


def test_the_check_command_agrees(tmp_path, capsys):
    from bot.records.__main__ import main

    assert main(["--database", f"sqlite:///{tmp_path / 'navigator.db'}", "check"]) == 0
    assert "matches" in capsys.readouterr().out

"""Every table of the navigator database, on one metadata: referrals and their history,
navigator accounts, the audit log, SMS state, conversation holds, messages to learners,
scheduled messages and the anonymous outcomes of learners' searches. The catalogue's
tables are knowledge/models.py's, in the same database but with their own Alembic
history; these migrate with bot/records/migrations (version table
`navigator_alembic_version`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

# Stable constraint names so migrations work the same on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("teams", JSON, nullable=False, default=list),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
)

referrals = Table(
    "referrals", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(12), nullable=False, unique=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("channel", String(40), nullable=False),
    Column("team", String(80), nullable=False, index=True),
    Column("status", String(30), nullable=False, default="new"),
    Column("topic", String(200)),
    Column("county", String(40)),
    Column("place", String(120)),
    Column("program_id", String(80)),
    Column("first_name", String(80)),
    Column("contact_method", String(10)),  # text, call, email
    Column("phone", String(20)),  # E.164
    Column("email", String(254)),
    Column("best_time", String(120)),
    Column("language", String(40)),
    Column("summary", JSON, nullable=False, default=dict),
    Column("consent_text", Text, nullable=False),
    Column("consent_at", DateTime(timezone=True), nullable=False),
    Column("assigned_to", ForeignKey("users.id")),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
    Column("updated_at", DateTime(timezone=True), nullable=False, default=utcnow),
    Column("erased_at", DateTime(timezone=True)),
    # The learner agreed at consent to short messages when the status changes.
    Column("updates_ok", Boolean, nullable=False, default=False, server_default=false()),
    Column("first_contact_at", DateTime(timezone=True)),
    # Set when the learner answers the follow-up "no, nobody reached me".
    Column("flagged_at", DateTime(timezone=True)),
    # The navigators have read the learner's messages up to this moment.
    Column("learner_read_at", DateTime(timezone=True)),
)

referral_events = Table(
    "referral_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("referral_id", ForeignKey("referrals.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("at", DateTime(timezone=True), nullable=False, default=utcnow),
    Column("actor", String(80), nullable=False),  # a username, or "learner"
    Column("from_status", String(30)),
    Column("to_status", String(30)),
    Column("note", Text),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, default=utcnow),
    Column("username", String(80), nullable=False),
    Column("action", String(40), nullable=False),
    Column("referral_id", Integer),
    Column("detail", Text),
)

sms_messages = Table(
    "sms_messages", metadata,
    Column("sid", String(64), primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("replies", JSON(none_as_null=True)),  # SQL NULL while the turn runs
)
sms_opt_outs = Table(
    "sms_opt_outs", metadata,
    Column("phone", String(20), primary_key=True),
    Column("opted_out_at", DateTime(timezone=True), nullable=False),
)
sms_choices = Table(
    "sms_choices", metadata,
    Column("phone", String(20), primary_key=True),
    Column("choices", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# A conversation a navigator holds: the bot stays quiet for it until handed back.
holds = Table(
    "holds", metadata,
    Column("sender_id", String(255), primary_key=True),
    Column("referral_id", ForeignKey("referrals.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("since", DateTime(timezone=True), nullable=False),
    Column("last_activity", DateTime(timezone=True), nullable=False),
)

# What people and the scheduler said to a learner outside a bot turn. Texts go out at
# once; web chat messages wait here until the learner's widget is connected.
thread_messages = Table(
    "thread_messages", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("referral_id", ForeignKey("referrals.id", ondelete="SET NULL")),
    Column("channel", String(40), nullable=False),
    Column("author", String(80), nullable=False),  # a navigator's username, or "bot"
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
    Column("delivered_at", DateTime(timezone=True)),
)

scheduled_messages = Table(
    "scheduled_messages", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # One job per purpose: scheduling the same follow-up twice is a no-op.
    Column("key", String(200), nullable=False, unique=True),
    Column("kind", String(30), nullable=False),
    Column("referral_id", ForeignKey("referrals.id", ondelete="CASCADE")),
    Column("sender_id", String(255), nullable=False),
    Column("channel", String(40), nullable=False),
    Column("phone", String(20)),
    Column("language", String(10), nullable=False),
    Column("entry", String(80), nullable=False),  # the message catalogue's key
    Column("params", JSON, nullable=False, default=dict),
    Column("due_at", DateTime(timezone=True), nullable=False, index=True),
    Column("status", String(20), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("lease_owner", String(80)),
    Column("lease_until", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
)

# What learners looked for and whether anything was found, for the dashboard's unmet
# needs. Nothing here identifies a learner: codes, a county, a count and a day (not a
# time), never the words typed nor the conversation's id.
search_outcomes = Table(
    "search_outcomes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False, index=True),
    Column("journey", String(20), nullable=False),  # "program", "service"
    Column("sector", String(40)),  # a program search's field
    Column("service_category", String(40)),  # a service search's kind of help
    Column("county", String(40)),
    Column("language", String(10)),  # the conversation's: "en", "es"
    Column("channel", String(40)),
    Column("result_count", Integer, nullable=False),
    # The same conversation went on to ask for a navigator.
    Column("referral_followed", Boolean, nullable=False, default=False,
           server_default=false()),
)

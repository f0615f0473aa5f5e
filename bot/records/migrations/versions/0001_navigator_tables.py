"""navigator tables as they stood when they moved out of the catalogue's history:
accounts, referrals and their history, the audit log, SMS state. A database made before
the move already has them (from the catalogue's revisions 0002 and 0003): they stay as
they are, rows and all, and this revision only records them.

Revision ID: n0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "n0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "users" not in present:
        op.create_table(
            "users",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("username", sa.String(80), nullable=False),
            sa.Column("password_hash", sa.String(200), nullable=False),
            sa.Column("role", sa.String(20), nullable=False),
            sa.Column("teams", sa.JSON(), nullable=False),
            sa.Column("active", sa.Boolean(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
            sa.UniqueConstraint("username", name=op.f("uq_users_username")),
        )
    if "referrals" not in present:
        op.create_table(
            "referrals",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("code", sa.String(12), nullable=False),
            sa.Column("sender_id", sa.String(255), nullable=False),
            sa.Column("channel", sa.String(40), nullable=False),
            sa.Column("team", sa.String(80), nullable=False),
            sa.Column("status", sa.String(30), nullable=False),
            sa.Column("topic", sa.String(200)),
            sa.Column("county", sa.String(40)),
            sa.Column("place", sa.String(120)),
            sa.Column("program_id", sa.String(80)),
            sa.Column("first_name", sa.String(80)),
            sa.Column("contact_method", sa.String(10)),
            sa.Column("phone", sa.String(20)),
            sa.Column("email", sa.String(254)),
            sa.Column("best_time", sa.String(120)),
            sa.Column("language", sa.String(40)),
            sa.Column("summary", sa.JSON(), nullable=False),
            sa.Column("consent_text", sa.Text(), nullable=False),
            sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("assigned_to", sa.Integer()),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("erased_at", sa.DateTime(timezone=True)),
            sa.ForeignKeyConstraint(["assigned_to"], ["users.id"],
                                    name=op.f("fk_referrals_assigned_to_users")),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
            sa.UniqueConstraint("code", name=op.f("uq_referrals_code")),
        )
        op.create_index(op.f("ix_referrals_sender_id"), "referrals", ["sender_id"])
        op.create_index(op.f("ix_referrals_team"), "referrals", ["team"])
    if "referral_events" not in present:
        op.create_table(
            "referral_events",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("referral_id", sa.Integer(), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("actor", sa.String(80), nullable=False),
            sa.Column("from_status", sa.String(30)),
            sa.Column("to_status", sa.String(30)),
            sa.Column("note", sa.Text()),
            sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"], ondelete="CASCADE",
                                    name=op.f("fk_referral_events_referral_id_referrals")),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_events")),
        )
        op.create_index(op.f("ix_referral_events_referral_id"), "referral_events", ["referral_id"])
    if "audit_log" not in present:
        op.create_table(
            "audit_log",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("username", sa.String(80), nullable=False),
            sa.Column("action", sa.String(40), nullable=False),
            sa.Column("referral_id", sa.Integer()),
            sa.Column("detail", sa.Text()),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        )

    if "sms_messages" not in present:
        op.create_table(
            "sms_messages",
            sa.Column("sid", sa.String(64), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("replies", sa.JSON()),
            sa.PrimaryKeyConstraint("sid", name=op.f("pk_sms_messages")),
        )
    if "sms_opt_outs" not in present:
        op.create_table(
            "sms_opt_outs",
            sa.Column("phone", sa.String(20), nullable=False),
            sa.Column("opted_out_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("phone", name=op.f("pk_sms_opt_outs")),
        )
    if "sms_choices" not in present:
        op.create_table(
            "sms_choices",
            sa.Column("phone", sa.String(20), nullable=False),
            sa.Column("choices", sa.JSON(), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("phone", name=op.f("pk_sms_choices")),
        )


def downgrade() -> None:
    op.drop_table("sms_choices")
    op.drop_table("sms_opt_outs")
    op.drop_table("sms_messages")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_referral_events_referral_id"), table_name="referral_events")
    op.drop_table("referral_events")
    op.drop_index(op.f("ix_referrals_team"), table_name="referrals")
    op.drop_index(op.f("ix_referrals_sender_id"), table_name="referrals")
    op.drop_table("referrals")
    op.drop_table("users")

"""navigators in the learner's thread: holds, messages to learners, scheduled messages,
and on referrals the learner's consent to updates, first contact, the follow-up flag and
what the navigators have read

Revision ID: n0002
Revises: n0001
"""

import sqlalchemy as sa
from alembic import op

revision = "n0002"
down_revision = "n0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.add_column(sa.Column("updates_ok", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("first_contact_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("flagged_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("learner_read_at", sa.DateTime(timezone=True)))
    op.create_table(
        "holds",
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"], ondelete="CASCADE",
                                name=op.f("fk_holds_referral_id_referrals")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_holds_user_id_users")),
        sa.PrimaryKeyConstraint("sender_id", name=op.f("pk_holds")),
    )
    op.create_table(
        "thread_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("referral_id", sa.Integer()),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"], ondelete="SET NULL",
                                name=op.f("fk_thread_messages_referral_id_referrals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread_messages")),
    )
    op.create_index(op.f("ix_thread_messages_sender_id"), "thread_messages", ["sender_id"])
    op.create_table(
        "scheduled_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("referral_id", sa.Integer()),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("phone", sa.String(20)),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("entry", sa.String(80), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(80)),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"], ondelete="CASCADE",
                                name=op.f("fk_scheduled_messages_referral_id_referrals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_messages")),
        sa.UniqueConstraint("key", name=op.f("uq_scheduled_messages_key")),
    )
    op.create_index(op.f("ix_scheduled_messages_due_at"), "scheduled_messages", ["due_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_scheduled_messages_due_at"), table_name="scheduled_messages")
    op.drop_table("scheduled_messages")
    op.drop_index(op.f("ix_thread_messages_sender_id"), table_name="thread_messages")
    op.drop_table("thread_messages")
    op.drop_table("holds")
    with op.batch_alter_table("referrals") as batch:
        batch.drop_column("learner_read_at")
        batch.drop_column("flagged_at")
        batch.drop_column("first_contact_at")
        batch.drop_column("updates_ok")

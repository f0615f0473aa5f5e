"""SMS channel state: answered messages, opt-outs, last numbered choices (bot/channels/sms_state.py)

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_messages",
        sa.Column("sid", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replies", sa.JSON()),
        sa.PrimaryKeyConstraint("sid", name=op.f("pk_sms_messages")),
    )
    op.create_table(
        "sms_opt_outs",
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("opted_out_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("phone", name=op.f("pk_sms_opt_outs")),
    )
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

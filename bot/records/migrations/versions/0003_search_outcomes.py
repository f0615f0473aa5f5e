"""search outcomes: what learners looked for, where, and whether anything was found, with
nothing that identifies a learner (codes, a county, a count and a day), for the
dashboard's unmet needs

Revision ID: n0003
Revises: n0002
"""

import sqlalchemy as sa
from alembic import op

revision = "n0003"
down_revision = "n0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_outcomes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("journey", sa.String(20), nullable=False),
        sa.Column("sector", sa.String(40)),
        sa.Column("service_category", sa.String(40)),
        sa.Column("county", sa.String(40)),
        sa.Column("language", sa.String(10)),
        sa.Column("channel", sa.String(40)),
        sa.Column("result_count", sa.Integer(), nullable=False),
        sa.Column("referral_followed", sa.Boolean(), nullable=False,
                  server_default=sa.false()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_outcomes")),
    )
    op.create_index(op.f("ix_search_outcomes_day"), "search_outcomes", ["day"])


def downgrade() -> None:
    op.drop_index(op.f("ix_search_outcomes_day"), table_name="search_outcomes")
    op.drop_table("search_outcomes")

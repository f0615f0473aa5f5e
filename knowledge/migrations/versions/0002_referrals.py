"""referrals, navigator accounts, status history, audit log: moved to the navigator's own history (bot/records/migrations,
revision n0001), which adopts the tables this revision made in older databases.

Revision ID: 0002
Revises: 0001
"""


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

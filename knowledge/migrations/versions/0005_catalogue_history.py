"""catalogue history: who imported, checksums, the bundle kept; uploads awaiting apply

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# New columns of catalogue_imports, all nullable: imports made before them have none.
IMPORT_COLUMNS = (
    ("username", sa.String(length=80)),
    ("checksums", sa.JSON()),
    ("bundle", sa.LargeBinary()),
    ("restored_from", sa.Integer()),
)


# Plain ALTER TABLE ADD/DROP COLUMN, as in 0004 (SQLite does both in place).
def upgrade() -> None:
    for name, kind in IMPORT_COLUMNS:
        op.add_column("catalogue_imports", sa.Column(name, kind, nullable=True))
    op.create_table(
        "catalogue_uploads",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("base_import_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("checksums", sa.JSON(), nullable=False),
        sa.Column("bundle", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_catalogue_uploads")),
    )


def downgrade() -> None:
    op.drop_table("catalogue_uploads")
    for name, _kind in reversed(IMPORT_COLUMNS):
        op.drop_column("catalogue_imports", name)

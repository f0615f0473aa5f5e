"""catalogue Spanish text: the optional `_es` columns of bundle format v1.1

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# table -> its Spanish columns, each the Spanish text of the column it is named after
# (docs/knowledge-bundle.md, "Spanish text"); NULL = no Spanish text.
SPANISH = {
    "programs": ("title_es", "description_es", "cost_notes_es", "prerequisites_es"),
    "services": ("name_es", "description_es", "how_to_apply_es", "eligibility_es", "cost_es"),
    "credentials": ("name_es", "description_es"),
    "occupations": ("title_es", "description_es"),
    "pathways": ("title_es", "description_es"),
}


# Plain ALTER TABLE both ways, no batch mode: SQLite adds and (since 3.35) drops a plain
# column in place, whereas a batch copy of "programs" would drop the old table, and with
# foreign keys on that cascades into the link tables.
def upgrade() -> None:
    for table, columns in SPANISH.items():
        for column in columns:
            op.add_column(table, sa.Column(column, sa.Text(), nullable=True))


def downgrade() -> None:
    for table, columns in SPANISH.items():
        for column in reversed(columns):
            op.drop_column(table, column)

"""directory: partial indexes of the listed designers, by approval and by last activity

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-30 01:20:00

See the indexes after ProjectImage in app/portfolios/models.py: a directory page finds its 24
ids by an index-only scan of the active, visible designers, so that a deep page (?page=200)
skips index entries instead of whole rows, at 100,000 designers.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

PUBLIC_DESIGNER = sa.text("status = 'active' AND account_type = 'designer' AND hidden_at IS NULL")


def upgrade():
    for column in ("approved_at", "last_active_at"):
        op.create_index(
            f"ix_users_directory_{column}_id",
            "users",
            [column, "id"],
            unique=False,
            postgresql_where=PUBLIC_DESIGNER,
            sqlite_where=PUBLIC_DESIGNER,
        )


def downgrade():
    op.drop_index("ix_users_directory_last_active_at_id", table_name="users")
    op.drop_index("ix_users_directory_approved_at_id", table_name="users")

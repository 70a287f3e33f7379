"""read-path indexes: the calls feed by publication, the active visible members (partial)

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-29 22:15:00

See the indexes at the end of app/calls/models.py and app/accounts/models.py: the Atom feed's newest calls and the public call lists' check that the
organiser is an active, visible member, at 100,000 designers.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

VISIBLE_ACTIVE = sa.text("status = 'active' AND hidden_at IS NULL")


def upgrade():
    op.create_index(
        'ix_open_calls_published_at_id', 'open_calls', ['published_at', 'id'], unique=False
    )
    op.create_index(
        'ix_users_visible_active',
        'users',
        ['id'],
        unique=False,
        postgresql_where=VISIBLE_ACTIVE,
        sqlite_where=VISIBLE_ACTIVE,
    )


def downgrade():
    op.drop_index('ix_users_visible_active', table_name='users')
    op.drop_index('ix_open_calls_published_at_id', table_name='open_calls')

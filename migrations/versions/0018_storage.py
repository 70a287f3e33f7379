"""shared generation numbers: the page cache's, in the database when there is no Redis

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 22:20:00

`generations` holds one number per thing many processes keep a copy of (the public pages kept
by app/pagecache.py); a change bumps it, every process compares. Used only without REDIS_URL.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'generations',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_generations')),
    )


def downgrade():
    op.drop_table('generations')

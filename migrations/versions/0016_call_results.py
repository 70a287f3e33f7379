"""call results: the applicant's consent to the public results page, the organiser's prize text

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 20:20:00

`submissions` gains `results_consent` (off for every existing application: nobody agreed yet),
the time it was last given or withdrawn, and an optional prize or mention text.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table(
        'submissions', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.add_column(
            sa.Column('results_consent', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column('results_consent_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('prize', sa.String(length=120), nullable=False, server_default='')
        )


def downgrade():
    with op.batch_alter_table(
        'submissions', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.drop_column('prize')
        batch_op.drop_column('results_consent_at')
        batch_op.drop_column('results_consent')

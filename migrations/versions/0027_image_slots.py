"""avatars, logos and banners resized after the response, as project images are

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-30 01:10:00

Each image slot gains the key of the private original that a background job is still resizing
(None when nothing waits): the served key keeps the previous image until the job has run.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

COLUMNS = (
    ('designer_profiles', 'avatar_original_key'),
    ('organiser_profiles', 'logo_original_key'),
    ('open_calls', 'banner_original_key'),
)


def upgrade():
    for table, column in COLUMNS:
        with op.batch_alter_table(
            table, schema=None, table_kwargs={'sqlite_autoincrement': True}
        ) as batch_op:
            batch_op.add_column(sa.Column(column, sa.String(length=100), nullable=True))


def downgrade():
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(
            table, schema=None, table_kwargs={'sqlite_autoincrement': True}
        ) as batch_op:
            batch_op.drop_column(column)

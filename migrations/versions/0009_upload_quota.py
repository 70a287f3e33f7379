"""upload quota: the bytes each project image takes on disk

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 16:40:00

Images stored before this revision count 0 bytes towards the quota.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('project_images', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('stored_bytes', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('project_images', schema=None) as batch_op:
        batch_op.drop_column('stored_bytes')

"""background jobs: work as rows, and uploaded project images resized after the response

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-29 22:30:00

`background_jobs` holds the work a worker does (resize an image, remove files, a periodic run
of the digests): the database is the source of truth, the queue only wakes workers.
`project_images` gains the key of the private original (kept until the image is deleted) and
the reason its sizes could not be made; existing images have sizes already (no original).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'background_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=True),
        sa.Column(
            'status',
            sa.Enum('pending', 'running', 'done', 'failed', name='jobstatus', native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('max_attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.String(length=1000), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_background_jobs')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_background_jobs_dedupe_key')),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('background_jobs', schema=None) as batch_op:
        batch_op.create_index(
            'ix_background_jobs_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False
        )
    with op.batch_alter_table(
        'project_images', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.add_column(sa.Column('original_key', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('processing_error', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table(
        'project_images', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.drop_column('processing_error')
        batch_op.drop_column('original_key')
    with op.batch_alter_table('background_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_background_jobs_status_next_attempt_at')
    op.drop_table('background_jobs')

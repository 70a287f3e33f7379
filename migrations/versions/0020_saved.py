"""saved calls, call alerts and their matches, private feed tokens

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29 22:00:00

Four new tables: `saved_calls` (a person's saved calls and when each reminder went),
`call_alerts` (saved searches over calls), `alert_matches` (a published call that matched a
person's alerts, told once) and `feed_tokens` (the hash of a person's private feed secret).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_calls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('call_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('week_reminded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('final_reminded_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['call_id'], ['open_calls.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'call_id'),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('saved_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_calls_call_id'), ['call_id'], unique=False)

    op.create_table(
        'call_alerts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=True),
        sa.Column('discipline_id', sa.Integer(), nullable=True),
        sa.Column('country', sa.String(length=2), nullable=True),
        sa.Column('no_fee', sa.Boolean(), nullable=False),
        sa.Column('eligible_for_me', sa.Boolean(), nullable=False),
        sa.Column(
            'frequency',
            sa.Enum('immediately', 'daily', name='alertfrequency', native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['discipline_id'], ['disciplines.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('call_alerts', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_call_alerts_discipline_id'), ['discipline_id'], unique=False
        )
        batch_op.create_index(batch_op.f('ix_call_alerts_user_id'), ['user_id'], unique=False)

    op.create_table(
        'alert_matches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('call_id', sa.Integer(), nullable=False),
        sa.Column('alert_id', sa.Integer(), nullable=True),
        sa.Column(
            'frequency',
            sa.Enum('immediately', 'daily', name='alertfrequency', native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['alert_id'], ['call_alerts.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['call_id'], ['open_calls.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'call_id'),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('alert_matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_matches_alert_id'), ['alert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_matches_call_id'), ['call_id'], unique=False)

    op.create_table(
        'feed_tokens',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id'),
        sa.UniqueConstraint('token_hash'),
    )


def downgrade():
    op.drop_table('feed_tokens')
    with op.batch_alter_table('alert_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_matches_call_id'))
        batch_op.drop_index(batch_op.f('ix_alert_matches_alert_id'))
    op.drop_table('alert_matches')
    with op.batch_alter_table('call_alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_alerts_user_id'))
        batch_op.drop_index(batch_op.f('ix_call_alerts_discipline_id'))
    op.drop_table('call_alerts')
    with op.batch_alter_table('saved_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_calls_call_id'))
    op.drop_table('saved_calls')

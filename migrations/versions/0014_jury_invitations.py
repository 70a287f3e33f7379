"""juror invitations: by handle or by email, with invited / accepted / declined / revoked

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 19:40:00

A jury seat becomes an invitation the person answers. `call_jurors` gains its state, the
address an invitation without an account was sent to (`user_id` may then be empty until that
person signs up), the hash of the link's secret, its expiry, the answer's time and the time an
organisation's invitation stood in for a moderator's approval. Every existing juror was seated
without being asked: they are migrated as accepted.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

STATUS = sa.Enum(
    'invited', 'accepted', 'declined', 'revoked', 'expired',
    name='jurorstatus', native_enum=False, length=16,
)


def upgrade():
    with op.batch_alter_table(
        'call_jurors', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('status', STATUS, nullable=True))
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('approved_by_invitation_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('created_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
    jurors = sa.table(
        'call_jurors',
        sa.column('status', sa.String),
        sa.column('invited_at', sa.DateTime(timezone=True)),
        sa.column('answered_at', sa.DateTime(timezone=True)),
        sa.column('created_at', sa.DateTime(timezone=True)),
    )
    op.execute(
        jurors.update().values(
            status='accepted', created_at=jurors.c.invited_at, answered_at=jurors.c.invited_at
        )
    )
    with op.batch_alter_table(
        'call_jurors', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.alter_column('status', existing_type=STATUS, nullable=False)
        batch_op.alter_column(
            'created_at', existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch_op.create_index(batch_op.f('ix_call_jurors_status'), ['status'], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f('uq_call_jurors_call_id_email'), ['call_id', 'email']
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_call_jurors_token_hash'), ['token_hash']
        )


def downgrade():
    jurors = sa.table(
        'call_jurors', sa.column('user_id', sa.Integer), sa.column('status', sa.String)
    )
    # Only seats someone took survive: the old table knew nothing else.
    op.execute(
        jurors.delete().where(sa.or_(jurors.c.user_id.is_(None), jurors.c.status != 'accepted'))
    )
    with op.batch_alter_table(
        'call_jurors', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_call_jurors_token_hash'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_call_jurors_call_id_email'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_call_jurors_status'))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('created_at')
        batch_op.drop_column('approved_by_invitation_at')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('token_hash')
        batch_op.drop_column('status')
        batch_op.drop_column('email')

"""email preferences per category; the outbox knows whose email it is and its category

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 19:40:00

Messaging's own digest setting becomes one case of the general preferences: `hourly` (within
the hour) is "immediately" (no row: the default), `daily` is "daily digest", `never` stays
"never"; the column `messaging_settings.digest` is dropped (its `last_digest_at` stays, the
hourly rhythm uses it). Downgrade moves the messages choice back.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

CATEGORIES = ('applications', 'reminders', 'jury', 'messages', 'moderation')
DELIVERIES = ('immediately', 'digest', 'never')
FROM_DIGEST = {'daily': 'digest', 'never': 'never'}
TO_DIGEST = {'digest': 'daily', 'never': 'never'}


def _preferences():
    return sa.table(
        'email_preferences',
        sa.column('user_id', sa.Integer),
        sa.column('category', sa.String),
        sa.column('delivery', sa.String),
        sa.column('updated_at', sa.DateTime(timezone=True)),
    )


def _settings(*columns):
    return sa.table('messaging_settings', sa.column('user_id', sa.Integer), *columns)


def upgrade():
    op.create_table(
        'email_preferences',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column(
            'category',
            sa.Enum(*CATEGORIES, name='emailcategory', native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            'delivery',
            sa.Enum(*DELIVERIES, name='delivery', native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_email_preferences_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('user_id', 'category', name=op.f('pk_email_preferences')),
    )
    with op.batch_alter_table(
        'outgoing_emails', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                'category',
                sa.Enum(*CATEGORIES, name='emailcategory', native_enum=False, length=16),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column('link', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_outgoing_emails_user_id_users'), 'users', ['user_id'], ['id'],
            ondelete='SET NULL',
        )

    conn = op.get_bind()
    settings = _settings(sa.column('digest', sa.String))
    rows = conn.execute(sa.select(settings.c.user_id, settings.c.digest)).all()
    moved = [
        {'user_id': user_id, 'category': 'messages', 'delivery': FROM_DIGEST[digest],
         'updated_at': sa.func.current_timestamp()}
        for user_id, digest in rows
        if digest in FROM_DIGEST
    ]
    for row in moved:
        conn.execute(_preferences().insert().values(**row))
    with op.batch_alter_table('messaging_settings', schema=None) as batch_op:
        batch_op.drop_column('digest')


def downgrade():
    with op.batch_alter_table('messaging_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'digest',
                sa.Enum('hourly', 'daily', 'never', name='digestfrequency', native_enum=False,
                        length=16),
                nullable=False,
                server_default='hourly',
            )
        )
    conn = op.get_bind()
    prefs = _preferences()
    settings = _settings(sa.column('digest', sa.String))
    for user_id, delivery in conn.execute(
        sa.select(prefs.c.user_id, prefs.c.delivery).where(prefs.c.category == 'messages')
    ).all():
        digest = TO_DIGEST.get(delivery)
        if digest is None:
            continue
        updated = conn.execute(
            settings.update().where(settings.c.user_id == user_id).values(digest=digest)
        )
        if not updated.rowcount:
            conn.execute(settings.insert().values(user_id=user_id, digest=digest))
    with op.batch_alter_table('messaging_settings', schema=None) as batch_op:
        batch_op.alter_column('digest', server_default=None)

    with op.batch_alter_table(
        'outgoing_emails', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outgoing_emails_user_id_users'), type_='foreignkey')
        batch_op.drop_column('list_unsubscribe')
        batch_op.drop_column('link')
        batch_op.drop_column('category')
        batch_op.drop_column('user_id')
    op.drop_table('email_preferences')

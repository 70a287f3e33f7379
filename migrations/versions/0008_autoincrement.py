"""never reuse ids: AUTOINCREMENT on SQLite

SQLite gives the rowid of a deleted row to the next row unless the table is declared with
AUTOINCREMENT, so a new submission could inherit a deleted one's outbox keys and a new project
a deleted one's reports. A table's declaration can only change by recreating it (batch mode,
with foreign keys off: see env.py). PostgreSQL's sequences never reuse a value: nothing to do.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 16:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# Every table with a surrogate integer id (search_documents excepted: its rowid is the FTS5
# index's key, kept by triggers that a recreate would drop, and it is never referenced).
TABLES = (
    'users',
    'designer_profiles',
    'organiser_profiles',
    'disciplines',
    'projects',
    'project_images',
    'open_calls',
    'call_questions',
    'call_jurors',
    'submissions',
    'submission_answers',
    'reviews',
    'conversations',
    'conversation_participants',
    'messages',
    'blocks',
    'moderation_actions',
    'reports',
    'appeals',
    'rejection_templates',
    'notifications',
    'outgoing_emails',
)


def _recreate(autoincrement):
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in TABLES:
        with op.batch_alter_table(
            table,
            recreate='always',
            table_kwargs={'sqlite_autoincrement': autoincrement},
        ):
            pass


def upgrade():
    _recreate(True)


def downgrade():
    _recreate(False)

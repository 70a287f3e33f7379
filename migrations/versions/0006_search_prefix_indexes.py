"""search: prefix indexes for SQLite full text (short prefixes such as "ha noi" stay fast)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 22:10:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TABLE = """CREATE VIRTUAL TABLE search_fts USING fts5(
    search_text, content='search_documents', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'{prefix})"""


def _recreate(prefix: str) -> None:
    # The FTS5 table reads its text from search_documents (external content): rebuilding it
    # from there keeps every document; the triggers of 0002 refer to it by name and stay.
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS search_fts")
    op.execute(TABLE.format(prefix=prefix))
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def upgrade():
    _recreate(", prefix='2 3'")


def downgrade():
    _recreate("")

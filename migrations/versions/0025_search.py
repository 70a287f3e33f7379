"""search: a stored tsvector on PostgreSQL, indexed with GIN (SQLite keeps FTS5)

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30 01:10:00

PostgreSQL computed `to_tsvector('simple', search_text)` again for every row it ranked or
rechecked (the GIN index was on the expression): 500 candidates cost 15-20 ms, and a sequential
plan computed it for every row it read. `search_vector` is a generated column, so PostgreSQL
keeps it in step with search_text on every insert and update (the app, `flask search reindex`
and the benchmark's bulk load alike) and adding it fills it for the existing rows. The column
and its index live beside the model, like SQLite's FTS5 table (migrations/env.py leaves them
out of autogenerate): the app reaches them only in app/search/services.py's PostgreSQL branch.

Adding the column rewrites search_documents under an exclusive lock (searches wait): 400,000
documents took about a minute on the benchmark's busy 2-core machine, hence no statement timeout
for this migration's transaction.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("SET LOCAL statement_timeout = 0")
    op.execute("DROP INDEX IF EXISTS ix_search_documents_fts")
    op.execute(
        "ALTER TABLE search_documents ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"
    )
    op.execute("CREATE INDEX ix_search_documents_fts ON search_documents USING gin (search_vector)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("SET LOCAL statement_timeout = 0")
    op.execute("DROP INDEX IF EXISTS ix_search_documents_fts")
    op.execute("ALTER TABLE search_documents DROP COLUMN search_vector")
    op.execute(
        "CREATE INDEX ix_search_documents_fts ON search_documents "
        "USING gin (to_tsvector('simple', search_text))"
    )

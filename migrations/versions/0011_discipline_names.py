"""discipline names as one mapping {"en": .., "vi": .., "fr": ..} instead of a column each

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 17:10:00

A language is added by adding a key, not a column. The names move into `names` (JSON) and
the three columns are dropped; downgrade moves them back.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

LANGUAGES = ("en", "vi", "fr")


def _table(*columns):
    return sa.table("disciplines", sa.column("id", sa.Integer), *columns)


def upgrade():
    with op.batch_alter_table("disciplines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("names", sa.JSON(), nullable=True))
    conn = op.get_bind()
    old = _table(*(sa.column(f"name_{code}", sa.String) for code in LANGUAGES))
    new = _table(sa.column("names", sa.JSON))
    for row in conn.execute(sa.select(old)).mappings().all():
        names = {code: row[f"name_{code}"] for code in LANGUAGES if row[f"name_{code}"]}
        conn.execute(new.update().where(new.c.id == row["id"]).values(names=names))
    with op.batch_alter_table("disciplines", schema=None) as batch_op:
        batch_op.alter_column("names", existing_type=sa.JSON(), nullable=False)
        for code in LANGUAGES:
            batch_op.drop_column(f"name_{code}")


def downgrade():
    with op.batch_alter_table("disciplines", schema=None) as batch_op:
        for code in LANGUAGES:
            batch_op.add_column(sa.Column(f"name_{code}", sa.String(length=80), nullable=True))
    conn = op.get_bind()
    old = _table(*(sa.column(f"name_{code}", sa.String) for code in LANGUAGES))
    new = _table(sa.column("names", sa.JSON))
    for row in conn.execute(sa.select(new)).mappings().all():
        names = row["names"] or {}
        fallback = names.get("en") or next(iter(names.values()), "")
        conn.execute(
            old.update()
            .where(old.c.id == row["id"])
            .values({f"name_{code}": (names.get(code) or fallback)[:80] for code in LANGUAGES})
        )
    with op.batch_alter_table("disciplines", schema=None) as batch_op:
        for code in LANGUAGES:
            batch_op.alter_column(f"name_{code}", existing_type=sa.String(length=80), nullable=False)
        batch_op.drop_column("names")

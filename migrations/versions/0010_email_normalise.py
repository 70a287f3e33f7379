"""email addresses in their normal form (NFKC, IDNA domain, lower case)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 16:30:00

Addresses are now stored as app.accounts.services.normalise_email writes them, so that
`x@ｅｘａｍｐｌｅ．ｏｒｇ` and `x@example.org` are one account. Existing rows are rewritten;
when two accounts would meet under one address, neither is changed and both are reported
here for a person to settle (the newer one cannot be merged automatically).
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def _normalise(raw):
    # A copy of app.accounts.services.normalise_email as it was when this migration was written.
    address = unicodedata.normalize("NFKC", raw).strip()
    local, at, domain = address.rpartition("@")
    if at and domain:
        try:
            domain = domain.rstrip(".").encode("idna").decode("ascii")
        except UnicodeError:
            pass
        address = f"{local}@{domain}"
    return address.lower()


def upgrade():
    conn = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('email', sa.String))
    rows = conn.execute(sa.select(users.c.id, users.c.email)).all()
    wanted = {}
    for user_id, email in rows:
        wanted.setdefault(_normalise(email), []).append((user_id, email))
    for normal, owners in wanted.items():
        if len(owners) > 1:
            print(f"0010_email_normalise: accounts {[i for i, _e in owners]} share {normal!r}; left as they are")
            continue
        user_id, email = owners[0]
        if email != normal:
            conn.execute(sa.update(users).where(users.c.id == user_id).values(email=normal))


def downgrade():
    # The previous form is not kept: normal addresses remain valid for the older code.
    pass

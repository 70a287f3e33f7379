"""organisations: logo (image pipeline) with its alt text, contact email, folded search text

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 19:40:00

An organiser who never named their organisation gets their display name as its name (the
default the sign-up now writes); `search_text` is filled for every existing row.
"""

from alembic import op
import sqlalchemy as sa

from app.text import fold


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organiser_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("logo_key", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("logo_width", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("logo_alt", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("contact_email", sa.String(length=254), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("show_contact_email", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("search_text", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.create_index(
            batch_op.f("ix_organiser_profiles_search_text"), ["search_text"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organiser_profiles_country"), ["country"], unique=False
        )
    conn = op.get_bind()
    profiles = sa.table(
        "organiser_profiles",
        sa.column("id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("organisation", sa.String),
        sa.column("city", sa.String),
        sa.column("search_text", sa.String),
    )
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("display_name", sa.String))
    rows = conn.execute(
        sa.select(
            profiles.c.id, profiles.c.organisation, profiles.c.city, users.c.display_name
        ).join(users, users.c.id == profiles.c.user_id)
    ).all()
    for row in rows:
        name = row.organisation or (row.display_name or "")[:150]
        folded_name = " ".join(fold(name).split())[:200]
        folded_city = " ".join(fold(row.city or "").split())
        conn.execute(
            profiles.update()
            .where(profiles.c.id == row.id)
            .values(organisation=name, search_text=f"{folded_name} | {folded_city}"[:300])
        )


def downgrade():
    with op.batch_alter_table("organiser_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organiser_profiles_country"))
        batch_op.drop_index(batch_op.f("ix_organiser_profiles_search_text"))
        batch_op.drop_column("search_text")
        batch_op.drop_column("show_contact_email")
        batch_op.drop_column("contact_email")
        batch_op.drop_column("logo_alt")
        batch_op.drop_column("logo_width")
        batch_op.drop_column("logo_key")

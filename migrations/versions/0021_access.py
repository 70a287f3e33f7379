"""call access: open, invite-only (access codes) or nominated (nominators and candidates)

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-29 22:00:00

`open_calls` gains `access_mode` ("open" for every existing call: nothing changes for them).
Invite-only calls have codes (`call_access_codes`, each with its uses left) and the people a
code let in (`call_access_grants`); nominated calls have nominators with a quota
(`call_nominators`) and their candidates (`call_nominations`).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table(
        "open_calls", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(
            sa.Column(
                "access_mode",
                sa.Enum(
                    "open",
                    "invite_only",
                    "nominated",
                    name="accessmode",
                    native_enum=False,
                    length=16,
                ),
                nullable=False,
                server_default="open",
            )
        )
    op.create_table(
        "call_access_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("uses_left", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "uses BETWEEN 1 AND 1000", name=op.f("ck_call_access_codes_access_code_uses_range")
        ),
        sa.CheckConstraint(
            "uses_left BETWEEN 0 AND uses",
            name=op.f("ck_call_access_codes_access_code_uses_left_range"),
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["open_calls.id"],
            name=op.f("fk_call_access_codes_call_id_open_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_access_codes")),
        sa.UniqueConstraint("code", name=op.f("uq_call_access_codes_code")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("call_access_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_access_codes_call_id"), ["call_id"], unique=False
        )
    op.create_table(
        "call_access_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["open_calls.id"],
            name=op.f("fk_call_access_grants_call_id_open_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["call_access_codes.id"],
            name=op.f("fk_call_access_grants_code_id_call_access_codes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_call_access_grants_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_access_grants")),
        sa.UniqueConstraint(
            "call_id", "user_id", name=op.f("uq_call_access_grants_call_id_user_id")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("call_access_grants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_access_grants_code_id"), ["code_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_call_access_grants_user_id"), ["user_id"], unique=False
        )
    op.create_table(
        "call_nominators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "quota BETWEEN 1 AND 100", name=op.f("ck_call_nominators_nominator_quota_range")
        ),
        sa.CheckConstraint(
            "used BETWEEN 0 AND quota", name=op.f("ck_call_nominators_nominator_used_range")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["open_calls.id"],
            name=op.f("fk_call_nominators_call_id_open_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_call_nominators_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_nominators")),
        sa.UniqueConstraint("call_id", "user_id", name=op.f("uq_call_nominators_call_id_user_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("call_nominators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_nominators_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_call_nominators_user_id"), ["user_id"], unique=False)
    op.create_table(
        "call_nominations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("nominator_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signed_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["open_calls.id"],
            name=op.f("fk_call_nominations_call_id_open_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["nominator_id"],
            ["call_nominators.id"],
            name=op.f("fk_call_nominations_nominator_id_call_nominators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_call_nominations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_nominations")),
        sa.UniqueConstraint("call_id", "email", name=op.f("uq_call_nominations_call_id_email")),
        sa.UniqueConstraint(
            "call_id", "user_id", name=op.f("uq_call_nominations_call_id_user_id")
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_call_nominations_token_hash")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("call_nominations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_nominations_nominator_id"), ["nominator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_call_nominations_user_id"), ["user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("call_nominations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_nominations_user_id"))
        batch_op.drop_index(batch_op.f("ix_call_nominations_nominator_id"))
    op.drop_table("call_nominations")
    with op.batch_alter_table("call_nominators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_nominators_user_id"))
        batch_op.drop_index(batch_op.f("ix_call_nominators_call_id"))
    op.drop_table("call_nominators")
    with op.batch_alter_table("call_access_grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_access_grants_user_id"))
        batch_op.drop_index(batch_op.f("ix_call_access_grants_code_id"))
    op.drop_table("call_access_grants")
    with op.batch_alter_table("call_access_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_access_codes_call_id"))
    op.drop_table("call_access_codes")
    with op.batch_alter_table(
        "open_calls", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_column("access_mode")

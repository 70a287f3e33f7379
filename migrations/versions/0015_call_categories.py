"""call categories (tracks): description, optional own deadline, max projects and jury

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 20:20:00

A call may have categories; an applicant picks one. Existing calls have none and their
submissions keep an empty `category_id`: nothing changes for them.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "call_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("max_projects", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "max_projects IS NULL OR (max_projects BETWEEN 1 AND 10)",
            name=op.f("ck_call_categories_category_max_projects_range"),
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["open_calls.id"],
            name=op.f("fk_call_categories_call_id_open_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_categories")),
        sa.UniqueConstraint("call_id", "name", name=op.f("uq_call_categories_call_id_name")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("call_categories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_categories_call_id"), ["call_id"], unique=False)
    op.create_table(
        "call_category_jurors",
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("juror_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["call_categories.id"],
            name=op.f("fk_call_category_jurors_category_id_call_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["juror_id"],
            ["call_jurors.id"],
            name=op.f("fk_call_category_jurors_juror_id_call_jurors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("category_id", "juror_id", name=op.f("pk_call_category_jurors")),
    )
    with op.batch_alter_table("call_category_jurors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_category_jurors_juror_id"), ["juror_id"], unique=False
        )
    with op.batch_alter_table(
        "submissions", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(sa.Column("category_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_submissions_category_id"), ["category_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_submissions_category_id_call_categories"),
            "call_categories",
            ["category_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table(
        "submissions", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_submissions_category_id_call_categories"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_submissions_category_id"))
        batch_op.drop_column("category_id")
    with op.batch_alter_table("call_category_jurors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_category_jurors_juror_id"))
    op.drop_table("call_category_jurors")
    with op.batch_alter_table("call_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_categories_call_id"))
    op.drop_table("call_categories")

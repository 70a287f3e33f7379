"""decision emails: the organiser's texts per decision and language, the jury's feedback

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 22:30:00

Two new tables, empty for existing calls: every call keeps the built-in decision emails and
sends no juror comment until its organiser chooses otherwise.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "decision_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "pending",
                "shortlisted",
                "accepted",
                "declined",
                name="decision",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["open_calls.id"],
            name=op.f("fk_decision_templates_call_id_open_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_templates")),
        sa.UniqueConstraint(
            "call_id",
            "decision",
            "locale",
            name=op.f("uq_decision_templates_call_id_decision_locale"),
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("decision_templates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_templates_call_id"), ["call_id"], unique=False
        )
    op.create_table(
        "shared_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_shared_feedback_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_shared_feedback_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_feedback")),
        sa.UniqueConstraint(
            "submission_id",
            "review_id",
            name=op.f("uq_shared_feedback_submission_id_review_id"),
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("shared_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shared_feedback_review_id"), ["review_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_shared_feedback_submission_id"), ["submission_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("shared_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shared_feedback_submission_id"))
        batch_op.drop_index(batch_op.f("ix_shared_feedback_review_id"))
    op.drop_table("shared_feedback")
    with op.batch_alter_table("decision_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_templates_call_id"))
    op.drop_table("decision_templates")

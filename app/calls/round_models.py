"""Review rounds of a call: their weighted criteria, the scores per criterion, which
submissions entered a round (with their precomputed averages) and who reviews what."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import NEVER_REUSE_IDS, UTCDateTime, str_enum, utcnow
from app.extensions import Model


class RoundStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class RoundEntry(enum.StrEnum):
    """Which submissions a round takes when it opens."""

    ALL = "all"  # every submitted application, also those submitted later
    SHORTLISTED = "shortlisted"  # those the organiser shortlisted (or accepted)
    ABOVE = "above"  # a weighted average of the previous round at least `threshold`


class AssignmentMode(enum.StrEnum):
    EVERYONE = "everyone"  # every juror of the round reviews every submission in it
    PER_SUBMISSION = "per_submission"  # N jurors per submission, balanced


SCALES = (5, 10)


class ReviewRound(Model):
    __tablename__ = "review_rounds"
    __table_args__ = (
        UniqueConstraint("call_id", "name"),
        CheckConstraint("scale IN (5, 10)", name="round_scale"),
        CheckConstraint(
            "jurors_per_submission IS NULL OR (jurors_per_submission BETWEEN 1 AND 20)",
            name="round_jurors_per_submission",
        ),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("open_calls.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(80))
    status: Mapped[RoundStatus] = mapped_column(
        str_enum(RoundStatus), default=RoundStatus.DRAFT, index=True
    )
    scale: Mapped[int] = mapped_column(default=5)
    # Jurors of this round see the scores of the earlier rounds only if the organiser says so.
    show_earlier: Mapped[bool] = mapped_column(default=False)
    entry: Mapped[RoundEntry] = mapped_column(str_enum(RoundEntry), default=RoundEntry.ALL)
    threshold: Mapped[float | None] = mapped_column(Float)
    assignment: Mapped[AssignmentMode] = mapped_column(
        str_enum(AssignmentMode), default=AssignmentMode.EVERYONE
    )
    jurors_per_submission: Mapped[int | None] = mapped_column()
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    criteria: Mapped[list[RoundCriterion]] = relationship(
        back_populates="round",
        order_by="RoundCriterion.position, RoundCriterion.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def weights_total(self) -> int:
        return sum(c.weight for c in self.criteria)


class RoundCriterion(Model):
    """A criterion of a round's rubric ("Originality", 40 %)."""

    __tablename__ = "round_criteria"
    __table_args__ = (
        UniqueConstraint("round_id", "name"),
        CheckConstraint("weight BETWEEN 1 AND 100", name="criterion_weight"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("review_rounds.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(80))
    weight: Mapped[int] = mapped_column()

    round: Mapped[ReviewRound] = relationship(back_populates="criteria")


class CriterionScore(Model):
    """One juror's score (1..the round's scale) on one criterion, with an optional comment."""

    __tablename__ = "criterion_scores"
    __table_args__ = (
        UniqueConstraint("review_id", "criterion_id"),
        CheckConstraint("score BETWEEN 1 AND 10", name="criterion_score_range"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("round_criteria.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")


class RoundSubmission(Model):
    """A submission in a round: entered when the round opened (rounds that take a selection),
    and its averages, recomputed whenever a score of the round is saved (the table sorts on
    them in SQL)."""

    __tablename__ = "round_submissions"
    __table_args__ = (
        UniqueConstraint("round_id", "submission_id"),
        Index("ix_round_submissions_round_weighted", "round_id", "weighted"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="CASCADE"))
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    # Chosen when the round opened (a round taking all submissions needs no choice).
    entered: Mapped[bool] = mapped_column(default=False)
    review_count: Mapped[int] = mapped_column(default=0)
    weighted: Mapped[float | None] = mapped_column(Float)
    normalised: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RoundAssignment(Model):
    """A juror asked to review one submission in a round (rounds with N jurors per submission)."""

    __tablename__ = "round_assignments"
    __table_args__ = (UniqueConstraint("round_id", "submission_id", "juror_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="CASCADE"))
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

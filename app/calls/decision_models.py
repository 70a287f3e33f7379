"""What a call's decision emails say: the organiser's own texts per decision and language, and
the jurors' comments the organiser chose to pass on to an applicant (anonymised)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.calls.models import Decision, OpenCall, Review, Submission
from app.db_types import NEVER_REUSE_IDS, UTCDateTime, str_enum, utcnow
from app.extensions import Model


class DecisionTemplate(Model):
    """The organiser's wording of one decision's email in one language. Plain text with the
    placeholders {name}, {call}, {decision} and {link}; no row: the built-in text."""

    __tablename__ = "decision_templates"
    __table_args__ = (UniqueConstraint("call_id", "decision", "locale"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("open_calls.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[Decision] = mapped_column(str_enum(Decision))
    locale: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    call: Mapped[OpenCall] = relationship()


class SharedFeedback(Model):
    """A juror's overall comment the organiser chose to send to the applicant with the decision.
    The text is kept as it was when chosen (what the organiser read is what is sent); the juror
    is never named, only numbered by `position`. Goes with the review (an erased account)."""

    __tablename__ = "shared_feedback"
    __table_args__ = (UniqueConstraint("submission_id", "review_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    submission: Mapped[Submission] = relationship()
    review: Mapped[Review] = relationship()

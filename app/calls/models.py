"""Open calls, their questions and jurors, submissions, answers and reviews."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.calls.round_models import CriterionScore, ReviewRound
from app.db_types import NEVER_REUSE_IDS, UTCDateTime, str_enum, utcnow
from app.extensions import Model, db
from app.portfolios.models import Project
from app.profiles.models import Discipline


class CallKind(enum.StrEnum):
    COMPETITION = "competition"
    RESIDENCY = "residency"
    EXHIBITION = "exhibition"
    FESTIVAL = "festival"
    GRANT = "grant"
    COMMISSION = "commission"
    JOB = "job"


class AccessMode(enum.StrEnum):
    """Who may apply: anyone eligible, holders of an access code, or nominated candidates."""

    OPEN = "open"
    INVITE_ONLY = "invite_only"
    NOMINATED = "nominated"


class CallStatus(enum.StrEnum):
    """What the organiser set. `OpenCall.state()` adds the clock: published + past → closed."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    ARCHIVED = "archived"


class QuestionKind(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    URL = "url"
    YES_NO = "yes_no"
    CHOICE = "choice"


class SubmissionStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class Decision(enum.StrEnum):
    PENDING = "pending"
    SHORTLISTED = "shortlisted"
    ACCEPTED = "accepted"
    DECLINED = "declined"


call_disciplines = Table(
    "call_disciplines",
    db.metadata,
    Column("call_id", ForeignKey("open_calls.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "discipline_id",
        ForeignKey("disciplines.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class OpenCall(Model):
    __tablename__ = "open_calls"
    __table_args__ = (
        CheckConstraint("max_projects BETWEEN 1 AND 10", name="max_projects_range"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[CallKind] = mapped_column(str_enum(CallKind), index=True)
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # The IANA zone the organiser thinks in: the deadline is entered and shown in it.
    timezone: Mapped[str] = mapped_column(String(64))
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # Fee disclosure is required: either no entry fee, or the amount as the organiser writes it.
    no_entry_fee: Mapped[bool] = mapped_column(default=True, index=True)
    entry_fee: Mapped[str] = mapped_column(String(80), default="")
    prizes: Mapped[str] = mapped_column(Text, default="")
    max_projects: Mapped[int] = mapped_column(default=3)
    max_age: Mapped[int | None] = mapped_column()
    allowed_countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    blind_review: Mapped[bool] = mapped_column(default=False)
    # Who may apply (app.calls.access): open to all, by access code, or by nomination.
    access_mode: Mapped[AccessMode] = mapped_column(str_enum(AccessMode), default=AccessMode.OPEN)
    status: Mapped[CallStatus] = mapped_column(
        str_enum(CallStatus), default=CallStatus.DRAFT, index=True
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when a moderator hides the call (404 to the public meanwhile).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The banner image, through the same pipeline as project images (key of the stored files).
    banner_key: Mapped[str | None] = mapped_column(String(100), index=True)
    banner_widths: Mapped[list[int]] = mapped_column(JSON, default=list)
    banner_alt: Mapped[str] = mapped_column(String(300), default="")
    # A new banner still being resized (app.media.deferred): its private original's key.
    banner_original_key: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship()
    disciplines: Mapped[list[Discipline]] = relationship(
        secondary=call_disciplines, order_by=Discipline.position
    )
    questions: Mapped[list[CallQuestion]] = relationship(
        back_populates="call",
        order_by="CallQuestion.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    jurors: Mapped[list[Juror]] = relationship(
        back_populates="call", cascade="all, delete-orphan", passive_deletes=True
    )
    categories: Mapped[list[CallCategory]] = relationship(
        back_populates="call",
        order_by="CallCategory.position, CallCategory.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def closes_at(self) -> datetime:
        """The first instant refused: a deadline "at 23:59" accepts the whole of that minute."""
        return self.deadline_at + timedelta(minutes=1)

    def state(self, now: datetime | None = None) -> CallStatus:
        """The status with the clock applied: published and past its deadline is closed."""
        now = now or utcnow()
        if self.status == CallStatus.PUBLISHED and now >= self.closes_at:
            return CallStatus.CLOSED
        return self.status

    def is_open(self, now: datetime | None = None) -> bool:
        """Published, opened, deadline not passed (judged on the server in UTC)."""
        now = now or utcnow()
        if self.state(now) != CallStatus.PUBLISHED:
            return False
        return self.opens_at is None or self.opens_at <= now

    @property
    def is_public(self) -> bool:
        return self.status != CallStatus.DRAFT and self.hidden_at is None

    @property
    def path(self) -> str:
        return f"/calls/{self.slug}"

    @property
    def banner_srcset(self) -> str:
        return ", ".join(f"/media/{self.banner_key}/{w}.webp {w}w" for w in self.banner_widths)

    @property
    def banner_src(self) -> str:
        return f"/media/{self.banner_key}/fallback.jpg"

    def __repr__(self) -> str:
        return f"<OpenCall {self.slug} {self.status}>"


class CallQuestion(Model):
    __tablename__ = "call_questions"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("open_calls.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind))
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)

    call: Mapped[OpenCall] = relationship(back_populates="questions")


category_jurors = Table(
    "call_category_jurors",
    db.metadata,
    Column("category_id", ForeignKey("call_categories.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "juror_id", ForeignKey("call_jurors.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class CallCategory(Model):
    """A category (track) of a call, e.g. "Poster" or "Student": an applicant picks one. Its own
    deadline (never later than the call's) and maximum of projects override the call's."""

    __tablename__ = "call_categories"
    __table_args__ = (
        UniqueConstraint("call_id", "name"),
        CheckConstraint(
            "max_projects IS NULL OR (max_projects BETWEEN 1 AND 10)",
            name="category_max_projects_range",
        ),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("open_calls.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    max_projects: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    call: Mapped[OpenCall] = relationship(back_populates="categories")
    # Its own jury, among the call's jurors; empty: the call's accepted jurors review it.
    jurors: Mapped[list[Juror]] = relationship(secondary=category_jurors)

    def closes_at(self) -> datetime:
        """The first instant refused in this category: its own deadline, else the call's."""
        deadline = self.deadline_at or self.call.deadline_at
        return deadline + timedelta(minutes=1)

    def is_open(self, now: datetime | None = None) -> bool:
        """The call is open and this category's own deadline has not passed."""
        now = now or utcnow()
        return self.call.is_open(now) and now < self.closes_at()

    def projects_allowed(self) -> int:
        return self.max_projects or self.call.max_projects


class JurorStatus(enum.StrEnum):
    """Where a jury seat stands. EXPIRED is never stored: `Juror.state()` reads it off the clock."""

    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"
    EXPIRED = "expired"


class Juror(Model):
    """An invitation to review one call, and once accepted a seat on its jury: juror is a role
    per call, not per account. Sent to a member (`user_id`) or to an address without an account
    (`email`, with a single-use link whose hash only is kept, `token_hash`)."""

    __tablename__ = "call_jurors"
    __table_args__ = (
        UniqueConstraint("call_id", "user_id"),
        UniqueConstraint("call_id", "email"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("open_calls.id", ondelete="CASCADE"))
    # None while an invitation sent to an address waits for its person to sign up.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # The address an invitation was sent to when it had no account (kept: who was asked).
    email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[JurorStatus] = mapped_column(
        str_enum(JurorStatus), default=JurorStatus.INVITED, index=True
    )
    # SHA-256 of the invitation link's secret; cleared once the link is used or revoked.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the invitation of a verified organisation stood in for a moderator's approval
    # (a new account, still pending, may review this call); cleared when a moderator revokes it.
    approved_by_invitation_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    call: Mapped[OpenCall] = relationship(back_populates="jurors")
    user: Mapped[User | None] = relationship()

    def state(self, now: datetime | None = None) -> JurorStatus:
        """The stored status with the clock applied: an unanswered link past its date expired."""
        now = now or utcnow()
        if self.status == JurorStatus.INVITED and self.expires_at and now >= self.expires_at:
            return JurorStatus.EXPIRED
        return self.status

    @property
    def invitee(self) -> str:
        """Who was invited, as the organiser knows them: a name, else the address."""
        if self.user is not None:
            return self.user.display_name
        return self.email or ""


submission_projects = Table(
    "submission_projects",
    db.metadata,
    Column("submission_id", ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Submission(Model):
    __tablename__ = "submissions"
    # One application per designer per call, held by the database even under a double click.
    __table_args__ = (UniqueConstraint("call_id", "applicant_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("open_calls.id", ondelete="CASCADE"), index=True
    )
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    statement: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SubmissionStatus] = mapped_column(
        str_enum(SubmissionStatus), default=SubmissionStatus.DRAFT, index=True
    )
    decision: Mapped[Decision] = mapped_column(str_enum(Decision), default=Decision.PENDING)
    decision_message: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The category picked, when the call has categories (removal is refused once used).
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("call_categories.id", ondelete="SET NULL"), index=True
    )
    # The designer may keep an acceptance off their public portfolio.
    credit_hidden: Mapped[bool] = mapped_column(default=False)
    # Shown on the call's public results page only with the applicant's agreement (off until
    # they tick it); withdrawing it takes them off the page.
    results_consent: Mapped[bool] = mapped_column(default=False)
    results_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The organiser's optional prize or mention for an accepted work ("Gold award").
    prize: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    call: Mapped[OpenCall] = relationship()
    category: Mapped[CallCategory | None] = relationship()
    applicant: Mapped[User] = relationship()
    projects: Mapped[list[Project]] = relationship(secondary=submission_projects)
    answers: Mapped[list[Answer]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", passive_deletes=True
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def visible_decision(self) -> Decision:
        """What the applicant sees: a decision only once they were notified of it."""
        return self.decision if self.notified_at is not None else Decision.PENDING


class Answer(Model):
    __tablename__ = "submission_answers"
    __table_args__ = (
        UniqueConstraint("submission_id", "question_id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("call_questions.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(Text, default="")

    submission: Mapped[Submission] = relationship(back_populates="answers")
    question: Mapped[CallQuestion] = relationship()


class Review(Model):
    """One juror's review of one submission in one round: their weighted score (on the round's
    scale, from their scores per criterion) and overall comment, or their recusal from it."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("round_id", "submission_id", "juror_id"),
        CheckConstraint("score IS NULL OR (score BETWEEN 1 AND 10)", name="score_range"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("review_rounds.id", ondelete="CASCADE"), index=True
    )
    # The weighted average of the criterion scores (None: not scored yet, or recused).
    score: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    conflict_of_interest: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="reviews")
    juror: Mapped[User] = relationship()
    round: Mapped[ReviewRound] = relationship()
    scores: Mapped[list[CriterionScore]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


# The Atom feed reads the newest published calls: walked in this order instead of sorting every
# public call joined to its organiser (~100 ms at 100,000 designers on PostgreSQL; now < 1 ms).
Index("ix_open_calls_published_at_id", OpenCall.published_at, OpenCall.id)

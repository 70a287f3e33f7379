"""Reports and the append-only log of moderation and admin actions."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import NEVER_REUSE_IDS, UTCDateTime, str_enum, utcnow
from app.extensions import Model


class ActionKind(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    VERIFY_ORGANISER = "verify_organiser"
    HIDE = "hide"
    RESTORE = "restore"
    WARN = "warn"
    SUSPEND = "suspend"
    LIFT_SUSPENSION = "lift_suspension"
    RESOLVE_REPORT = "resolve_report"
    DISMISS_REPORT = "dismiss_report"
    GRANT_ROLE = "grant_role"
    REVOKE_ROLE = "revoke_role"
    APPEAL_DECIDED = "appeal_decided"
    CREATE_ADMIN = "create_admin"
    EDIT_DISCIPLINE = "edit_discipline"
    EDIT_REJECTION_TEMPLATE = "edit_rejection_template"
    DELETE_ACCOUNT = "delete_account"
    # A verified organisation's jury invitation stood in for approval (jury work on one call).
    JURY_APPROVAL = "jury_approval"
    REVOKE_JURY_APPROVAL = "revoke_jury_approval"
    # A project or a designer shown on the home page for a period (app/social), and its end.
    FEATURE = "feature"
    END_FEATURE = "end_feature"
    # A verified organisation's nomination stood in for approval (applying to one call).
    NOMINATION_APPROVAL = "nomination_approval"
    REVOKE_NOMINATION_APPROVAL = "revoke_nomination_approval"


# The decisions a person may ask the moderators to reconsider (once each).
APPEALABLE = (ActionKind.REJECT, ActionKind.SUSPEND, ActionKind.WARN, ActionKind.HIDE)


class ModerationAction(Model):
    """One line of the audit log: who did what, to whom or what, why and when. Never edited."""

    __tablename__ = "moderation_actions"
    __table_args__ = (
        Index("ix_moderation_actions_subject_id_created_at", "subject_id", "created_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActionKind] = mapped_column(str_enum(ActionKind, length=32), index=True)
    # None when the system acted (e.g. the command line with no acting account).
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The person the action is about (the owner, for content).
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    target_type: Mapped[str | None] = mapped_column(
        String(32)
    )  # "user", "project", "call", "message"
    target_id: Mapped[int | None] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])


@event.listens_for(ModerationAction, "before_update")
def _refuse_update(*_: Any) -> None:
    raise RuntimeError("the moderation log is append-only")


@event.listens_for(ModerationAction, "before_delete")
def _refuse_delete(*_: Any) -> None:
    raise RuntimeError("the moderation log is append-only")


class ReportReason(enum.StrEnum):
    SPAM = "spam"
    HARASSMENT = "harassment"
    PLAGIARISM = "plagiarism"
    INAPPROPRIATE = "inappropriate"
    SCAM = "scam"
    OTHER = "other"


class Guideline(enum.StrEnum):
    """The community guidelines (/guidelines), by their anchor on that page."""

    RESPECT = "respect"
    OWN_WORK = "own-work"
    NO_SPAM = "no-spam"
    NO_HARASSMENT = "no-harassment"
    HONEST_CALLS = "honest-calls"
    PRIVACY = "privacy"


GUIDELINE_TITLES = {
    Guideline.RESPECT: _l("Respect everyone"),
    Guideline.OWN_WORK: _l("Show only your own work"),
    Guideline.NO_SPAM: _l("No spam"),
    Guideline.NO_HARASSMENT: _l("No harassment or hate"),
    Guideline.HONEST_CALLS: _l("Honest calls, fees disclosed"),
    Guideline.PRIVACY: _l("Respect privacy"),
}


# The one place a report reason meets the rule it refers to (the report form links to it,
# moderation emails name it). "Other" refers to no rule in particular.
GUIDELINE_OF_REASON: dict[ReportReason, Guideline] = {
    ReportReason.SPAM: Guideline.NO_SPAM,
    ReportReason.HARASSMENT: Guideline.NO_HARASSMENT,
    ReportReason.PLAGIARISM: Guideline.OWN_WORK,
    ReportReason.INAPPROPRIATE: Guideline.RESPECT,
    ReportReason.SCAM: Guideline.HONEST_CALLS,
}


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class Report(Model):
    """A person's report on a profile, project, call or message; one per reporter per target."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("reporter_id", "target_type", "target_id"),
        Index("ix_reports_status_target", "status", "target_type", "target_id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int] = mapped_column()
    # The person responsible for the target, so that queues group and act on people.
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[ReportReason] = mapped_column(str_enum(ReportReason, length=32))
    details: Mapped[str] = mapped_column(Text, default="")
    # What the target said when reported (e.g. a message's text), kept as evidence.
    snapshot: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReportStatus] = mapped_column(
        str_enum(ReportStatus, length=32), default=ReportStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])


class AppealStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # the action stands
    OVERTURNED = "overturned"  # the action was reversed


class Appeal(Model):
    """A person's request to reconsider one action about them; at most one per action."""

    __tablename__ = "appeals"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("moderation_actions.id"), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[AppealStatus] = mapped_column(
        str_enum(AppealStatus, length=32), default=AppealStatus.OPEN, index=True
    )
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    action: Mapped[ModerationAction] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class RejectionTemplate(Model):
    """A reason moderators often give when they reject someone; admins edit the list."""

    __tablename__ = "rejection_templates"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

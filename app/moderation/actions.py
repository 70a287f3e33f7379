"""What moderators and admins do: each change writes its line in the log in the same
transaction, and the person concerned is told. Functions flush, never commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.accounts.models import StaffRole, User, UserStatus
from app.accounts.services import (
    AccountError,
    approve_user,
    end_all_sessions,
    reject_user,
)
from app.accounts.tokens import make_token
from app.db_types import utcnow
from app.extensions import db
from app.i18n import when_in
from app.mail.models import EmailCategory
from app.mail.services import in_recipient_language, once_key, queue_email
from app.moderation import targets
from app.moderation.models import (
    APPEALABLE,
    GUIDELINE_OF_REASON,
    GUIDELINE_TITLES,
    ActionKind,
    Appeal,
    AppealStatus,
    Guideline,
    ModerationAction,
    RejectionTemplate,
    Report,
    ReportReason,
    ReportStatus,
)
from app.moderation.services import log_action
from app.moderation.targets import TargetType
from app.notifications.services import notify
from app.savepoints import savepoint
from app.transitions import claim
from app.urls import public_url


class ModerationError(Exception):
    """A rule refused the action; the message is for the moderator or the person."""


class DuplicateAppeal(ModerationError):
    """The person already appealed this action."""


# --- Telling people -------------------------------------------------------------------------


def tell(
    person: User,
    *,
    kind: str,
    subject: Callable[[], str],
    text: Callable[[], str],
    reason: str = "",
    endpoint: str = "account.moderation",
    link: str | None = None,
    dedupe_key: str | None = None,
    rule: Guideline | None = None,
    category: EmailCategory | None = None,
) -> None:
    """Notify a person and email them, in their own language (flushes); `rule`: the community
    rule the action enforces, named and linked in the email; `category`: None for what always
    goes (warnings, suspension and its lifting), else the person's choice applies."""
    if person.status == UserStatus.DELETED:
        return
    with in_recipient_language(person.locale):
        body = str(text())
        rule_title = str(GUIDELINE_TITLES[rule]) if rule else ""
    url = link or public_url(endpoint)
    notify(user=person, kind=kind, text=body, url=url)
    queue_email(
        to=person.email,
        subject=LazyString(subject),
        template="moderation_notice",
        locale=person.locale,
        dedupe_key=dedupe_key,
        category=category,
        user=person,
        body=body,
        reason=reason,
        link=url,
        rule_title=rule_title,
        rule_link=public_url("main.guidelines", _anchor=str(rule)) if rule else "",
    )


def rule_of_reports(target_type: str, target_id: int) -> Guideline | None:
    """The rule the open reports on a target refer to most (None: none, or only "other")."""
    rows = db.session.execute(
        select(Report.reason, func.count())
        .where(
            Report.target_type == target_type,
            Report.target_id == target_id,
            Report.status == ReportStatus.OPEN,
            Report.reason != ReportReason.OTHER,
        )
        .group_by(Report.reason)
        .order_by(func.count().desc(), Report.reason)
    ).first()
    return GUIDELINE_OF_REASON.get(ReportReason(rows[0])) if rows else None


# --- Content -------------------------------------------------------------------------------


def hide_content(*, target: TargetType, obj: Any, actor: User, reason: str) -> ModerationAction:
    """Hide a profile, project, call or message from the public, and tell its owner."""
    reason = _require_reason(reason)
    if not claim(obj, where={"hidden_at": None}, values={"hidden_at": utcnow()}):
        raise ModerationError(_("This is already hidden."))
    return _content_changed(
        ActionKind.HIDE,
        target=target,
        obj=obj,
        actor=actor,
        reason=reason,
        subject=lambda: _("Some of your content was hidden"),
        text=lambda title: _("A moderator hid “%(title)s” from the public.", title=title),
    )


def restore_content(*, target: TargetType, obj: Any, actor: User, reason: str) -> ModerationAction:
    """Show hidden content to the public again, and tell its owner."""
    if obj.hidden_at is None or not claim(
        obj, where={"hidden_at": obj.hidden_at}, values={"hidden_at": None}
    ):
        raise ModerationError(_("This is not hidden."))
    return _content_changed(
        ActionKind.RESTORE,
        target=target,
        obj=obj,
        actor=actor,
        reason=reason,
        subject=lambda: _("Your content is visible again"),
        text=lambda title: _("“%(title)s” is visible to the public again.", title=title),
    )


def _content_changed(
    kind: ActionKind,
    *,
    target: TargetType,
    obj: Any,
    actor: User,
    reason: str,
    subject: Callable[[], str],
    text: Callable[[str], str],
) -> ModerationAction:
    """After hiding or restoring: search and caches follow, the log records, the owner is told."""
    target.on_visibility_change(obj)
    owner = target.owner(obj)
    title = target.title(obj)
    action = log_action(
        kind=kind,
        actor=actor,
        subject=owner,
        target_type=target.name,
        target_id=obj.id,
        reason=reason,
        title=title,
    )
    if owner is not None:
        tell(
            owner,
            kind=f"moderation.{kind.value}",
            subject=subject,
            text=lambda: text(title),
            reason=reason,
            rule=rule_of_reports(target.name, obj.id) if kind == ActionKind.HIDE else None,
            category=EmailCategory.MODERATION,
        )
    return action


# --- People --------------------------------------------------------------------------------


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise ModerationError(_("Give the person a reason."))
    return reason.strip()


def warn(*, person: User, actor: User, reason: str) -> ModerationAction:
    """Send a person a formal warning they see on their account page."""
    reason = _require_reason(reason)
    action = log_action(kind=ActionKind.WARN, actor=actor, subject=person, reason=reason)
    tell(
        person,
        kind="moderation.warn",
        subject=lambda: _("A warning from the moderators"),
        text=lambda: _("A moderator sent you a warning."),
        reason=reason,
        rule=rule_of_reports("profile", person.id),
    )
    return action


SUSPENSION_DAYS = (1, 7, 30)


def suspend(*, person: User, actor: User | None, days: int | None, reason: str) -> ModerationAction:
    """Suspend a person for some days (None: until lifted); their sessions end at once."""
    reason = _require_reason(reason)
    if person.status not in (UserStatus.ACTIVE, UserStatus.PENDING, UserStatus.SUSPENDED):
        raise ModerationError(_("Only active or pending people can be suspended."))
    # A suspension may be changed, but two clicks on the same state make one suspension.
    if not claim(
        person,
        where={"status": person.status, "suspended_until": person.suspended_until},
        values={
            "status": UserStatus.SUSPENDED,
            "status_reason": reason,
            "suspended_until": utcnow() + timedelta(days=days) if days else None,
        },
    ):
        raise ModerationError(_("Another moderator has just changed this account. Reload."))
    end_all_sessions(person)
    until = person.suspended_until
    action = log_action(
        kind=ActionKind.SUSPEND,
        actor=actor,
        subject=person,
        reason=reason,
        days=days,
        until=until.isoformat() if until else None,
    )

    def text() -> str:
        if until is None:
            return _("Your account is suspended until a moderator lifts the suspension.")
        # In the person's own time zone, named: the moderator's may differ.
        return _(
            "Your account is suspended until %(date)s.",
            date=when_in(until, person.timezone or "", "long"),
        )

    tell(
        person,
        kind="moderation.suspend",
        subject=lambda: _("Your account is suspended"),
        text=text,
        reason=reason,
        link=public_url("account.appeal_with_token", token=appeal_token(person, action)),
        rule=rule_of_reports("profile", person.id),
    )
    return action


def lift_suspension(*, person: User, actor: User | None, reason: str = "") -> ModerationAction:
    """End a suspension before its time; the person can log in again."""
    if not claim(
        person,
        where={"status": UserStatus.SUSPENDED},
        values={
            "status": UserStatus.ACTIVE if person.approved_at else UserStatus.PENDING,
            "status_reason": None,
            "suspended_until": None,
        },
    ):
        raise ModerationError(_("This person is not suspended."))
    action = log_action(kind=ActionKind.LIFT_SUSPENSION, actor=actor, subject=person, reason=reason)
    tell(
        person,
        kind="moderation.lift",
        subject=lambda: _("Your suspension is lifted"),
        text=lambda: _("Your suspension is lifted: you can log in again."),
        reason=reason,
    )
    return action


def approve(*, person: User, actor: User, reason: str = "") -> ModerationAction:
    """Approve a pending designer or verify a pending organiser (told by email)."""
    try:
        approve_user(person, actor=actor, reason=reason)
    except AccountError as exc:
        raise ModerationError(str(exc)) from exc
    with in_recipient_language(person.locale):
        text = _("Your profile is approved: welcome to the network.")
    notify(user=person, kind="moderation.approve", text=text)
    return _last_action(person)


def reject(*, person: User, actor: User, reason: str) -> ModerationAction:
    """Refuse a pending person with a reason they read (told by email)."""
    try:
        reject_user(person, actor=actor, reason=reason)
    except AccountError as exc:
        raise ModerationError(str(exc)) from exc
    return _last_action(person)


def _last_action(person: User) -> ModerationAction:
    action = db.session.scalar(
        select(ModerationAction)
        .where(ModerationAction.subject_id == person.id)
        .order_by(ModerationAction.id.desc())
        .limit(1)
    )
    assert action is not None
    return action


# --- Reports -------------------------------------------------------------------------------


def open_reports(target_type: str, target_id: int) -> list[Report]:
    return list(
        db.session.scalars(
            select(Report)
            .where(
                Report.target_type == target_type,
                Report.target_id == target_id,
                Report.status == ReportStatus.OPEN,
            )
            .options(joinedload(Report.reporter))
            .order_by(Report.created_at)
        )
    )


def _close_reports(
    *, target_type: str, target_id: int, actor: User, status: ReportStatus, reason: str
) -> ModerationAction:
    reports = open_reports(target_type, target_id)
    if not reports:
        raise ModerationError(_("There are no open reports on this."))
    now = utcnow()
    for report in reports:
        # Two moderators closing the same reports: the second finds them handled.
        if not claim(
            report,
            where={"status": ReportStatus.OPEN},
            values={"status": status, "handled_at": now, "handled_by_id": actor.id},
        ):
            raise ModerationError(_("Another moderator has just handled these reports."))
    subject_id = reports[0].subject_id
    resolved = status == ReportStatus.RESOLVED
    action = log_action(
        kind=ActionKind.RESOLVE_REPORT if resolved else ActionKind.DISMISS_REPORT,
        actor=actor,
        subject=db.session.get(User, subject_id) if subject_id else None,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        reports=[r.id for r in reports],
    )

    def text() -> str:
        if resolved:
            return _("Thank you: the moderators looked at what you reported and took action.")
        return _("Thank you: the moderators looked at what you reported and found no rule broken.")

    for report in reports:
        if report.reporter is not None:
            tell(
                report.reporter,
                kind="moderation.report_handled",
                subject=lambda: _("Your report was handled"),
                text=text,
                endpoint="main.home",
                dedupe_key=once_key("report-handled", report),
                category=EmailCategory.MODERATION,
            )
    return action


def resolve_reports(
    *, target_type: str, target_id: int, actor: User, reason: str = ""
) -> ModerationAction:
    """Close the open reports on a target as acted upon; each reporter is told."""
    return _close_reports(
        target_type=target_type,
        target_id=target_id,
        actor=actor,
        status=ReportStatus.RESOLVED,
        reason=reason,
    )


def dismiss_reports(
    *, target_type: str, target_id: int, actor: User, reason: str = ""
) -> ModerationAction:
    """Close the open reports on a target without action; each reporter is told."""
    return _close_reports(
        target_type=target_type,
        target_id=target_id,
        actor=actor,
        status=ReportStatus.DISMISSED,
        reason=reason,
    )


# --- Appeals -------------------------------------------------------------------------------

APPEAL_TOKEN_MAX_AGE = 60 * 60 * 24 * 60


def appeal_token(person: User, action: ModerationAction) -> str:
    """A link that lets a suspended person (who cannot log in) appeal one action."""
    return make_token(person, "appeal", action=action.id)


def file_appeal(*, action: ModerationAction, person: User, text: str) -> Appeal:
    """Ask the moderators to reconsider an action about oneself; once per action."""
    if action.subject_id != person.id or action.kind not in APPEALABLE:
        raise ModerationError(_("This decision cannot be appealed."))
    if not text.strip():
        raise ModerationError(_("Say why the decision should change."))
    exists = db.session.scalar(select(Appeal.id).where(Appeal.action_id == action.id))
    if exists is not None:
        raise DuplicateAppeal(_("You already appealed this decision."))
    appeal = Appeal(action_id=action.id, user_id=person.id, text=text.strip()[:4000])
    try:
        # One appeal per action (a unique index): the second of two racing requests loses.
        with savepoint():
            db.session.add(appeal)
    except IntegrityError as exc:
        raise DuplicateAppeal(_("You already appealed this decision.")) from exc
    return appeal


def decide_appeal(*, appeal: Appeal, actor: User, overturn: bool, reason: str) -> ModerationAction:
    """Uphold or overturn the appealed action; the outcome is logged and the person told."""
    reason = _require_reason(reason)
    if not claim(
        appeal,
        where={"status": AppealStatus.OPEN},
        values={
            "status": AppealStatus.OVERTURNED if overturn else AppealStatus.UPHELD,
            "decision_reason": reason,
            "decided_by_id": actor.id,
            "decided_at": utcnow(),
        },
    ):
        raise ModerationError(_("This appeal was already decided."))
    person = appeal.user
    action = appeal.action
    if overturn and person is not None:
        _reverse(action, person=person, actor=actor, reason=reason)
    logged = log_action(
        kind=ActionKind.APPEAL_DECIDED,
        actor=actor,
        subject=person,
        target_type="appeal",
        target_id=appeal.id,
        reason=reason,
        outcome=str(appeal.status),
        action=action.id,
    )
    if person is not None:

        def text() -> str:
            if overturn:
                return _("Your appeal was accepted: the decision was reversed.")
            return _("Your appeal was declined: the decision stands.")

        tell(
            person,
            kind="moderation.appeal",
            subject=lambda: _("Your appeal was decided"),
            text=text,
            reason=reason,
            category=EmailCategory.MODERATION,
        )
    return logged


def _reverse(action: ModerationAction, *, person: User, actor: User, reason: str) -> None:
    # Reversing is itself an action on the person, so it writes its own log line too.
    if action.kind == ActionKind.SUSPEND and person.status == UserStatus.SUSPENDED:
        lift_suspension(person=person, actor=actor, reason=reason)
    elif action.kind == ActionKind.REJECT and person.status == UserStatus.REJECTED:
        approve(person=person, actor=actor, reason=reason)
    elif action.kind == ActionKind.HIDE and action.target_type and action.target_id:
        target = targets.get(action.target_type)
        obj = target.load(action.target_id) if target else None
        if target is not None and obj is not None and targets.is_hidden(obj):
            restore_content(target=target, obj=obj, actor=actor, reason=reason)


# --- Administration ------------------------------------------------------------------------


def active_admin_count() -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.staff_role == StaffRole.ADMIN, User.status == UserStatus.ACTIVE)
        )
        or 0
    )


def set_staff_role(*, person: User, role: StaffRole, actor: User) -> ModerationAction:
    """Grant or revoke the moderator and admin roles; the last admin always stays."""
    if role == person.staff_role:
        raise ModerationError(_("This person already has this role."))
    if person.staff_role == StaffRole.ADMIN and active_admin_count() <= 1:
        raise ModerationError(_("The network needs at least one admin."))
    if role != StaffRole.NONE and person.status != UserStatus.ACTIVE:
        raise ModerationError(_("Only active members can be moderators or admins."))
    ranks = list(StaffRole)
    granted = ranks.index(role) > ranks.index(person.staff_role)
    previous = person.staff_role
    if not claim(person, where={"staff_role": previous}, values={"staff_role": role}):
        raise ModerationError(_("This person already has this role."))
    return log_action(
        kind=ActionKind.GRANT_ROLE if granted else ActionKind.REVOKE_ROLE,
        actor=actor,
        subject=person,
        role=str(role),
        previous=str(previous),
    )


def save_rejection_template(
    *, template: RejectionTemplate | None, actor: User, title: str, body: str, position: int
) -> RejectionTemplate:
    """Add or change a rejection reason moderators can start from."""
    if template is None:
        template = RejectionTemplate()
        db.session.add(template)
    template.title, template.body, template.position = title.strip(), body.strip(), position
    db.session.flush()
    log_action(
        kind=ActionKind.EDIT_REJECTION_TEMPLATE,
        actor=actor,
        target_type="rejection_template",
        target_id=template.id,
        title=template.title,
    )
    return template


def delete_rejection_template(*, template: RejectionTemplate, actor: User) -> None:
    """Remove a rejection reason from the list (decisions already made keep their text)."""
    log_action(
        kind=ActionKind.EDIT_REJECTION_TEMPLATE,
        actor=actor,
        target_type="rejection_template",
        target_id=template.id,
        title=template.title,
        deleted=True,
    )
    db.session.delete(template)
    db.session.flush()

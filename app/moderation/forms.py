"""Forms of moderators, admins, reporters and people who appeal."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.accounts.models import StaffRole, UserStatus
from app.forms import Form, choices
from app.moderation.models import ActionKind, AppealStatus, ReportReason, ReportStatus

REPORT_REASONS = {
    ReportReason.SPAM: _l("Spam or advertising"),
    ReportReason.HARASSMENT: _l("Harassment or hate"),
    ReportReason.PLAGIARISM: _l("Plagiarism or stolen work"),
    ReportReason.INAPPROPRIATE: _l("Inappropriate content"),
    ReportReason.SCAM: _l("A scam or an unfair call"),
    ReportReason.OTHER: _l("Something else"),
}

ACTION_LABELS = {
    ActionKind.APPROVE: _l("Approved"),
    ActionKind.REJECT: _l("Rejected"),
    ActionKind.VERIFY_ORGANISER: _l("Organiser verified"),
    ActionKind.HIDE: _l("Hidden"),
    ActionKind.RESTORE: _l("Restored"),
    ActionKind.WARN: _l("Warned"),
    ActionKind.SUSPEND: _l("Suspended"),
    ActionKind.LIFT_SUSPENSION: _l("Suspension lifted"),
    ActionKind.RESOLVE_REPORT: _l("Reports resolved"),
    ActionKind.DISMISS_REPORT: _l("Reports dismissed"),
    ActionKind.GRANT_ROLE: _l("Role granted"),
    ActionKind.REVOKE_ROLE: _l("Role revoked"),
    ActionKind.APPEAL_DECIDED: _l("Appeal decided"),
    ActionKind.CREATE_ADMIN: _l("Admin created"),
    ActionKind.EDIT_DISCIPLINE: _l("Discipline edited"),
    ActionKind.JURY_APPROVAL: _l("Approved for jury work by invitation"),
    ActionKind.REVOKE_JURY_APPROVAL: _l("Jury work by invitation revoked"),
    ActionKind.FEATURE: _l("Featured on the home page"),
    ActionKind.END_FEATURE: _l("Staff pick ended"),
    ActionKind.NOMINATION_APPROVAL: _l("Approved to apply by nomination"),
    ActionKind.REVOKE_NOMINATION_APPROVAL: _l("Application by nomination revoked"),
    ActionKind.EDIT_REJECTION_TEMPLATE: _l("Rejection reason edited"),
    ActionKind.DELETE_ACCOUNT: _l("Account deleted"),
}

ROLE_LABELS = {
    StaffRole.NONE: _l("No staff role"),
    StaffRole.MODERATOR: _l("Moderator"),
    StaffRole.ADMIN: _l("Admin"),
}

STATUS_LABELS = {
    UserStatus.PENDING: _l("Waiting for approval"),
    UserStatus.ACTIVE: _l("Active member"),
    UserStatus.REJECTED: _l("Rejected"),
    UserStatus.SUSPENDED: _l("Suspended"),
    UserStatus.DELETED: _l("Deleted"),
}

REPORT_STATUS_LABELS = {
    ReportStatus.OPEN: _l("open"),
    ReportStatus.RESOLVED: _l("resolved"),
    ReportStatus.DISMISSED: _l("dismissed"),
}

APPEAL_STATUS_LABELS = {
    AppealStatus.OPEN: _l("waiting for a moderator"),
    AppealStatus.UPHELD: _l("declined, the decision stands"),
    AppealStatus.OVERTURNED: _l("accepted, the decision was reversed"),
}

TARGET_LABELS = {
    "profile": _l("Profile"),
    "project": _l("Project"),
    "call": _l("Open call"),
    "message": _l("Message"),
}

REASON_HINT = _l("The person reads this reason.")


class ReasonForm(Form):
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=2000)], description=REASON_HINT
    )


class OptionalReasonForm(Form):
    reason = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])


class RejectForm(Form):
    template = SelectField(_l("Start from a common reason"), validators=[Optional()])
    reason = TextAreaField(
        _l("Reason, in your words"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Added after the common reason, if you chose one. The person reads it."),
    )

    def __init__(self, *args: Any, templates: list[tuple[str, str]] = [], **kwargs: Any) -> None:  # noqa: B006
        super().__init__(*args, **kwargs)
        self.template.choices = choices([("", _l("— none —")), *templates])

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.template.data and not (self.reason.data or "").strip():
            self.reason.errors = [*self.reason.errors, str(_l("Choose a reason or write one."))]
            return False
        return ok


SUSPEND_CHOICES = [("1", _l("1 day")), ("7", _l("7 days")), ("30", _l("30 days"))]


class SuspendForm(Form):
    duration = RadioField(
        _l("For how long"),
        choices=choices([*SUSPEND_CHOICES, ("forever", _l("Until lifted"))]),
        default="7",
        validators=[InputRequired()],
    )
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=2000)], description=REASON_HINT
    )

    @property
    def days(self) -> int | None:
        return None if self.duration.data == "forever" else int(self.duration.data or 7)


class ResolveForm(Form):
    outcome = RadioField(
        _l("What to do"),
        choices=choices(
            [
                ("hide", _l("Hide it from the public")),
                ("warn", _l("Warn the person responsible")),
                ("none", _l("Already handled: just close the reports")),
            ]
        ),
        default="hide",
        validators=[InputRequired()],
    )
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=2000)], description=REASON_HINT
    )


class ReportForm(Form):
    reason = RadioField(
        _l("What is wrong?"),
        choices=choices([(str(k), v) for k, v in REPORT_REASONS.items()]),
        validators=[InputRequired(message=_l("Choose a reason."))],
    )
    details = TextAreaField(
        _l("Details (optional)"),
        validators=[Optional(), Length(max=4000)],
        description=_l("What should the moderators look at? Only they read this."),
    )


class DecideAppealForm(Form):
    outcome = RadioField(
        _l("Decision"),
        choices=choices(
            [
                ("uphold", _l("Uphold: the decision stands")),
                ("overturn", _l("Overturn: reverse the decision")),
            ]
        ),
        validators=[InputRequired()],
    )
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=2000)], description=REASON_HINT
    )


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=choices([(str(k), v) for k, v in ROLE_LABELS.items()]))


class GrantForm(Form):
    handle = StringField(_l("Handle"), validators=[DataRequired(), Length(max=30)])
    role = SelectField(
        _l("Role"),
        choices=choices([(str(k), v) for k, v in ROLE_LABELS.items() if k != StaffRole.NONE]),
    )


class RejectionTemplateForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=80)])
    body = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=2000)], description=REASON_HINT
    )
    position = IntegerField(
        _l("Position"), default=0, validators=[Optional(), NumberRange(0, 1000)]
    )

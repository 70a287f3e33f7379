"""Forms of the messaging pages."""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import Length, ValidationError

from app.forms import Form, choices
from app.mail.models import Delivery
from app.messaging.services import MessagingError, check_text
from app.moderation.models import ReportReason


def _valid_text(_form: Any, field: Any) -> None:
    try:
        check_text(field.data or "")
    except MessagingError as exc:
        raise ValidationError(str(exc.reason)) from None


class MessageForm(Form):
    body = TextAreaField(
        _l("Message"),
        validators=[_valid_text],
        description=_l("Plain text; links become clickable. At most 5,000 characters."),
        render_kw={"rows": 4, "maxlength": 5000},
    )
    # One random token per rendered form: the same form sent twice is stored once.
    token = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.token.data:
            self.token.data = secrets.token_urlsafe(16)

    def fresh(self) -> MessageForm:
        """An empty form with a new token, for the next message."""
        return MessageForm(formdata=None)


class DigestForm(Form):
    # The "messages" category of the email preferences (/account/notifications), here too
    # because this is where people look for it.
    digest = RadioField(
        _l("Email me about unread messages"),
        choices=choices(
            [
                (Delivery.IMMEDIATELY.value, _l("Within the hour")),
                (Delivery.DIGEST.value, _l("In my daily digest")),
                (Delivery.NEVER.value, _l("Never")),
            ]
        ),
    )


REASON_LABELS = {
    ReportReason.SPAM: _l("Spam or advertising"),
    ReportReason.HARASSMENT: _l("Harassment or threats"),
    ReportReason.SCAM: _l("A scam or a request for money"),
    ReportReason.INAPPROPRIATE: _l("Inappropriate content"),
    ReportReason.PLAGIARISM: _l("Plagiarism"),
    ReportReason.OTHER: _l("Something else"),
}


class ReportForm(Form):
    reason = RadioField(
        _l("What is wrong with this message?"),
        choices=choices([(r.value, label) for r, label in REASON_LABELS.items()]),
    )
    details = TextAreaField(
        _l("Anything the moderators should know (optional)"),
        validators=[Length(max=2000)],
        render_kw={"rows": 3},
    )

    def validate_reason(self, field: Any) -> None:
        if field.data not in {r.value for r in ReportReason}:
            raise ValidationError(_l("Choose a reason."))

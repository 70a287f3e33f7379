"""The email preferences form: one choice per category."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import InputRequired

from app.forms import Form, choices
from app.mail.models import Delivery, EmailCategory
from app.notifications.email_preferences import CATEGORY_HINTS, CATEGORY_LABELS, DELIVERY_LABELS

DELIVERY_CHOICES = [(d.value, label) for d, label in DELIVERY_LABELS.items()]


def _choice(category: EmailCategory) -> RadioField:
    return RadioField(
        CATEGORY_LABELS[category],
        choices=choices(DELIVERY_CHOICES),
        description=CATEGORY_HINTS[category],
        validators=[InputRequired(_l("Choose immediately, daily digest or never."))],
    )


class EmailPreferencesForm(Form):
    # Field names are the categories' values (the form posts `messages=digest`...).
    applications = _choice(EmailCategory.APPLICATIONS)
    reminders = _choice(EmailCategory.REMINDERS)
    jury = _choice(EmailCategory.JURY)
    messages = _choice(EmailCategory.MESSAGES)
    moderation = _choice(EmailCategory.MODERATION)

    @classmethod
    def for_choices(cls, chosen: dict[EmailCategory, Delivery], **kwargs: Any) -> Any:
        return cls(data={c.value: d.value for c, d in chosen.items()}, **kwargs)

    def chosen(self) -> dict[EmailCategory, Delivery]:
        return {c: Delivery(self[c.value].data) for c in EmailCategory}

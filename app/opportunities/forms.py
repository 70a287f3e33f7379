"""The alert form: what to look for among new calls, and how often to be told."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField
from wtforms.validators import InputRequired

from app.calls.forms import KIND_LABELS
from app.forms import Form, choices
from app.i18n import countries
from app.opportunities.models import AlertFrequency, CallAlert
from app.opportunities.services import AlertData
from app.profiles.queries import discipline_choices

FREQUENCY_LABELS = {
    AlertFrequency.IMMEDIATELY: _l("As soon as a matching call is published"),
    AlertFrequency.DAILY: _l("Once a day, all the matching calls together"),
}


class AlertForm(Form):
    kind = SelectField(_l("Kind of call"), default="")
    discipline = SelectField(_l("Discipline"), default="")
    country = SelectField(
        _l("Open to designers from"),
        default="",
        description=_l("Calls without a country rule are open to every country."),
    )
    no_fee = BooleanField(_l("No entry fee"))
    eligible_for_me = BooleanField(
        _l("Only calls I am eligible for"),
        description=_l("Your age on the deadline day and your country, from your profile."),
    )
    frequency = RadioField(
        _l("Tell me"),
        choices=choices([(f.value, label) for f, label in FREQUENCY_LABELS.items()]),
        default=AlertFrequency.IMMEDIATELY.value,
        validators=[InputRequired(_l("Choose how often to be told."))],
    )

    def __init__(self, *args: Any, designer: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locale = str(get_locale() or "en")
        self.kind.choices = choices(
            [("", _l("Any kind")), *((k.value, v) for k, v in KIND_LABELS.items())]
        )
        self.discipline.choices = choices([("", _l("Any discipline")), *discipline_choices(locale)])
        self.country.choices = choices([("", _l("Any country")), *countries(locale)])
        if not designer:
            del self.eligible_for_me

    @classmethod
    def for_alert(cls, alert: CallAlert, **kwargs: Any) -> AlertForm:
        return cls(
            data={
                "kind": alert.kind or "",
                "discipline": str(alert.discipline_id or ""),
                "country": alert.country or "",
                "no_fee": alert.no_fee,
                "eligible_for_me": alert.eligible_for_me,
                "frequency": alert.frequency.value,
            },
            **kwargs,
        )

    def alert_data(self) -> AlertData:
        eligible = getattr(self, "eligible_for_me", None)
        return AlertData(
            kind=self.kind.data or "",
            discipline_id=int(self.discipline.data) if self.discipline.data else None,
            country=self.country.data or "",
            no_fee=bool(self.no_fee.data),
            eligible_for_me=bool(eligible.data) if eligible is not None else False,
            frequency=AlertFrequency(self.frequency.data),
        )

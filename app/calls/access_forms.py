"""Forms of access codes and nominations, and the words for a call's access mode."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.calls.models import AccessMode
from app.forms import Form

ACCESS_LABELS = {
    AccessMode.OPEN: _l("Open: every eligible designer may apply"),
    AccessMode.INVITE_ONLY: _l("Invite-only: applicants enter an access code you give them"),
    AccessMode.NOMINATED: _l("Nominated: only candidates put forward by your nominators apply"),
}

# Said on the call's page and card, to the people who might apply.
ACCESS_SHORT = {
    AccessMode.OPEN: _l("Open to all"),
    AccessMode.INVITE_ONLY: _l("By invitation: an access code is needed to apply"),
    AccessMode.NOMINATED: _l("By nomination: only nominated candidates apply"),
}

# A tag on the card of a call not open to all.
ACCESS_TAG = {
    AccessMode.INVITE_ONLY: _l("By invitation"),
    AccessMode.NOMINATED: _l("By nomination"),
}

CODES_AT_ONCE = 200
USES_MAX = 1000
QUOTA_MAX = 100


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class CodesForm(Form):
    count = IntegerField(
        _l("How many codes"),
        default=10,
        validators=[InputRequired(), NumberRange(min=1, max=CODES_AT_ONCE)],
    )
    uses = IntegerField(
        _l("Uses per code"),
        description=_l("1: a code for one person. More: one code shared by a group."),
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=USES_MAX)],
    )
    label = StringField(
        _l("Note (optional)"),
        description=_l("Only you see it, e.g. who you gave the codes to."),
        filters=[_strip],
        validators=[Length(max=80)],
    )
    expires_on = DateField(
        _l("Valid until (optional)"),
        description=_l("In the call's time zone."),
        validators=[Optional()],
    )
    expires_time = TimeField(_l("At"), default=time(23, 59), validators=[Optional()])


class RedeemForm(Form):
    code = StringField(
        _l("Access code"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Enter the code you were given.")), Length(max=40)],
    )


class NominatorForm(Form):
    who = StringField(
        _l("Handle or email"),
        description=_l("A member's @handle or the email address of their account."),
        filters=[_strip],
        validators=[DataRequired(), Length(max=254)],
    )
    quota = IntegerField(
        _l("Candidates they may put forward"),
        default=3,
        validators=[InputRequired(), NumberRange(min=1, max=QUOTA_MAX)],
    )


class NominationForm(Form):
    candidate = StringField(
        _l("Candidate's handle or email"),
        description=_l(
            "A member's @handle, or an email address: someone without an account is invited "
            "to sign up."
        ),
        filters=[_strip],
        validators=[DataRequired(), Length(max=254)],
    )

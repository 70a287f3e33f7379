"""Forms of the round editor: a round's settings and how it opens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.calls.round_models import AssignmentMode, RoundEntry
from app.forms import Form, choices


class RoundForm(Form):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Give the round a name.")), Length(max=80)]
    )
    scale = RadioField(
        _l("Scale"), choices=choices([("5", _l("1 to 5")), ("10", _l("1 to 10"))]), default="5"
    )
    show_earlier = BooleanField(_l("Show the earlier rounds' scores to this round's jurors"))
    assignment = RadioField(
        _l("Who reviews what"),
        choices=choices(
            [
                (AssignmentMode.EVERYONE.value, _l("Every juror reviews every submission")),
                (AssignmentMode.PER_SUBMISSION.value, _l("A number of jurors per submission")),
            ]
        ),
        default=AssignmentMode.EVERYONE.value,
    )
    jurors_per_submission = IntegerField(
        _l("Jurors per submission"),
        validators=[Optional(), NumberRange(1, 20, _l("From 1 to 20."))],
    )


class OpenRoundForm(Form):
    entry = RadioField(
        _l("Submissions that enter the round"),
        choices=choices(
            [
                (RoundEntry.ALL.value, _l("All submitted applications")),
                (RoundEntry.SHORTLISTED.value, _l("Those shortlisted (or accepted)")),
                (
                    RoundEntry.ABOVE.value,
                    _l("A weighted average in the previous round of at least"),
                ),
            ]
        ),
        default=RoundEntry.ALL.value,
    )
    threshold = DecimalField(_l("Minimum weighted average"), places=2, validators=[Optional()])

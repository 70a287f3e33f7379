"""The follower-list setting and the staff-pick form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import Form


class ListsForm(Form):
    hide_lists = BooleanField(_l("Keep the lists of who follows me and whom I follow private"))


class FeatureForm(Form):
    starts_on = DateField(_l("From (first day)"), validators=[DataRequired()])
    ends_on = DateField(_l("Until (last day)"), validators=[DataRequired()])
    note = StringField(_l("Why (shown with the pick, optional)"), validators=[Length(max=300)])

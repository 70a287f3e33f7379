"""The disciplines admin's form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.forms import Form


class DisciplineForm(Form):
    slug = StringField(
        _l("Short name in links"),
        validators=[DataRequired(), Length(max=40), Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$")],
        description=_l("Lower-case letters, digits and hyphens."),
    )
    name_vi = StringField(_l("Name in Vietnamese"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=80)])
    name_fr = StringField(_l("Name in French"), validators=[DataRequired(), Length(max=80)])
    position = IntegerField(
        _l("Position"), default=0, validators=[Optional(), NumberRange(0, 1000)]
    )

"""The disciplines admin's form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.forms import Form

DISCIPLINE_LANGUAGES = ("en", "vi", "fr")


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

    def __init__(self, *args: Any, obj: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None and kwargs.get("formdata", True) is None:
            for code in DISCIPLINE_LANGUAGES:
                self[f"name_{code}"].data = obj.names.get(code, "")

    def names(self) -> dict[str, str]:
        """The names typed, by language code."""
        return {code: (self[f"name_{code}"].data or "").strip() for code in DISCIPLINE_LANGUAGES}

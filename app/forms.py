"""Form helpers shared by every domain, and `Form`, the base of every form.

`Form` refuses, for every field of every form, what the database cannot store or the fields
cannot read: a NUL character gets the field's own message (and what the person typed is shown
again without it); a JSON body whose values are not all text is a bad request (400).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from wtforms import Field, HiddenField, SelectChoice, SelectField
from wtforms.meta import DefaultMeta

from app.i18n import language_choices

NUL = "\x00"
NUL_MESSAGE = _l("This field contains a character that cannot be saved (NUL). Remove it.")


def choices(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """Options for a SelectField or RadioField from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def json_formdata(payload: Any) -> ImmutableMultiDict[str, str]:
    """Form data from a JSON body: an object whose values are all text; anything else is 400."""
    if not isinstance(payload, dict) or not all(isinstance(v, str) for v in payload.values()):
        raise BadRequest("A form sent as JSON must be an object whose values are text.")
    return ImmutableMultiDict(payload)


def _has_nul(field: Field) -> bool:
    return any(isinstance(value, str) and NUL in value for value in field.raw_data or ())


def _without_nul(value: Any) -> Any:
    return value.replace(NUL, "") if isinstance(value, str) else value


class Form(FlaskForm):
    """The base of every form in the application (see the module docstring)."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: DefaultMeta, formdata: Any) -> Any:
            # Flask-WTF reads a JSON body as form data when there is no form body; its values
            # must then be text, as a browser's would be.
            if formdata is _Auto and _is_submitted() and not request.form and request.is_json:
                return json_formdata(request.get_json())
            return super().wrap_formdata(form, formdata)

    def validate(self, extra_validators: Any = None) -> bool:
        # Checked first: the other validators may look the value up in the database, which
        # refuses NUL (PostgreSQL) with an error rather than an answer.
        with_nul = [field for field in self._all_fields() if _has_nul(field)]
        if not with_nul:
            return bool(super().validate(extra_validators))
        for field in self._all_fields():
            field.errors = [NUL_MESSAGE] if field in with_nul else []
            field.raw_data = [_without_nul(value) for value in field.raw_data or ()]
            field.data = _without_nul(field.data)
        return False

    def _all_fields(self) -> list[Field]:
        """Every field, those of sub-forms and lists of fields included."""
        found: list[Field] = []
        pending: list[Any] = list(self)
        while pending:
            field = pending.pop()
            entries = getattr(field, "entries", None)
            subform = getattr(field, "form", None)
            if entries is not None:
                pending.extend(entries)
            elif subform is not None and subform is not self and hasattr(subform, "_fields"):
                pending.extend(subform)
            else:
                found.append(field)
        return found


class LanguageForm(Form):
    """The language switch in every page's header, in the network's languages."""

    language = SelectField()
    next = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = choices(language_choices())


class ConfirmForm(Form):
    """A button that POSTs and needs nothing but the CSRF token (log out, withdraw, unblock)."""

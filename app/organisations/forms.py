"""The organisation's form and the directory's filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms import FileField as PlainFileField
from wtforms.fields import EmailField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.forms import Form
from app.portfolios.forms import CountrySelect


class OrganisationForm(Form):
    organisation = StringField(
        _l("Name of the organisation"),
        validators=[DataRequired(_l("Give the organisation’s name.")), Length(max=150)],
    )
    website = StringField(
        _l("Website"),
        validators=[Optional(), Length(max=300)],
        description=_l("Its address, starting with https://"),
    )
    description = TextAreaField(
        _l("About the organisation"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Markdown: **bold**, *italic*, lists, [links](https://…). No HTML."),
    )
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    country = SelectField(_l("Country"), validators=[Optional()], widget=CountrySelect())
    logo = PlainFileField(
        _l("Image file"),
        description=_l("JPEG, PNG, WebP or GIF, at most 10 MB (no SVG)."),
    )
    logo_alt = StringField(
        _l("Describe the logo"),
        validators=[Optional(), Length(max=300)],
        description=_l("For people who cannot see it, e.g. “Red lotus above the school's name”."),
    )
    remove_logo = BooleanField(_l("Remove the current logo"))
    contact_email = EmailField(
        _l("Contact email"),
        validators=[Optional(), Length(max=254), Email(_l("Enter a valid email address."))],
        description=_l("Where designers can write to the organisation."),
    )
    show_contact_email = BooleanField(_l("Show the contact email on the organisation's page"))

    def validate_website(self, field: Any) -> None:
        value = (field.data or "").strip()
        if not value:
            return
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
            raise ValidationError(_l("Enter a web address starting with https:// or http://"))

    def validate_show_contact_email(self, field: Any) -> None:
        if field.data and not (self.contact_email.data or "").strip():
            raise ValidationError(_l("Give a contact email to show it."))


class DirectoryForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Name"), validators=[Optional(), Length(max=100)])
    country = SelectField(_l("Country"), validators=[Optional()], widget=CountrySelect())
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])

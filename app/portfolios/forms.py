"""Forms of the profile and project editors."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from flask_babel import get_locale, to_user_timezone
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    MultipleFileField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import FileField as PlainFileField
from wtforms.fields.choices import SelectFieldBase
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import Select

from app.db_types import utcnow
from app.forms import Form, choices
from app.i18n import countries
from app.portfolios.models import MAX_TAGS
from app.portfolios.services import normalise_tags

MAX_LINKS = 8


def country_choices() -> list[Any]:
    """ISO 3166-1 countries, named in the viewer's language, sorted as that language sorts."""
    return list(_country_choices(str(get_locale() or "en")))


@cache
def _country_choices(language: str) -> tuple[Any, ...]:
    return tuple(choices([("", _l("Choose a country")), *countries(language)]))


def _option_pairs(field: SelectFieldBase) -> list[tuple[str, str]]:
    """The field's (value, label) options, read from its choices when they are already
    SelectChoice rows (as `app.forms.choices` makes them): wtforms' iter_choices would build a
    Choice of each, with its `selected`, to be thrown away."""
    raw = field.choices
    if isinstance(raw, list | tuple) and all(isinstance(c, SelectChoice) for c in raw):
        return [(c.value, str(c.label)) for c in raw]
    return [(value, str(label)) for value, label, *_rest in field.iter_choices()]


class ListedSelectField(SelectField):
    """A SelectField whose chosen value is checked against its options without building a
    Choice of each (the directory's country list has ~250): same rule, same message."""

    def pre_validate(self, form: Any) -> None:  # noqa: ARG002 (wtforms calls it so)
        if self.process_errors or not self.validate_choice:
            return
        if self.choices is None:
            raise TypeError(self.gettext("Choices cannot be None."))
        if not any(self.coerce(value) == self.data for value, _label in _option_pairs(self)):
            raise ValidationError(
                self.invalid_choice_message or self.gettext("Not a valid choice.")
            )


class CachedSelect(Select):
    """A select rendered once per language, options, chosen value and attributes, then reused:
    rendering a long list option by option on every request was a good part of the directory's
    time. The options are part of the key (a renamed discipline renders afresh)."""

    LIMIT = 512
    rendered: dict[tuple[str, ...], Markup] = {}

    def options_key(self, field: SelectFieldBase) -> str:
        return repr(_option_pairs(field))

    def __call__(self, field: SelectFieldBase, **kwargs: Any) -> Markup:
        key = (
            type(self).__name__,
            str(get_locale() or "en"),
            field.id or "",
            field.name,
            self.options_key(field),
            str(field.data),
            repr(sorted(kwargs.items())),
        )
        hit = self.rendered.get(key)
        if hit is None:
            if len(self.rendered) >= self.LIMIT:
                self.rendered.clear()
            hit = self.rendered[key] = super().__call__(field, **kwargs)
        return hit


class CountrySelect(CachedSelect):
    """The ~250 countries are the same list in a language: keyed by their first option only
    (its label and value), not by all of them."""

    def options_key(self, field: SelectFieldBase) -> str:
        raw = field.choices
        if isinstance(raw, list | tuple) and raw and isinstance(raw[0], SelectChoice):
            return str(raw[0].label)
        first = next(iter(field.iter_choices()), None)
        return str(first[1]) if first else ""


def parse_links(raw: str) -> list[str]:
    return [line.strip() for line in (raw or "").splitlines() if line.strip()]


class ProfileForm(Form):
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=80)])
    bio = TextAreaField(
        _l("About you"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Markdown: **bold**, *italic*, [links](https://…). No HTML, no images."),
    )
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    country = SelectField(_l("Country"), validators=[Optional()], widget=CountrySelect())
    birth_date = DateField(
        _l("Date of birth"),
        validators=[Optional()],
        description=_l("Private: only used to check a call's age rule, never shown to anyone."),
    )
    disciplines = SelectMultipleField(_l("Disciplines"), coerce=int, validators=[Optional()])
    links = TextAreaField(
        _l("Links"),
        validators=[Optional(), Length(max=3000)],
        description=_l("Your website and social profiles, one address per line (https://…)."),
    )
    available_for_work = BooleanField(_l("I am available for work"))
    avatar = PlainFileField(
        _l("Portrait or logo"),
        description=_l("JPEG, PNG, WebP or GIF, at most 10 MB. Cropped to a square."),
    )
    remove_avatar = BooleanField(_l("Remove the current picture"))

    def validate_links(self, field: Any) -> None:
        links = parse_links(field.data)
        if len(links) > MAX_LINKS:
            raise ValidationError(_l("At most %(num)d links.", num=MAX_LINKS))
        for link in links:
            parts = urlsplit(link)
            if parts.scheme not in ("http", "https") or not parts.netloc or len(link) > 300:
                raise ValidationError(
                    _l("“%(link)s” is not a web address starting with https://", link=link[:60])
                )

    def validate_birth_date(self, field: Any) -> None:
        today = to_user_timezone(utcnow()).date()  # where the person is
        if field.data and not date(1900, 1, 1) <= field.data <= today:
            raise ValidationError(_l("Please enter a real date of birth."))


class ProjectForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=150)])
    slug = StringField(
        _l("Web address"),
        validators=[
            Optional(),
            Length(max=80),
            Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Lower-case letters, digits and -.")),
        ],
        description=_l("Lower-case letters, digits and hyphens; made from the title if empty."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Markdown: **bold**, *italic*, lists, [links](https://…). No HTML."),
    )
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=1950, max=2100)])
    disciplines = SelectMultipleField(_l("Disciplines"), coerce=int, validators=[Optional()])
    tags = StringField(
        _l("Tags"),
        validators=[Optional(), Length(max=600)],
        description=_l("Up to 10, separated by commas: poster, lacquer, typography"),
    )
    credits = TextAreaField(
        _l("Credits"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Who worked with you: client, team, photographer."),
    )
    images = MultipleFileField(
        _l("Images"),
        description=_l("JPEG, PNG, WebP or GIF, up to 20 per project, each at most 10 MB."),
    )

    def validate_tags(self, field: Any) -> None:
        if len(normalise_tags(field.data or "")) > MAX_TAGS:
            raise ValidationError(_l("At most %(num)d tags.", num=MAX_TAGS))


class UploadForm(Form):
    images = MultipleFileField(
        _l("Add images"),
        id="upload-images",  # "images" is the editor's section (the #images anchor)
        description=_l("JPEG, PNG, WebP or GIF, up to 20 per project, each at most 10 MB."),
    )


class DirectoryForm(Form):
    class Meta:
        csrf = False

    discipline = ListedSelectField(_l("Discipline"), validators=[Optional()], widget=CachedSelect())
    country = ListedSelectField(_l("Country"), validators=[Optional()], widget=CountrySelect())
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    available = BooleanField(_l("Available for work"))
    sort = SelectField(
        _l("Sort by"),
        choices=choices([("newest", _l("Newest")), ("active", _l("Recently active"))]),
        default="newest",
        widget=CachedSelect(),
    )

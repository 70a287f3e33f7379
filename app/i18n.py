"""Language and time zone of the viewer, and how dates are shown."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import format_datetime, get_locale
from flask_login import current_user

SESSION_LOCALE_KEY = "locale"


def select_locale() -> str:
    """The person's choice, then what the browser accepts, then the network's default."""
    languages: list[str] = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line and the email worker
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = None
    if current_user and current_user.is_authenticated:
        chosen = current_user.locale
    chosen = chosen or session.get(SESSION_LOCALE_KEY)
    if chosen in languages:
        return str(chosen)
    best = request.accept_languages.best_match(languages)
    return best or str(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    if (
        has_request_context()
        and current_user
        and current_user.is_authenticated
        and current_user.timezone
    ):
        return str(current_user.timezone)
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def zone(name: str | None) -> ZoneInfo:
    """A time zone by IANA name, the network's default for unknown names."""
    try:
        return ZoneInfo(name or current_app.config["BABEL_DEFAULT_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def when(value: datetime | None, fmt: str = "medium") -> str:
    """A UTC datetime in the viewer's time zone and language."""
    if value is None:
        return ""
    return format_datetime(value, fmt)


def when_in(value: datetime | None, tz_name: str, fmt: str = "medium") -> str:
    """A UTC datetime in a given zone (a call's own), in the viewer's language, zone named."""
    if value is None:
        return ""
    from babel.dates import format_datetime as babel_format

    local = value.astimezone(zone(tz_name))
    return f"{babel_format(local, fmt, tzinfo=zone(tz_name), locale=get_locale())} ({tz_name})"


def init_app(app: Flask) -> None:
    @app.before_request
    def remember_locale() -> None:
        g.locale = select_locale()

    app.jinja_env.filters["when"] = when
    use_network_catalogues_for_wtforms()
    app.jinja_env.filters["when_in"] = when_in


class WTFormsTranslations:
    """WTForms' own messages ("This field is required.", ...) from the network's catalogues.

    Flask-WTF looks them up in the catalogues WTForms ships, which have no Vietnamese; the
    messages are listed below so that `make messages` puts them in app/translations.
    """

    def gettext(self, string: str) -> str:
        from flask_babel import get_translations

        return str(get_translations().ugettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        from flask_babel import get_translations

        return str(get_translations().ungettext(singular, plural, n))


def use_network_catalogues_for_wtforms() -> None:
    from flask_wtf import form as flask_wtf_form

    flask_wtf_form.translations = WTFormsTranslations()  # type: ignore[assignment]


def _wtforms_messages() -> None:  # pragma: no cover  (never called: read by `make messages`)
    from flask_babel import gettext, ngettext

    gettext("This field is required.")
    gettext("Invalid input.")
    gettext("Invalid email address.")
    gettext("Invalid URL.")
    gettext("Not a valid choice.")
    gettext("Invalid Choice: could not coerce.")
    gettext("Choices cannot be None.")
    gettext("Invalid choice(s): one or more data inputs could not be coerced.")
    gettext("'%(value)s' is not a valid choice for this field.")
    gettext("Not a valid datetime value.")
    gettext("Not a valid date value.")
    gettext("Not a valid time value.")
    gettext("Not a valid integer value.")
    gettext("Not a valid decimal value.")
    gettext("Not a valid float value.")
    gettext("Number must be at least %(min)s.")
    gettext("Number must be at most %(max)s.")
    gettext("Number must be between %(min)s and %(max)s.")
    gettext("Field must be equal to %(other_name)s.")
    gettext("Field must be between %(min)d and %(max)d characters long.")
    gettext("Invalid value, must be one of: %(values)s.")
    ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    )
    ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    )
    ngettext(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    )

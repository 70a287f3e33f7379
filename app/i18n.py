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
    app.jinja_env.filters["when_in"] = when_in

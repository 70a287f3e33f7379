"""Error pages inside the layout: never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db, login_manager
from app.i18n import SESSION_LOCALE_KEY

log = logging.getLogger("app.errors")

MESSAGES = {
    400: (
        _l("Something in that request was wrong"),
        _l("Go back, check what you entered and try again."),
    ),
    401: (_l("Please log in"), _l("You need to log in to see this page.")),
    403: (_l("You cannot open this page"), _l("Your account does not have access to it.")),
    404: (_l("Page not found"), _l("The page may have moved, or it is not public.")),
    405: (
        _l("That action is not possible here"),
        _l("Use the buttons on the page rather than typing the address."),
    ),
    413: (
        _l("That was too large"),
        _l("The file or text you sent is larger than we accept. Try a smaller one."),
    ),
    422: (_l("Please check the form"), _l("Some of what you entered could not be used.")),
    429: (_l("Too many attempts"), _l("Please wait a few minutes before trying again.")),
    500: (
        _l("Something went wrong on our side"),
        _l("We have been told. Please try again in a moment."),
    ),
}


def render_error(code: int, detail: str | None = None) -> ResponseReturnValue:
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


# Seconds a client is asked to wait when the database does not answer.
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: DBAPIError) -> bool:
    """The database is down, gone, hung (statement timeout) or dropped the connection."""
    return isinstance(exc, OperationalError | InterfaceError) or bool(exc.connection_invalidated)


# What a form sent is offered back (to send again) up to this many characters in all.
RESEND_MAX_CHARS = 100_000


def _typed_fields() -> list[tuple[str, str]]:
    """The fields of the form being sent, to send again: never a password, token or file."""
    if request.method != "POST" or not request.form:
        return []
    fields = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name != "csrf_token" and "password" not in name
    ]
    if sum(len(value) for _, value in fields) > RESEND_MAX_CHARS:
        return []
    return fields


def render_unavailable() -> ResponseReturnValue:
    """503 without touching the database: no user loaded, no navigation, a static page."""
    # Whoever is logged in is treated as a visitor for the rest of this request, so that nothing
    # (locale, page cache, templates) tries to load them from the database again.
    g._login_user = login_manager.anonymous_user()
    languages: list[str] = current_app.config["LANGUAGES"]
    chosen = session.get(SESSION_LOCALE_KEY)
    locale = (
        chosen
        if chosen in languages
        else request.accept_languages.best_match(languages)
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )
    typed = _typed_fields()
    with force_locale(locale):
        page = render_template(
            "errors/unavailable.html",
            locale=locale,
            typed=typed,
            # Text a person wrote (it has spaces), shown; tokens and ids travel hidden.
            written=[(name, value) for name, value in typed if any(c.isspace() for c in value)],
            has_files=bool(request.files),
        )
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


def init_database_errors(app: Flask) -> None:
    """A database that does not answer gives 503 + Retry-After, not a 500 or a bare page."""

    @app.errorhandler(DBAPIError)
    def database_error(exc: DBAPIError) -> ResponseReturnValue:
        try:
            db.session.rollback()
        except SQLAlchemyError:
            db.session.remove()
        if not database_unavailable(exc):
            log.exception("database error on %s %s", request.method, request.path)
            return render_error(InternalServerError.code)
        log.error(
            "database unavailable on %s %s: %s",
            request.method,
            request.path,
            str(exc.orig or exc).splitlines()[0],
        )
        return render_unavailable()


def init_app(app: Flask) -> None:
    init_database_errors(app)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> ResponseReturnValue:
        return render_error(
            400,
            str(_l("The form expired or was sent from elsewhere. Reload the page and try again.")),
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        code = exc.code or 500
        if code < 400:
            return exc
        return render_error(code if code in MESSAGES else 500 if code >= 500 else 400)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> ResponseReturnValue:
        if isinstance(exc, HTTPException):
            return http_error(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(InternalServerError.code)

"""Error pages inside the layout: never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import NulInText, db

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


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> ResponseReturnValue:
        return render_error(
            400,
            str(_l("The form expired or was sent from elsewhere. Reload the page and try again.")),
        )

    @app.errorhandler(NulInText)
    def nul_in_text(exc: NulInText) -> ResponseReturnValue:
        # Raised on the way to the database: the session's transaction is no longer usable.
        db.session.rollback()
        return render_error(
            400, str(_l("The address or a field contains a character that cannot be read (NUL)."))
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

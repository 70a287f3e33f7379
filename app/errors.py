"""Error pages inside the layout: never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    g,
    make_response,
    render_template,
    request,
    session,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.routing import RequestRedirect

from app.extensions import NulInText, db, login_manager
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


CSRF_EXPIRED = _l("The form expired or was sent from elsewhere. Reload the page and try again.")
CSRF_KEPT = _l(
    "This form had expired, so nothing was saved. What you typed is kept below: "
    "check it and send it again."
)


def _page_view(path: str) -> tuple[Callable[..., Any], dict[str, Any]] | None:
    """The view that shows the page at `path` (answers GET there), with its arguments."""
    try:
        endpoint, args = current_app.url_map.bind_to_environ(request.environ).match(
            path, method="GET"
        )
    except (HTTPException, RequestRedirect):
        return None
    return current_app.view_functions[endpoint], dict(args)


def _form_page() -> tuple[Callable[..., Any], dict[str, Any]] | None:
    """The page the refused form was on: the posted URL's own page, else the referring one."""
    found = _page_view(request.path)
    if found is None and request.referrer:
        referrer = urlsplit(request.referrer)
        if referrer.netloc == request.host and referrer.path:
            found = _page_view(referrer.path)
    return found


@contextmanager
def _nothing_written() -> Iterator[None]:
    """While a refused form's page is shown again, commits become rollbacks: the request had no
    valid token, so whatever the view tries, nothing it does may be kept."""
    db_session = db.session()
    db_session.commit = db_session.rollback  # type: ignore[method-assign]
    try:
        yield
    finally:
        del db_session.commit
        db_session.rollback()


def _expired() -> ResponseReturnValue:
    # The page with the message was not shown: the message must not wait for the next page.
    flashes = session.get("_flashes") or []
    session["_flashes"] = [f for f in flashes if f[1] != str(CSRF_KEPT)]
    if not session["_flashes"]:
        session.pop("_flashes")
    return render_error(400, str(CSRF_EXPIRED))


def rerender_refused_form(_exc: CSRFError) -> ResponseReturnValue:
    """Show the page of a form whose token expired again, with what was typed and why.

    The page's view runs with the posted data, so its forms fill themselves with what was typed;
    their own token check fails too, so no form acts, and nothing can be committed anyway.
    """
    found = _form_page() if request.method == "POST" and not g.get("csrf_rerender") else None
    if found is None:
        return render_error(400, str(CSRF_EXPIRED))
    view, args = found
    g.csrf_rerender = True
    flash(str(CSRF_KEPT), "error")
    try:
        with _nothing_written():
            response = make_response(view(**args))
    except HTTPException:
        return _expired()
    if response.status_code >= 300 and response.status_code != 422:
        # The view redirected (or refused): the page cannot be shown with the typed text.
        return _expired()
    response.status_code = 400
    return response


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
        return rerender_refused_form(exc)

    @app.errorhandler(NulInText)
    def nul_in_text(_exc: NulInText) -> ResponseReturnValue:
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

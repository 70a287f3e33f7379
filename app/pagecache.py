"""A few seconds of caching for pages as logged-out visitors see them ("micro-caching").

Visitors open portfolio after portfolio; rendering the same public page again for each of them
is most of what the server does. For anonymous GETs of the public pages listed here, the HTML is
kept per process for PAGE_CACHE_SECONDS (0 turns it off), keyed by path, query and language.
The only per-visitor part of these pages, the CSRF token of the language form, is stored as a
placeholder and filled in when the page is served. A page that shows flashed messages is never
stored, nor served to someone with messages waiting.

Across processes and machines: every kept page carries the generation number (app/generations.py:
Redis, else the database) it was rendered at, and is served only while that number is still the
current one, read once per cached request. Every change goes through `invalidate()`, which bumps
it: any transaction that wrote rows that can show on a public page and committed (publish, edit,
hide, restore, suspend, delete, approve, whichever domain and whether in a request, a command or
a background job; not log-ins, messages, notifications: QUIET_TABLES). A successful POST also
empties this process's pages. So a moderator who hides a project on one machine is obeyed by
every other one on its next response, not ten seconds later.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context, request, session
from flask.globals import request_ctx
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql.elements import TextClause

from app import generations

CACHEABLE = frozenset(
    {
        "main.home",
        "portfolios.directory",
        "portfolios.portfolio",
        "portfolios.project",
        "calls.index",
        "calls.detail",
        "calls.organiser",
        "organisations.directory",
        "search.results",
    }
)
PLACEHOLDER = "__CSRF_TOKEN_PLACEHOLDER__"
MAX_ENTRIES = 512
GENERATION = "pages"
CHANGED_KEY = "pagecache_changed"
READ_ONLY_SQL = ("SELECT", "WITH", "PRAGMA", "SHOW", "SET", "EXPLAIN")
# Writes that never show on a kept page (they are private, or bookkeeping), so that people
# merely using the site (a log-in, a message, a notification read) do not empty every cache.
QUIET_TABLES = frozenset(
    {
        "user_sessions",
        "outgoing_emails",
        "notifications",
        "email_preferences",
        "conversations",
        "conversation_participants",
        "messages",
        "blocks",
        "messaging_settings",
        "reports",
        "appeals",
        "reviews",
        "generations",
        # A visitor's view of a project is counted before the cache answers: counting must not
        # empty everyone's pages. The counts are shown only to the project's owner.
        "view_salts",
        "project_view_hits",
        "project_view_days",
        # Saved calls, alerts and private feeds are each person's own: no public page shows them.
        "saved_calls",
        "call_alerts",
        "alert_matches",
        "feed_tokens",
        # Background work as rows: what a job changes in shown tables bumps on its own commit.
        "background_jobs",
    }
)
# Columns of shown tables whose change alone does not matter within the cache's few seconds
# (`last_active_at` orders the directory's "recently active": moved every 5 minutes of use).
QUIET_COLUMNS = {"users": frozenset({"last_active_at", "current_session_token"})}


class _Store:
    """One app's kept pages: key -> (expires at, generation rendered at, body, content type).

    Per app, not per module: tests run two apps in one process as two separate machines."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: OrderedDict[str, tuple[float, int, bytes, str]] = OrderedDict()

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


_stores: weakref.WeakSet[_Store] = weakref.WeakSet()


def _store() -> _Store:
    store: _Store | None = current_app.extensions.get("pagecache")
    if store is None:
        store = current_app.extensions["pagecache"] = _Store()
        _stores.add(store)
    return store


def clear() -> None:
    """Forget this app's kept pages (outside an app: every app's). Other processes keep theirs
    until the generation moves on: see `invalidate`."""
    if has_app_context():
        _store().clear()
        return
    for store in list(_stores):
        store.clear()


def invalidate() -> None:
    """The one way a change reaches the kept pages: this process's go now, every other
    process's and machine's on their next request (the shared generation number moves on)."""
    clear()
    if has_app_context() and float(current_app.config.get("PAGE_CACHE_SECONDS", 0)) > 0:
        generations.bump(GENERATION)


def _shows_on_public_pages(obj: object, dirty: bool) -> bool:
    table = getattr(inspect(obj).mapper.local_table, "name", "")
    if table in QUIET_TABLES:
        return False
    quiet = QUIET_COLUMNS.get(table)
    if dirty and quiet:
        state = inspect(obj)
        changed = {a.key for a in state.attrs if a.history.has_changes()}
        return not changed <= quiet
    return True


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _flush_context: UOWTransaction) -> None:
    if CHANGED_KEY in session.info:
        return
    if any(_shows_on_public_pages(o, False) for o in (*session.new, *session.deleted)) or any(
        _shows_on_public_pages(o, True) for o in session.dirty
    ):
        session.info[CHANGED_KEY] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, TextClause):
        writes = not statement.text.lstrip().upper().startswith(READ_ONLY_SQL)
    elif state.is_insert or state.is_update or state.is_delete:
        # The table written, whether the statement names a class or its table.
        table = getattr(statement, "table", None)
        mapper = state.bind_mapper
        name = getattr(table, "name", None) or (
            mapper.local_table.name if mapper is not None else None  # type: ignore[attr-defined]
        )
        writes = name is None or name not in QUIET_TABLES
    else:
        writes = False
    if writes:
        state.session.info[CHANGED_KEY] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(CHANGED_KEY, False):
        invalidate()


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: Any) -> None:
    # After a commit the flag is already gone; what remains belongs to a rollback.
    if transaction.parent is None:
        session.info.pop(CHANGED_KEY, None)


def _key() -> str:
    return f"{g.get('locale', '')}|{request.full_path}"


def _eligible() -> bool:
    return (
        request.method == "GET"
        and request.endpoint in CACHEABLE
        and not current_user.is_authenticated
        and not session.get("_flashes")
    )


def init_app(app: Flask) -> None:
    ttl = float(app.config.get("PAGE_CACHE_SECONDS", 0))
    if ttl <= 0:
        return

    @app.before_request
    def serve_cached() -> Response | None:
        if not _eligible():
            return None
        # Read once per cached request; a page rendered now is kept under this number.
        g.page_generation = generations.read(GENERATION)
        if g.page_generation is None:
            return None
        store = _store()
        with store.lock:
            hit = store.pages.get(_key())
            if hit is not None:
                store.pages.move_to_end(_key())
        if hit is None or hit[0] < time.monotonic() or hit[1] != g.page_generation:
            return None
        body = hit[2].replace(PLACEHOLDER.encode(), generate_csrf().encode())
        g.from_page_cache = True
        return Response(body, status=200, mimetype=hit[3].split(";")[0])

    @app.after_request
    def store(response: Response) -> Response:
        if request.method == "POST" and response.status_code < 400:
            # A change that wrote rows has already moved the generation (on commit); this
            # process also forgets its pages after any other successful POST (the language).
            clear()
            return response
        generation = g.get("page_generation")
        if (
            g.get("from_page_cache")
            or generation is None
            or not _eligible()
            or response.status_code != 200
            or response.mimetype != "text/html"
            or response.direct_passthrough
            or request_ctx.flashes  # this page showed someone's messages
        ):
            return response
        token = generate_csrf()
        body = response.get_data().replace(token.encode(), PLACEHOLDER.encode())
        store = _store()
        with store.lock:
            store.pages[_key()] = (time.monotonic() + ttl, generation, body, response.content_type)
            store.pages.move_to_end(_key())
            while len(store.pages) > MAX_ENTRIES:
                store.pages.popitem(last=False)
        return response

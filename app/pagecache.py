"""A few seconds of caching for pages as logged-out visitors see them ("micro-caching").

Visitors open portfolio after portfolio; rendering the same public page again for each of them
is most of what the server does. For anonymous GETs of the public pages listed here, the HTML is
kept per process for PAGE_CACHE_SECONDS (0 turns it off), keyed by path, query and language.
The only per-visitor part of these pages, the CSRF token of the language form, is stored as a
placeholder and filled in when the page is served. A page that shows flashed messages is never
stored, nor served to someone with messages waiting. Any state change (a POST that succeeds)
clears this process's pages, so the person who made it sees it at once; other processes catch up
within the time to live.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import Flask, Response, g, request, session
from flask.globals import request_ctx
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

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

_lock = threading.Lock()
_pages: OrderedDict[str, tuple[float, bytes, str]] = OrderedDict()


def clear() -> None:
    with _lock:
        _pages.clear()


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
        with _lock:
            hit = _pages.get(_key())
            if hit is not None:
                _pages.move_to_end(_key())
        if hit is None or hit[0] < time.monotonic():
            return None
        body = hit[1].replace(PLACEHOLDER.encode(), generate_csrf().encode())
        g.from_page_cache = True
        return Response(body, status=200, mimetype=hit[2].split(";")[0])

    @app.after_request
    def store(response: Response) -> Response:
        if request.method == "POST" and response.status_code < 400:
            clear()
            return response
        if (
            g.get("from_page_cache")
            or not _eligible()
            or response.status_code != 200
            or response.mimetype != "text/html"
            or response.direct_passthrough
            or request_ctx.flashes  # this page showed someone's messages
        ):
            return response
        token = generate_csrf()
        body = response.get_data().replace(token.encode(), PLACEHOLDER.encode())
        with _lock:
            _pages[_key()] = (time.monotonic() + ttl, body, response.content_type)
            _pages.move_to_end(_key())
            while len(_pages) > MAX_ENTRIES:
                _pages.popitem(last=False)
        return response

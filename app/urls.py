"""Safe redirects: the `next` parameter only ever leads within the site."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app, has_request_context, request, url_for

# Longer than any path of ours; a longer `next` is refused rather than carried around.
MAX_NEXT_LENGTH = 1024


def _local_path(candidate: str) -> bool:
    """A path on this site as a browser would read it: browsers drop tabs and newlines, treat `\\`
    as `/` and read `//host` or `scheme:` as another site, so any of those refuses the value."""
    if any(ord(c) < 32 or ord(c) == 127 or c == "\\" for c in candidate):
        return False
    if not candidate.startswith("/") or candidate.startswith("//"):
        return False
    parts = urlsplit(candidate)
    return not (parts.scheme or parts.netloc)


def is_local_url(target: str) -> bool:
    """Whether `target` only ever leads to a page of this site, also once percent-decoded."""
    if not target or len(target) > MAX_NEXT_LENGTH:
        return False
    if not _local_path(target):
        return False
    # The path decoded until stable (a few rounds at most): `/%2509/x` reads `/%09/x`, then
    # `/\t/x`. The query string may hold anything once decoded (a search for `a\b`).
    candidate = re.split(r"[?#]", target, maxsplit=1)[0]
    for _round in range(4):
        if not _local_path(candidate):
            return False
        decoded = unquote(candidate)
        if decoded == candidate:
            return True
        candidate = decoded
    return False


def safe_next(default: str, value: str | None = None) -> str:
    """`next` from the form or the query string if it is a local path, otherwise `default`.

    The only guard for `next` values: every view and template that follows one goes through it.
    """
    target = (
        value if value is not None else (request.form.get("next") or request.args.get("next") or "")
    )
    target = target.strip(" ")
    return target if is_local_url(target) else default


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link for emails and feeds, from PUBLIC_BASE_URL, never from the request's Host.

    Works outside requests too (the email worker, the command line).
    """
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost", script_name="/").build(endpoint, values)
    return str(current_app.config["PUBLIC_BASE_URL"]) + path


def install_template_url_for(app: Flask) -> None:
    """Templates' `url_for`: a link without values (`url_for('calls.index')`) is the same on
    every page of a request's mount point, so it is built once per process and then looked up;
    every page's header and footer carry a dozen. Links with values, relative endpoints
    (`.edit`) and links built outside a request go to Flask's `url_for` as before."""
    built: dict[tuple[str, str], str] = {}
    build = app.url_for

    def template_url_for(endpoint: str, **values: Any) -> str:
        if values or endpoint[:1] == "." or not has_request_context():
            return build(endpoint, **values)
        key = (endpoint, request.root_path)
        url = built.get(key)
        if url is None:
            url = built[key] = build(endpoint)
        return url

    app.jinja_env.globals["url_for"] = template_url_for

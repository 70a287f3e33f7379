"""Safe redirects: the `next` parameter only ever leads within the site."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for


def safe_next(default: str, value: str | None = None) -> str:
    """`next` from the form or the query string if it is a local path, otherwise `default`."""
    target = (
        value if value is not None else (request.form.get("next") or request.args.get("next") or "")
    )
    target = target.strip()
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link for emails and feeds, from PUBLIC_BASE_URL, never from the request's Host.

    Works outside requests too (the email worker, the command line).
    """
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost", script_name="/").build(endpoint, values)
    return str(current_app.config["PUBLIC_BASE_URL"]) + path

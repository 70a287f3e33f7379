"""Safe redirects: the `next` parameter only ever leads within the site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


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

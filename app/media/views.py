"""Serving stored images: only to those who may see them, never sniffed, cached for a year."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, make_response, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.media.storage import get_storage, valid_key

bp = Blueprint("media", __name__)

# A resolver answers for the images of one key prefix ("p" for projects, "a" for avatars):
# None when it does not know the image, else (visible to this viewer?, visible to everyone?).
Resolver = Callable[[str, Any], tuple[bool, bool] | None]
RESOLVERS: dict[str, Resolver] = {}

# The image is shown as an image or not at all: no script, no plugin, no frame can run from it.
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg"}


def register_resolver(prefix: str, resolver: Resolver) -> None:
    """Let a domain say who may see the images it stores under `prefix/`."""
    RESOLVERS[prefix] = resolver


@bp.get("/media/<path:key>")
def serve(key: str) -> ResponseReturnValue:
    if not valid_key(key) or key.count("/") != 3:
        abort(404)
    base, _, name = key.rpartition("/")
    resolver = RESOLVERS.get(base.split("/", 1)[0])
    answer = resolver(base, current_user) if resolver else None
    if answer is None or not answer[0]:
        abort(404)
    public = answer[1]
    etag = base.rsplit("/", 1)[-1] + "-" + name
    if request.if_none_match and etag in request.if_none_match:
        response = make_response("", 304)
    else:
        stream = get_storage().open(key)
        if stream is None:
            abort(404)
        # Read whole (a variant is at most a few MB): no file handle outlives the request.
        with stream:
            data = stream.read()
        response = make_response(data)
        response.mimetype = CONTENT_TYPES[name.rsplit(".", 1)[-1]]
    response.set_etag(etag)
    # Content-hash names never change content; private images stay out of shared caches.
    response.headers["Cache-Control"] = (
        "public, max-age=31536000, immutable" if public else "private, max-age=3600"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Content-Disposition"] = "inline"
    response.vary.add("Cookie")
    return response

"""Serving stored images: only to those who may see them, never sniffed, cached for a year.

Every page, feed and Open Graph tag names `/media/<key>`, the app's own stable URL. With S3 and
S3_PRESIGNED_SECONDS > 0, a public image is answered with a redirect to a short-lived presigned
link to the bucket (the bytes do not pass through the web process); a private one (a draft, a
hidden project) is always read here and sent by the app, after the same visibility check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, make_response, redirect, request
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
    storage = get_storage()
    seconds = int(current_app.config.get("S3_PRESIGNED_SECONDS", 0))
    if request.if_none_match and etag in request.if_none_match:
        response = make_response("", 304)
    elif public and seconds > 0 and (link := storage.presigned_url(key, seconds)):
        # A public image on S3: the browser fetches the bytes from the bucket with a link that
        # expires. Pages keep naming this stable URL; the redirect itself is kept only a while
        # shorter than the link lives. A private image is never given such a link.
        moved = redirect(link, 302)
        moved.headers["Cache-Control"] = f"public, max-age={max(1, seconds // 2)}"
        moved.headers["Referrer-Policy"] = "no-referrer"
        moved.vary.add("Cookie")
        return moved
    else:
        try:
            stream = storage.open(key)
        except OSError:
            # The bucket (or disk) does not answer: the browser may try again shortly; nothing
            # on the way keeps this answer.
            return make_response("", 503, {"Retry-After": "30", "Cache-Control": "no-store"})
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

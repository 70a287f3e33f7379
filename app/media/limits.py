"""How many images a person may upload (UPLOAD_RATE_LIMIT): decoding is the costly part of an
upload, so every image a person sends counts, whatever it is for (project images, an avatar, a
logo, a call's banner), under one key per person in the rate limits' storage."""

from __future__ import annotations

from flask import current_app
from limits import parse_many

from app.extensions import limit_hit, limit_test
from app.security import rate_limit_key


def take_uploads(person_id: int, count: int = 1) -> bool:
    """Count `count` images against the person's limit; False (and nothing counted) when over."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    keys = rate_limit_key("uploads", str(person_id))
    items = parse_many(current_app.config["UPLOAD_RATE_LIMIT"])
    if not all(limit_test(item, *keys, cost=count) for item in items):
        return False
    for item in items:
        limit_hit(item, *keys, cost=count)
    return True

"""Liveness and readiness for the process manager and the proxy.

`/healthz` answers while the process runs (no database, no Redis); `/readyz` checks what a
request needs and names the part that does not answer.
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db, limiter

bp = Blueprint("health", __name__)
log = logging.getLogger("app.health")


@bp.get("/healthz")
@limiter.exempt
def healthz() -> ResponseReturnValue:
    return {"status": "ok"}, 200


def _database_ready() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.error("readiness: database unavailable: %s", exc)
        return False
    return True


def _limit_storage_ready() -> bool:
    """Redis (when the limits are stored there) answers a PING."""
    uri = str(current_app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    if uri.startswith("memory://") or not current_app.config.get("RATELIMIT_ENABLED"):
        return True
    try:
        ready = bool(limiter.storage.check())
    except Exception as exc:
        log.error("readiness: rate limit storage unavailable: %s", exc)
        return False
    if not ready:
        log.error("readiness: rate limit storage unavailable (%s)", uri.split("@")[-1])
    return ready


@bp.get("/readyz")
@limiter.exempt
def readyz() -> ResponseReturnValue:
    failing = [
        name
        for name, ready in (("database", _database_ready()), ("redis", _limit_storage_ready()))
        if not ready
    ]
    if failing:
        return {"status": " and ".join(failing) + " unavailable", "failing": failing}, 503
    return {"status": "ok"}, 200

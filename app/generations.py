"""Generation numbers shared by every web process and machine: Redis, else the database.

A generation names a version of something many processes keep a copy of (the public pages of
app/pagecache.py). A change bumps it; a process compares the number its copy was made at with
the current one, read once per request, and throws the copy away when they differ. So a change
made on one machine is seen by every other one on its next response, with no message to deliver
and no list of machines to know.

With REDIS_URL set the number lives in Redis (one GET per cached request, one INCR per change).
When Redis restarts empty, the number starts again from the current time in microseconds, far
above any number handed out before, so no old copy can match it by chance. While Redis does not
answer, `read` gives None (nothing is served from a copy: pages are rendered afresh) and a bump
is logged and dropped (no process can read a number to compare with meanwhile).

Without REDIS_URL (`make run`, a single machine) the number is a row of `generations`.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from flask import Flask, current_app
from sqlalchemy import BigInteger, String, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model, db

log = logging.getLogger("app.generations")


class Generation(Model):
    """The database's copy of a generation number, when there is no Redis."""

    __tablename__ = "generations"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


def _fresh_start() -> int:
    return time.time_ns() // 1000


def _redis(app: Flask) -> redis.Redis | None:
    url = str(app.config.get("REDIS_URL") or "")
    if not url:
        return None
    client: redis.Redis | None = app.extensions.get("generations_redis")
    if client is None:
        # A Redis that hangs must not hang the page: give up quickly, render without the cache.
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        app.extensions["generations_redis"] = client
    return client


def _redis_key(app: Flask, name: str) -> str:
    return f"{app.config.get('RATELIMIT_KEY_PREFIX', 'ydn')}:generation:{name}"


def read(name: str) -> int | None:
    """The current generation of `name`; None when it cannot be known right now."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    client = _redis(app)
    if client is not None:
        key = _redis_key(app, name)
        try:
            value: Any = client.get(key)
            if value is None:
                client.set(key, _fresh_start(), nx=True)
                value = client.get(key)
        except redis.RedisError:
            log.warning("Redis unreachable: generation %s unknown, pages rendered afresh", name)
            return None
        return int(value) if value is not None else None
    try:
        with db.engine.connect() as conn:
            found = conn.scalar(select(Generation.value).where(Generation.name == name))
    except SQLAlchemyError:
        log.warning("generation %s unreadable", name, exc_info=True)
        return None
    return int(found) if found is not None else 0


def bump(name: str) -> None:
    """Make every copy made at the current generation of `name` stale, on every machine."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    client = _redis(app)
    if client is not None:
        key = _redis_key(app, name)
        try:
            if not client.exists(key):
                client.set(key, _fresh_start(), nx=True)
            client.incr(key)
        except redis.RedisError:
            log.warning("Redis unreachable: generation %s not bumped", name)
        return
    try:
        # Its own short transaction, after the change committed (never inside someone's).
        with db.engine.begin() as conn:
            changed = conn.execute(
                update(Generation).where(Generation.name == name).values(value=Generation.value + 1)
            ).rowcount
            if not changed:
                conn.execute(insert(Generation).values(name=name, value=_fresh_start()))
    except IntegrityError:
        pass  # another process created the row at this very moment: that is a bump too
    except SQLAlchemyError:
        log.warning("generation %s not bumped", name, exc_info=True)

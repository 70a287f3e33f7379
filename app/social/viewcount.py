"""Views of projects: each visitor counted once per project per day, on every web machine alike.

A visitor is a hash of their address and user agent salted with the day's random salt; the salt
is shared by every machine (Redis, or a row of the database) and deleted once the day has been
aggregated, so that no hash can be traced back afterwards. Browsers that announce themselves as
bots are not counted, nor the project's owner. The count is taken in a `before_request` hook
registered before the page cache's (app/pagecache.py), so a page served from the cache counts
too. With VIEWS_REDIS_URL each day's visitors are a Redis set per project; without it, rows of
`project_view_hits`. `flask social aggregate-views` (daily, from cron) turns the finished days
into `project_view_days` and forgets the visitors and the salt.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from typing import Any, cast

from flask import Flask, current_app, request
from flask_login import current_user
from sqlalchemy import (
    Date,
    Integer,
    String,
    Table,
    bindparam,
    delete,
    func,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.accounts.models import User, UserStatus
from app.commits import commit_keeping_loaded
from app.db_types import utcnow
from app.extensions import db
from app.portfolios.models import Project
from app.portfolios.queries import public_project_clause
from app.social.models import ProjectViewDay, ProjectViewHit, ViewSalt

log = logging.getLogger(__name__)

COUNTED_ENDPOINT = "portfolios.project"
# User agents that say they are robots, link previewers, monitors or scripts.
BOT = re.compile(
    r"bot|crawl|spider|slurp|scrap|preview|facebookexternalhit|embedly|whatsapp|telegram|"
    r"curl|wget|python|httpx|aiohttp|java/|go-http|okhttp|libwww|headless|lighthouse|"
    r"pingdom|uptime|monitor|feedfetcher|validator|archiver",
    re.IGNORECASE,
)
KEEP_DAYS = 8  # Redis keys expire by themselves if the daily aggregation never runs


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or BOT.search(user_agent) is not None


def today() -> date:
    return utcnow().date()


# ---------- Storage ----------


def _redis() -> Any | None:
    url = str(current_app.config.get("VIEWS_REDIS_URL") or "")
    if not url:
        return None
    client = current_app.extensions.get("views_redis")
    if client is None:
        import redis  # noqa: PLC0415  (only when configured)

        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        current_app.extensions["views_redis"] = client
    return client


def _prefix() -> str:
    return str(current_app.config.get("VIEWS_KEY_PREFIX") or "ydn:views")


# Today's salt, once read, in this process (only today's: a past day's is never kept here).
_today_salt: dict[str, tuple[date, str]] = {}


def _salt_db(day: date) -> str:
    """The day's salt shared by every machine: made by the first view of the day anywhere."""
    cached = _today_salt.get("db")
    if cached is not None and cached[0] == day:
        return cached[1]
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(ViewSalt).values(day=day, salt=secrets.token_hex(32)).on_conflict_do_nothing()
    )
    salt = db.session.scalar(select(ViewSalt.salt).where(ViewSalt.day == day))
    assert salt is not None
    _today_salt["db"] = (day, salt)
    return salt


def _salt_redis(client: Any, day: date) -> str:
    cached = _today_salt.get("redis")
    if cached is not None and cached[0] == day:
        return cached[1]
    key = f"{_prefix()}:salt:{day.isoformat()}"
    client.set(key, secrets.token_hex(32), nx=True, ex=2 * 86400)
    value = client.get(key)
    salt = value.decode() if isinstance(value, bytes) else str(value)
    _today_salt["redis"] = (day, salt)
    return salt


def forget_salt() -> None:
    """Forget the salt this process holds (the aggregation deleted it; tests)."""
    _today_salt.clear()


def visitor_hash(salt: str, address: str, user_agent: str) -> str:
    return hashlib.sha256(f"{salt}|{address}|{user_agent}".encode()).hexdigest()


def _store_redis(client: Any, project_id: int, visitor: str, day: date) -> None:
    prefix, stamp = _prefix(), day.isoformat()
    pipe = client.pipeline()
    pipe.sadd(f"{prefix}:v:{stamp}:{project_id}", visitor)
    pipe.expire(f"{prefix}:v:{stamp}:{project_id}", KEEP_DAYS * 86400)
    pipe.sadd(f"{prefix}:p:{stamp}", project_id)
    pipe.expire(f"{prefix}:p:{stamp}", KEEP_DAYS * 86400)
    pipe.sadd(f"{prefix}:days", stamp)
    pipe.execute()


def _insert_hit(project_id: int, visitor: str, day: date) -> None:
    """Add the visitor's row unless it is there."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(ProjectViewHit).values(day=day, project_id=project_id, visitor=visitor)
    db.session.execute(stmt.on_conflict_do_nothing())
    # The view at once (a GET commits nothing else), keeping the visitor's loaded account.
    commit_keeping_loaded()


def record(project_id: int, *, address: str, user_agent: str, day: date | None = None) -> None:
    """Count this visitor for this project today (once: a second visit changes nothing)."""
    day = day or today()
    client = _redis()
    if client is not None:
        try:
            _store_redis(
                client, project_id, visitor_hash(_salt_redis(client, day), address, user_agent), day
            )
        except Exception:  # a Redis outage must never break a page: the view is lost
            log.exception("views: Redis did not answer")
        return
    _insert_hit(project_id, visitor_hash(_salt_db(day), address, user_agent), day)


# The hook's statements, built once (every project page runs one): the public project at an
# address unless the viewer owns it (a visitor's id is None, distinct from every owner's).
@cache
def _public_project_id() -> Any:
    return (
        select(Project.id)
        .join(User, User.id == Project.owner_id)
        .where(
            User.handle == bindparam("handle", type_=String),
            Project.slug == bindparam("slug", type_=String),
            public_project_clause(),
            User.status == UserStatus.ACTIVE,
            User.hidden_at.is_(None),
            Project.owner_id.is_distinct_from(bindparam("viewer_id", type_=Integer)),
        )
    )


@cache
def _insert_hit_at(dialect: str) -> Any:
    """INSERT … SELECT: the visitor's row for the project at an address, unless it is there."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    columns = _public_project_id().with_only_columns(
        bindparam("day", type_=Date), Project.id, bindparam("visitor", type_=String)
    )
    # On the table, not the class: the ORM would take the parameters for rows to insert.
    table = cast(Table, ProjectViewHit.__table__)
    stmt = insert(table).from_select(["day", "project_id", "visitor"], columns)
    return stmt.on_conflict_do_nothing()


def count_request() -> None:
    """The before_request hook: a GET of a public project's page by a person counts. Without
    Redis it is one statement (INSERT … SELECT: the project by its address, not the owner's);
    with Redis, one query for the project's id and one round trip."""
    if request.method != "GET" or request.endpoint != COUNTED_ENDPOINT:
        return
    user_agent = request.headers.get("User-Agent", "")[:500]
    if is_bot(user_agent):
        return
    args = request.view_args or {}
    params: dict[str, Any] = {
        "handle": str(args.get("handle", "")).lower(),
        "slug": str(args.get("slug", "")),
        "viewer_id": current_user.id if current_user.is_authenticated else None,
    }
    address, day = request.remote_addr or "", today()
    client = _redis()
    if client is None:
        params["day"] = day
        params["visitor"] = visitor_hash(_salt_db(day), address, user_agent)
        db.session.execute(_insert_hit_at(db.engine.dialect.name), params)
        # The view at once (a GET commits nothing else), keeping the visitor's loaded account.
        commit_keeping_loaded()
        return
    project_id = db.session.scalar(_public_project_id(), params)
    if project_id is not None:
        record(int(project_id), address=address, user_agent=user_agent, day=day)


def init_app(app: Flask) -> None:
    """Register the hook; the factory registers domains before the page cache, so it runs first."""
    app.before_request(count_request)


# ---------- Reading ----------


def _pending_redis(client: Any, project_ids: list[int]) -> dict[int, int]:
    prefix = _prefix()
    try:
        days = sorted(
            d.decode() if isinstance(d, bytes) else str(d)
            for d in client.smembers(f"{prefix}:days")
        )
        pipe = client.pipeline()
        pairs = [(pid, day) for pid in project_ids for day in days[-KEEP_DAYS:]]
        for pid, day in pairs:
            pipe.scard(f"{prefix}:v:{day}:{pid}")
        counts = pipe.execute() if pairs else []
    except Exception:
        log.exception("views: Redis did not answer")
        return {}
    found: dict[int, int] = {}
    for (pid, _day), n in zip(pairs, counts, strict=True):
        found[pid] = found.get(pid, 0) + int(n or 0)
    return found


def view_counts(project_ids: Iterable[int]) -> dict[int, int]:
    """Views of each project: aggregated days plus those not aggregated yet (one statement;
    with Redis, one statement and one round trip)."""
    ids = [int(i) for i in project_ids]
    if not ids:
        return {}
    counted: Any = (
        select(ProjectViewDay.project_id, func.sum(ProjectViewDay.views))
        .where(ProjectViewDay.project_id.in_(ids))
        .group_by(ProjectViewDay.project_id)
    )
    client = _redis()
    if client is None:  # the visitors of the days not aggregated yet are rows too
        counted = union_all(
            counted,
            select(ProjectViewHit.project_id, func.count())
            .where(ProjectViewHit.project_id.in_(ids))
            .group_by(ProjectViewHit.project_id),
        )
    totals = dict.fromkeys(ids, 0)
    for pid, n in db.session.execute(counted):
        totals[int(pid)] += int(n or 0)
    if client is not None:
        for pid, n in _pending_redis(client, ids).items():
            totals[pid] += n
    return totals


# ---------- Aggregation ----------


def _add(project_id: int, day: date, views: int, *, replace: bool) -> None:
    row = db.session.get(ProjectViewDay, (project_id, day))
    if row is None:
        db.session.add(ProjectViewDay(project_id=project_id, day=day, views=views))
    else:
        row.views = views if replace else row.views + views


def aggregate(*, now: datetime | None = None) -> int:
    """Turn every finished day's visitors into daily counts, then forget the visitors and the
    day's salt; returns how many (project, day) counts were written. Safe to run again."""
    current = (now or utcnow()).date()
    written = 0
    client = _redis()
    if client is not None:
        prefix = _prefix()
        days = sorted(
            d.decode() if isinstance(d, bytes) else str(d)
            for d in client.smembers(f"{prefix}:days")
        )
        for stamp in days:
            day = date.fromisoformat(stamp)
            if day >= current:
                continue
            members = client.smembers(f"{prefix}:p:{stamp}")
            ids = [int(raw) for raw in members]
            # Projects deleted since are skipped (their day's visitors are forgotten all the same).
            existing = set(db.session.scalars(select(Project.id).where(Project.id.in_(ids))))
            for pid in ids:
                n = int(client.scard(f"{prefix}:v:{stamp}:{pid}") or 0)
                if n and pid in existing:
                    # Replace, not add: a run that stopped before forgetting the day repeats it.
                    _add(pid, day, n, replace=True)
                    written += 1
            db.session.commit()
            keys = [f"{prefix}:v:{stamp}:{int(raw)}" for raw in members]
            client.delete(*keys, f"{prefix}:p:{stamp}", f"{prefix}:salt:{stamp}")
            client.srem(f"{prefix}:days", stamp)
    rows = db.session.execute(
        select(ProjectViewHit.day, ProjectViewHit.project_id, func.count())
        .where(ProjectViewHit.day < current)
        .group_by(ProjectViewHit.day, ProjectViewHit.project_id)
    ).all()
    for day, pid, n in rows:
        _add(int(pid), day, int(n), replace=False)
        written += 1
    db.session.execute(delete(ProjectViewHit).where(ProjectViewHit.day < current))
    db.session.execute(delete(ViewSalt).where(ViewSalt.day < current))
    db.session.commit()
    forget_salt()
    return written

"""Flask extensions, created unbound and initialised in create_app()."""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING, Any

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits import RateLimitItem
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase
from werkzeug.exceptions import BadRequest

# Stable constraint names, so that migrations can drop and alter them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def client_address() -> str:
    """The client's address; ProxyFix has already applied the trusted-proxy count."""
    return request.remote_addr or "unknown"


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=client_address)

log = logging.getLogger("app.ratelimit")
# Counts kept in this process while the shared storage (Redis) does not answer.
_fallback_counts = MovingWindowRateLimiter(MemoryStorage())


def limit_test(item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
    """Whether one more hit fits `item` (limits checked by hand, e.g. messaging).

    Fails open to an in-process count, with a logged error, when the storage does not answer:
    a Redis outage must never stop people from working."""
    try:
        return bool(limiter.limiter.test(item, *identifiers, cost=cost))
    except Exception as exc:  # redis raises its own ConnectionError/TimeoutError classes
        log.error("rate limit storage unreachable, counting in this process: %s", exc)
        return bool(_fallback_counts.test(item, *identifiers, cost=cost))


def limit_hit(item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
    """Count `cost` hits against `item`; in-process while the storage does not answer."""
    try:
        return bool(limiter.limiter.hit(item, *identifiers, cost=cost))
    except Exception as exc:
        log.error("rate limit storage unreachable, counting in this process: %s", exc)
        return bool(_fallback_counts.hit(item, *identifiers, cost=cost))


if TYPE_CHECKING:
    # mypy cannot see through Flask-SQLAlchemy's dynamic base; the declarative Base is its type.
    Model = Base
else:
    Model = db.Model


@event.listens_for(Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores ON DELETE CASCADE unless asked, per connection; PostgreSQL always enforces.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


class NulInText(BadRequest):
    """Text with a NUL character reached the database. PostgreSQL cannot store it (and SQLite
    would store it silently): the request is bad. Forms say so beside the field first
    (app.forms.Form); this catches the values read outside forms (query strings, addresses)."""

    description = "Text with a NUL character cannot be saved or searched."


def _has_nul(parameters: Any) -> bool:
    if isinstance(parameters, str):
        return "\x00" in parameters
    if isinstance(parameters, dict):
        return any(_has_nul(value) for value in parameters.values())
    if isinstance(parameters, list | tuple):
        return any(_has_nul(value) for value in parameters)
    return False


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_nul_in_text(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _many: bool
) -> None:
    if _has_nul(parameters):
        raise NulInText()

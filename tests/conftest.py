"""Fixtures: the app on a migrated database (SQLite, or PostgreSQL with TEST_DATABASE_URL),
a client that sends CSRF tokens, role fixtures, a SQL statement counter and a mail outbox.

Requests run as in production. The `app` fixture keeps an application context open around
each test, so that a test body can arrange and assert with `db.session` directly (hundreds of
tests do; removing it would mean rewriting them all, not making requests any truer). What
matters is that no request can see that context: `Client` runs every request in a fresh
`contextvars.Context()`, where no application or request context exists, so the request
pushes and pops its own exactly as under gunicorn. The body is read to the end right after
the request returned, once its contexts are popped, still in that empty context, as a WSGI
server does (`buffered=False` keeps it lazy, each chunk still read in the empty context). A
streamed response whose generator needs `current_app`, `g` or the database without
`stream_with_context` therefore fails here as it would in production
(tests/test_requests_as_in_production.py proves it).
"""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text

from app import create_app
from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.extensions import db, limiter
from app.mail.backends import MemoryBackend
from tests.factories import give_avatar, make_full_designer, make_user, session_token_for
from tests.full_world import FullWorld, build_world

# Tables whose rows come from migrations and are kept between tests.
SEEDED_TABLES = {"alembic_version", "disciplines"}
CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def database_url(tmp: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp / 'test.sqlite3'}"


def test_config(tmp: Path, **overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "APP_ENV": "test",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "INSTANCE_PATH": str(tmp / "instance"),
        "SQLALCHEMY_DATABASE_URI": database_url(tmp),
        "MEDIA_ROOT": str(tmp / "media"),
        "MAIL_BACKEND": "memory",
        "MAIL_SEND_AFTER_REQUEST": True,
        "PUBLIC_BASE_URL": "https://ydn.example",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "WTF_CSRF_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": "en",
        # Pages are read right after each change in tests; tests/test_pagecache.py turns it on.
        "PAGE_CACHE_SECONDS": 0,
    }
    config.update(overrides)
    return config


def reset_schema(app: Flask) -> None:
    """Start from an empty database and apply every migration (they are tested on the way)."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))


@pytest.fixture(scope="session")
def _session_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ydn")


@pytest.fixture(scope="session")
def _migrated(_session_tmp: Path) -> Iterator[None]:
    app = create_app(test_config(_session_tmp))
    reset_schema(app)
    yield
    with app.app_context():
        db.engine.dispose()


def clean_tables(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in SEEDED_TABLES:
                    conn.execute(table.delete())


@pytest.fixture
def make_app(_migrated: None, _session_tmp: Path) -> Iterator[Any]:
    """Build an app with config overrides on the shared test database; rows are wiped after."""
    apps: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        app = create_app(test_config(_session_tmp, **overrides))
        app.test_client_class = Client
        apps.append(app)
        return app

    yield factory
    for app in apps:
        if app.config["RATELIMIT_ENABLED"]:
            with app.app_context():
                limiter.reset()
        clean_tables(app)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app: Any) -> Iterator[Flask]:
    application = make_app()
    with application.app_context():
        yield application
        db.session.remove()


class _ReadInContext:
    """A lazily read body (`buffered=False`) whose chunks are produced in the request's own,
    otherwise empty, context: never in the test's application context."""

    def __init__(self, context: contextvars.Context, body: Iterable[bytes]) -> None:
        self.context = context
        self.body = iter(body)
        self._close = getattr(body, "close", None)

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        return self.context.run(next, self.body)

    def close(self) -> None:
        if self._close is not None:
            self.context.run(self._close)


class Client(FlaskClient):
    """A test client whose form posts carry a valid CSRF token, as a browser's would.

    Each request (redirects followed included) runs in a fresh, empty `contextvars.Context`:
    the test's application context, its `g` and its database session are invisible to it,
    and the response body is read after the request's own contexts were popped.
    """

    def open(self, *args: Any, buffered: bool = True, **kwargs: Any) -> Any:
        return super().open(*args, buffered=buffered, **kwargs)

    def run_wsgi_app(self, environ: Any, buffered: bool = False) -> Any:
        context = contextvars.Context()
        body, status, headers = context.run(super().run_wsgi_app, environ, buffered)
        if not buffered:
            body = _ReadInContext(context, body)
        return body, status, headers

    def csrf_token(self) -> str:
        page = self.get("/").get_data(as_text=True)
        match = CSRF_RE.search(page)
        assert match, "no CSRF token on the home page"
        return match.group(1) or match.group(2)

    def post_form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)

    def login_as(self, user: User) -> User:
        """Log in without the form (fast): start a server-side session and put it in the cookie."""
        token = session_token_for(user)
        with self.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        return user


@pytest.fixture
def client(app: Flask) -> Client:
    app.test_client_class = Client
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def outbox(app: Flask) -> list[Any]:
    backend = app.extensions["mail_backend"]
    assert isinstance(backend, MemoryBackend)
    return backend.outbox


@pytest.fixture
def designer(app: Flask) -> User:
    """An approved designer with a real avatar (pages that show people must cope with one)."""
    user = make_user(
        handle="mai-nguyen", display_name="Nguyễn Thị Mai", city="Hà Nội", country="VN"
    )
    give_avatar(user)
    db.session.commit()
    return user


@pytest.fixture
def full_designer(app: Flask) -> User:
    """A designer with everything filled (see tests.factories.make_full_designer)."""
    user = make_full_designer(handle="thao-nguyen-hoang")
    db.session.commit()
    return user


@pytest.fixture
def full_world(app: Flask) -> FullWorld:
    """Every role with rich data and one of everything between them (tests/full_world.py)."""
    return build_world()


@pytest.fixture
def pending_designer(app: Flask) -> User:
    user = make_user(handle="pending-one", status=UserStatus.PENDING, verified=False)
    db.session.commit()
    return user


@pytest.fixture
def suspended_designer(app: Flask) -> User:
    user = make_user(handle="suspended-one", status=UserStatus.SUSPENDED)
    db.session.commit()
    return user


@pytest.fixture
def organiser(app: Flask) -> User:
    user = make_user(
        handle="design-centre",
        account_type=AccountType.ORGANISER,
        organisation="Hanoi Creative Design Centre",
    )
    db.session.commit()
    return user


@pytest.fixture
def moderator(app: Flask) -> User:
    user = make_user(handle="mod-khang", staff_role=StaffRole.MODERATOR)
    db.session.commit()
    return user


@pytest.fixture
def admin(app: Flask) -> User:
    user = make_user(handle="admin-hanh", staff_role=StaffRole.ADMIN)
    db.session.commit()
    return user


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Iterator[Any]:
    """`with count_queries() as q: ...; q.count` counts SQL statements sent in the block."""
    from contextlib import contextmanager

    engine = db.engine

    @contextmanager
    def counter() -> Iterator[QueryCounter]:
        found = QueryCounter()

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            found.statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield found
        finally:
            event.remove(engine, "before_cursor_execute", record)

    yield counter


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    from app import pagecache
    from app.cache import forget

    forget()
    pagecache.clear()
    yield
    forget()
    pagecache.clear()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """`@pytest.mark.postgres_only` tests run only with TEST_DATABASE_URL on PostgreSQL."""
    if item.get_closest_marker("postgres_only") and not os.environ.get(
        "TEST_DATABASE_URL", ""
    ).startswith("postgresql"):
        pytest.skip("PostgreSQL only (set TEST_DATABASE_URL)")

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

Speed. One application per test session (per xdist worker) serves every test that takes the
default config (`app`); `make_app(**overrides)` still builds a fresh one. After each test the
shared app's config, mail outbox and media storage are put back, and the database is wiped of
committed rows: one `DELETE` per table that received an `INSERT` during the test, found by an
engine-wide listener (so threads, live servers and other apps on the same database count too).
Each test starts from empty tables apart from the migration-seeded ones. Wiping committed data
rather than rolling back a per-test transaction is deliberate: every request runs in its own
context with its own session, browser tests serve the app from a thread, and the race tests
commit from several connections, so a single outer transaction could not hold them all.
`TEST_CHECK_WIPE=1` checks after each test that every table but the seeded ones is empty.

Under pytest-xdist (`-n 2`), each worker has its own SQLite file (tmp-based) or, with
TEST_DATABASE_URL, its own PostgreSQL database: the URL's database name plus the worker id
(`test_gw0`), created if missing and reused (its schema is rebuilt at the start of a session).
"""

from __future__ import annotations

import contextvars
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import Engine, create_engine, event, func, make_url, select, text

from app import create_app, pagecache
from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.cache import forget
from app.extensions import db, limiter
from app.jobs.after_response import WATCHDOG_NAME
from app.mail.backends import MemoryBackend, make_backend
from app.social.viewcount import forget_salt
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


def _worker_database_url(url: str, worker: str) -> str:
    """This xdist worker's own PostgreSQL database (`<name>_<worker>`), created if missing."""
    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    maintenance = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with maintenance.connect() as conn:
            found = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not found:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        maintenance.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def pytest_configure() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("TEST_DATABASE_URL", "")
    if worker and url.startswith("postgresql"):
        os.environ["TEST_DATABASE_URL"] = _worker_database_url(url, worker)


# Tables that received an INSERT since the last wipe, on any engine of this process.
_written: set[str] = set()
_INSERT_RE = re.compile(r'\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+"?(\w+)"?', re.IGNORECASE)


@event.listens_for(Engine, "before_cursor_execute")
def _track_inserts(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    match = _INSERT_RE.match(statement)
    if match:
        _written.add(match.group(1))


def wipe(app: Flask) -> None:
    """Delete the committed rows of every table written since the last wipe (children first)."""
    with app.app_context():
        db.session.remove()
        tables = [
            table
            for table in reversed(db.metadata.sorted_tables)
            if table.name in _written and table.name not in SEEDED_TABLES
        ]
        if tables:
            with db.engine.begin() as conn:
                for table in tables:
                    conn.execute(table.delete())
        _written.clear()
        if os.environ.get("TEST_CHECK_WIPE"):
            with db.engine.connect() as conn:
                left = {
                    table.name: count
                    for table in db.metadata.sorted_tables
                    if table.name not in SEEDED_TABLES
                    and (count := conn.scalar(select(func.count()).select_from(table)))
                }
            assert not left, f"rows left after the wipe: {left}"


def join_after_response_watchdogs(timeout: float = 5.0) -> None:
    """Wait for the threads that run a response's work when its close never came
    (app/jobs/after_response.py): one that wakes after its app's engine was disposed would take
    a connection no one closes (psycopg's "deleted while still open" ResourceWarning later)."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name == WATCHDOG_NAME and thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))


def dispose_engine(app: Flask) -> None:
    """Close the app's pooled connections, once no work after a response may still take one."""
    join_after_response_watchdogs()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def _session_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ydn")


@pytest.fixture(scope="session")
def _session_app(_session_tmp: Path) -> Iterator[Flask]:
    """The migrated database, and the one app of this session for the default config."""
    app = create_app(test_config(_session_tmp))
    app.test_client_class = Client
    reset_schema(app)
    _written.clear()
    yield app
    dispose_engine(app)


@pytest.fixture(scope="session")
def _migrated(_session_app: Flask) -> None:
    """The migrated database, for fixtures that build their own app (tests/browser/world.py)."""


def clean_tables(app: Flask) -> None:
    """Delete the rows of every table but the seeded ones (for data loaded outside a test)."""
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in SEEDED_TABLES:
                    conn.execute(table.delete())
    _written.clear()


@pytest.fixture
def _clean_database(_session_app: Flask) -> Iterator[None]:
    """Every test leaves the database as it found it (torn down after the apps it used)."""
    yield
    wipe(_session_app)


@pytest.fixture
def make_app(_clean_database: None, _session_tmp: Path, _session_app: Flask) -> Iterator[Any]:
    """Build an app with config overrides on the shared test database; rows are wiped after."""
    apps: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        app = create_app(test_config(_session_tmp, **overrides))
        app.test_client_class = Client
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            if app.config["RATELIMIT_ENABLED"]:
                limiter.reset()
        dispose_engine(app)
    # `limiter` is one object for every app, switched on by the last app built with limits: the
    # session's app must not inherit them (its decorated views read `limiter.enabled`).
    limiter.enabled = bool(_session_app.config["RATELIMIT_ENABLED"])


@pytest.fixture
def app(request: pytest.FixtureRequest, make_app: Any, _session_app: Flask) -> Iterator[Flask]:
    """The session's app, in an application context for the test's own database work; what a
    test may change on it (config, mail outbox, media storage) is put back afterwards.
    A test marked `own_app` (it adds routes or hooks) gets a new app of its own instead."""
    own = request.node.get_closest_marker("own_app") is not None
    application = make_app() if own else _session_app
    config = dict(application.config)
    with application.app_context():
        yield application
        db.session.remove()
    if not own:
        application.config.clear()
        application.config.update(config)
        application.extensions["mail_backend"] = make_backend(application)
        application.extensions.pop("media_storage", None)


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
def count_queries(app: Flask) -> Any:
    """`with count_queries() as q: ...; q.count` counts SQL statements sent in the block."""

    engine = db.engine

    @contextmanager
    def counter() -> Iterator[QueryCounter]:
        found = QueryCounter()

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            found.statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield found
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counter


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    forget()
    pagecache.clear()
    forget_salt()  # the day's salt of project views, held per process
    yield
    forget()
    pagecache.clear()
    forget_salt()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """`@pytest.mark.postgres_only` tests run only with TEST_DATABASE_URL on PostgreSQL."""
    if item.get_closest_marker("postgres_only") and not os.environ.get(
        "TEST_DATABASE_URL", ""
    ).startswith("postgresql"):
        pytest.skip("PostgreSQL only (set TEST_DATABASE_URL)")

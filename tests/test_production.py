# ruff: noqa: S310 (urlopen on our own 127.0.0.1 server only)
"""Production settings: the proxy, HSTS, the PostgreSQL pool, and one rate limit shared by
several gunicorn workers through Redis."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask, request

from app.config import load_config
from app.extensions import db

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def _who_route(app: Flask) -> None:
    @app.get("/_test/who")
    def who() -> str:
        return f"{request.remote_addr} {request.scheme} {request.host}"


def test_trusted_proxy_supplies_the_client_address_and_scheme(make_app: Any) -> None:
    app = make_app(TRUSTED_PROXIES=1)
    _who_route(app)
    headers = {
        "X-Forwarded-For": "203.0.113.7",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "ydn.example",
    }
    response = app.test_client().get(
        "/_test/who", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"}
    )
    assert response.text == "203.0.113.7 https ydn.example"


def test_without_trusted_proxies_forwarded_headers_are_ignored(make_app: Any) -> None:
    app = make_app(TRUSTED_PROXIES=0)
    _who_route(app)
    response = app.test_client().get(
        "/_test/who",
        headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert response.text.startswith("10.0.0.2 http ")


def test_hsts_only_when_served_over_https(make_app: Any) -> None:
    secure = make_app(HSTS=True).test_client().get("/healthz")
    assert "max-age=31536000" in secure.headers["Strict-Transport-Security"]
    plain = make_app(HSTS=False).test_client().get("/healthz")
    assert "Strict-Transport-Security" not in plain.headers


def test_https_production_sets_hsts_and_secure_cookies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PREFERRED_URL_SCHEME", "http")
    plain = load_config({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    assert not plain["HSTS"]
    assert not plain["SESSION_COOKIE_SECURE"]
    monkeypatch.setenv("PREFERRED_URL_SCHEME", "https")
    secure = load_config({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    assert secure["HSTS"]
    assert secure["SESSION_COOKIE_SECURE"]


def test_postgresql_pool_checks_connections_and_bounds_statements(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("DB_POOL_SIZE", "7")
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "2500")
    options = load_config({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})[
        "SQLALCHEMY_ENGINE_OPTIONS"
    ]
    assert options["pool_pre_ping"] is True
    assert options["pool_size"] == 7
    assert options["connect_args"]["options"] == "-c statement_timeout=2500"


def test_statement_timeout_reaches_the_postgresql_session(app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
    # The test app builds its engine through the same config path as production.
    timeout = db.session.execute(db.text("SHOW statement_timeout")).scalar_one()
    assert timeout == f"{app.config['DB_STATEMENT_TIMEOUT_MS'] // 1000}s"


# ---------- Two gunicorn workers, one limit (Redis) ----------


def _redis_ready() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def gunicorn_with_redis(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """gunicorn, 2 sync workers, production settings, limits stored in Redis under a unique
    prefix (removed afterwards); yields (base URL, prefix)."""
    if not _redis_ready() or shutil.which("gunicorn", path=str(BIN)) is None:
        pytest.skip("needs Redis on 127.0.0.1:6379 and gunicorn")
    port = _free_port()
    prefix = f"ydn-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
        "INSTANCE_PATH": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PREFERRED_URL_SCHEME": "http",
        "MAIL_BACKEND": "console",
        "RATELIMIT_ENABLED": "1",
        "RATELIMIT_STORAGE_URI": f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
        "RATELIMIT_KEY_PREFIX": prefix,
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "",
        "BIND": f"127.0.0.1:{port}",
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_COST": "1024",
    }
    subprocess.run(
        [str(BIN / "flask"), "--app", "app:create_app", "db", "upgrade"],
        env=env, cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base, prefix
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()

        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=0)
        for key in client.scan_iter(match=f"*{prefix}*"):
            client.delete(key)
        client.close()


def _post_login(base: str, token: str, cookie: str) -> int:
    data = urllib.parse.urlencode(
        {"csrf_token": token, "email": "nobody@example.org", "password": "wrong-password-1"}
    ).encode()
    req = urllib.request.Request(
        base + "/auth/login",
        data=data,
        headers={"Cookie": cookie, "Connection": "close"},
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)


def test_two_gunicorn_workers_share_one_rate_limit_through_redis(
    gunicorn_with_redis: tuple[str, str],
) -> None:
    base, prefix = gunicorn_with_redis
    with urllib.request.urlopen(base + "/auth/login", timeout=10) as r:
        page = r.read().decode()
        cookie = "; ".join(
            c.split(";", 1)[0] for c in r.headers.get_all("Set-Cookie") or [] if "=" in c
        )
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "no CSRF token on the log-in page"
    # A new connection per attempt, so both workers answer; the limit is 8 tries per address
    # per 15 minutes. With per-process counting, up to 16 tries would be let through.
    statuses = [_post_login(base, token.group(1), cookie) for _ in range(16)]
    assert all(s != 429 for s in statuses[:8]), statuses
    assert statuses[8:] == [429] * 8, statuses
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=0)
    assert any(True for _ in client.scan_iter(match=f"*{prefix}*")), "no limit counted in Redis"
    client.close()

"""Shared pieces for the fault tests: closed ports and PostgreSQL-only marks."""

from __future__ import annotations

import socket

import pytest

from app.extensions import db


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def require_postgresql() -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")

"""The live server waits for its requests' work after the response before the test's app goes.

An email a request queued is delivered in the response's close, after the browser already has
its answer. A test that ended right then used to have its app's engine disposed under that
delivery: its connection went back to the disposed pool, open, and psycopg warned about it when
the garbage collector met it, in whatever test ran then.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from typing import Any

import pytest
from flask import Flask, g
from sqlalchemy import text

from app.extensions import db
from app.jobs import queue
from tests.browser.conftest import LiveServer


@pytest.mark.own_app
def test_work_after_the_response_ends_before_the_server_does(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    delivered = threading.Event()

    def slow_delivery() -> int:
        db.session.execute(text("SELECT 1"))  # holds a connection of the app's pool
        time.sleep(1.5)  # longer than the server takes to stop
        delivered.set()
        return 0

    monkeypatch.setattr(queue, "deliver_due", slow_delivery)

    @app.get("/_queues-an-email")
    def queues_an_email() -> str:
        g.mail_queued = True
        return "sent"

    with LiveServer(app) as server:
        url = server.url + "/_queues-an-email"
        with urllib.request.urlopen(url) as answer:  # noqa: S310 (http on loopback)
            assert answer.read() == b"sent"
        assert not delivered.is_set()  # the answer came first
    assert delivered.is_set()
    pool: Any = db.engine.pool
    assert pool.checkedout() == 0

"""The database down, gone or dropped: a 503 page with Retry-After for visitors and logged-in
people alike, rendered without the database, and service again as soon as it answers."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from tests import conftest
from tests.conftest import Client
from tests.faults.conftest import closed_port

UNAVAILABLE = "We will be back in a moment"


def assert_unavailable(response: Any) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert UNAVAILABLE in page
    assert "Nothing you sent was half-saved" in page
    assert "Traceback" not in page
    assert "psycopg" not in page
    assert "sqlite" not in page.lower()


def offline_app(tmp_path: Path, uri: str, **overrides: Any) -> Flask:
    app = create_app(conftest.test_config(tmp_path, SQLALCHEMY_DATABASE_URI=uri, **overrides))
    app.test_client_class = Client
    return app


def visit_logged_in(app: Flask, url: str) -> Any:
    """A browser that carries a session cookie (the user has to be loaded from the database)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "some-session-token-of-a-logged-in-person"
        session["_fresh"] = True
    return client.get(url)


@pytest.mark.parametrize("path", ["/", "/designers", "/calls"])
def test_database_on_a_closed_port(tmp_path: Path, path: str) -> None:
    app = offline_app(tmp_path, f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/nowhere")
    assert_unavailable(app.test_client().get(path))
    assert_unavailable(visit_logged_in(app, path))
    # Liveness never needs the database; readiness names it.
    assert app.test_client().get("/healthz").status_code == 200
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["failing"] == ["database"]


def test_a_form_post_while_the_database_is_down(tmp_path: Path) -> None:
    app = offline_app(
        tmp_path,
        f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/nowhere",
        WTF_CSRF_ENABLED=False,
    )
    response = app.test_client().post(
        "/auth/login", data={"email": "a@example.org", "password": "a long password 1"}
    )
    assert_unavailable(response)
    assert "go back and send it again" in response.get_data(as_text=True)


def test_a_dropped_sqlite_file(tmp_path: Path) -> None:
    """The file is gone: SQLite opens an empty one, without tables."""
    app = offline_app(tmp_path, f"sqlite:///{tmp_path / 'dropped.sqlite3'}")
    assert_unavailable(app.test_client().get("/"))
    assert_unavailable(visit_logged_in(app, "/messages"))


def test_the_page_speaks_the_visitors_language(tmp_path: Path) -> None:
    app = offline_app(tmp_path, f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/nowhere")
    page = app.test_client().get("/", headers={"Accept-Language": "vi"})
    assert page.status_code == 503
    assert "Chúng tôi sẽ trở lại ngay" in page.get_data(as_text=True)


class Forwarder:
    """A TCP relay from a port of ours to PostgreSQL: stopping it is the database going away."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = closed_port()
        self.server: socket.socket | None = None
        self.links: list[socket.socket] = []

    def start(self) -> None:
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.server,), daemon=True).start()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.links += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self.server is not None:
            # shutdown() wakes the thread blocked in accept() and stops listening (Linux).
            self.server.shutdown(socket.SHUT_RDWR)
            self.server.close()
            self.server = None
        for s in self.links:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        self.links.clear()


@pytest.fixture
def relayed_app(_migrated: None, _session_tmp: Path) -> Iterator[tuple[Flask, Forwarder]]:
    url = make_url(conftest.database_url(_session_tmp))
    if url.get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
    relay = Forwarder((url.host or "127.0.0.1", url.port or 5432))
    app = create_app(
        conftest.test_config(
            _session_tmp,
            SQLALCHEMY_DATABASE_URI=url.set(host="127.0.0.1", port=relay.port).render_as_string(
                hide_password=False
            ),
        )
    )
    app.test_client_class = Client
    yield app, relay
    relay.stop()
    with app.app_context():
        db.engine.dispose()


def test_service_comes_back_without_a_restart(relayed_app: tuple[Flask, Forwarder]) -> None:
    app, relay = relayed_app
    client = app.test_client()
    assert_unavailable(client.get("/designers"))  # not started yet: nothing listens

    relay.start()
    assert client.get("/designers").status_code == 200

    relay.stop()  # the database goes away under open pooled connections
    assert_unavailable(client.get("/designers"))

    relay.start()  # and comes back: the pool checks its connections and reconnects
    page = client.get("/designers")
    assert page.status_code == 200
    assert UNAVAILABLE not in page.get_data(as_text=True)

"""The database connection killed between two writes (pg_terminate_backend), and the database
hung behind a lock: nothing half-written, the person keeps what they typed and can send it again,
and a hung request is cut at the statement timeout so that the worker is free again."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, event, func, select

from app.accounts.models import User
from app.calls.models import Submission
from app.extensions import db
from app.messaging.models import Conversation, Message
from tests.calls.factories import make_call, make_project
from tests.conftest import Client
from tests.factories import make_user
from tests.faults.conftest import require_postgresql
from tests.messaging.factories import converse

SEND_AGAIN_RE = re.compile(r'<form method="post" action="([^"]+)"')
HIDDEN_RE = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def send_again(client: Client, page: str) -> Any:
    """Press "Send again": post exactly the fields the 503 page carries (fresh CSRF token)."""
    form = SEND_AGAIN_RE.search(page)
    assert form
    data: dict[str, list[str]] = {}
    for name, value in HIDDEN_RE.findall(page):
        data.setdefault(name, []).append(html.unescape(value))
    assert data.get("csrf_token"), "the page carries a fresh CSRF token"
    return client.post(form.group(1), data=data)


def conninfo(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def killed_after(engine: Engine, pattern: str) -> Iterator[dict[str, Any]]:
    """Terminate the app's connection right after a statement matching `pattern` ran, before
    the next one: the request is between two writes of one transaction."""
    state: dict[str, Any] = {"armed": False, "killed": None}

    def before(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if state["killed"] is not None:
            return
        if state["armed"]:
            pid = cursor.connection.info.backend_pid
            with psycopg.connect(conninfo(engine), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
            state["killed"] = statement
        elif re.search(pattern, statement):
            state["armed"] = True

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield state
    finally:
        event.remove(engine, "before_cursor_execute", before)


def count(model: Any) -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def assert_kept_for_sending_again(response: Any, url: str, *typed: str) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "We will be back in a moment" in page
    assert "What you wrote is kept here" in page
    for text in typed:
        assert text in page
    form = SEND_AGAIN_RE.search(page)
    assert form
    assert form.group(1) == url
    assert "Send again" in page


@pytest.mark.usefixtures("app")
def test_killed_mid_message(client: Client) -> None:
    require_postgresql()
    mai, an = make_user(handle="mai"), make_user(handle="an")
    conversation = converse(an, mai, "Chào Mai")
    db.session.commit()
    client.login_as(mai)
    url = f"/messages/{conversation.public_id}"
    typed = "Mình gửi bản thảo áp phích vào thứ Sáu nhé"

    with killed_after(db.engine, r"^INSERT INTO messages") as kill:
        response = client.post_form(url, {"body": typed, "token": "send-1"})

    assert kill["killed"], "the connection was not killed between the writes"
    assert_kept_for_sending_again(response, url, typed)
    assert count(Message) == 1  # the message row did not survive without its conversation update
    db.session.expire_all()
    stored = db.session.get(Conversation, conversation.id)
    assert stored is not None
    assert stored.last_message_id is not None
    assert db.session.get(Message, stored.last_message_id).body == "Chào Mai"  # type: ignore[union-attr]

    # The database answers again: "Send again" stores it, once.
    again = send_again(client, response.get_data(as_text=True))
    assert again.status_code == 302
    assert count(Message) == 2
    assert client.post_form(url, {"body": typed, "token": "send-1"}).status_code == 302
    assert count(Message) == 2  # the same form sent twice is stored once


@pytest.mark.usefixtures("app")
def test_killed_mid_application(client: Client, organiser: User, designer: User) -> None:
    require_postgresql()
    call = make_call(owner=organiser, title="Tuần lễ áp phích")
    p1, p2 = make_project(owner=designer), make_project(owner=designer)
    db.session.commit()
    client.login_as(designer)
    url = f"/calls/{call.slug}/apply"
    statement = "Tôi vẽ áp phích bằng sơn mài và giấy dó"
    data = {"statement": statement, "projects": [str(p1.id), str(p2.id)], "submit": "1"}

    with killed_after(db.engine, r"^INSERT INTO submissions") as kill:
        response = client.post_form(url, data)

    assert kill["killed"], "the connection was not killed between the writes"
    assert_kept_for_sending_again(response, url, statement)
    page = response.get_data(as_text=True)
    assert f'name="projects" value="{p1.id}"' in page
    assert f'name="projects" value="{p2.id}"' in page
    assert count(Submission) == 0

    again = send_again(client, page)
    assert again.status_code == 302
    rows = db.session.scalars(select(Submission)).all()
    assert len(rows) == 1
    assert len(rows[0].projects) == 2
    assert rows[0].statement == statement


def test_a_hung_database_is_cut_at_the_statement_timeout(make_app: Any) -> None:
    hung = make_app(DB_STATEMENT_TIMEOUT_MS=400)
    hung.test_client_class = Client
    with hung.app_context():
        require_postgresql()
        client = hung.test_client()
        assert client.get("/designers").status_code == 200
        with psycopg.connect(conninfo(db.engine)) as locker:
            # Another session holds a lock every page of designers needs, and does not let go.
            locker.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
            started = time.monotonic()
            response = client.get("/designers")
            waited = time.monotonic() - started
            locker.rollback()
        page = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "We will be back in a moment" in page
        assert response.headers["Retry-After"] == "30"
        assert 0.4 <= waited < 10, waited  # cut at 400 ms (plus a loaded machine), not hung
        # The worker is free again and the next request is served.
        assert "Designers" in client.get("/designers").get_data(as_text=True)
        db.session.remove()

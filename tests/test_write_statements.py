"""The writes people make most (log in, log out, apply, send a message) read each row once.

Each POST commits and redirects. The commit used to expire everything the request had loaded,
so the flash message and the redirect read the account (and the message or the application just
written) again, and applying read the applicant's application, projects and profile twice (once
for the page's checks, once in the service). The load test (issue 12) times each of these.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from app.accounts.models import User
from app.calls.models import Submission, SubmissionStatus
from app.extensions import db
from app.messaging.models import Message
from tests.calls.factories import make_call, make_project
from tests.conftest import Client
from tests.factories import PASSWORD, make_user
from tests.messaging.factories import converse


@pytest.fixture(autouse=True)
def _mail_left_for_the_worker(app: Flask) -> None:
    """Count the request's statements only: the emails it queued are delivered by a worker in
    production, not after the response in the web process (the `app` fixture puts it back)."""
    app.config["MAIL_SEND_AFTER_REQUEST"] = False


def _starting(statements: list[str], prefix: str) -> int:
    return sum(1 for s in statements if " ".join(s.split()).startswith(prefix))


def test_log_in_and_log_out_read_the_account_once(
    client: Client, count_queries: Any, designer: User
) -> None:
    form = {"email": designer.email, "password": PASSWORD, "csrf_token": client.csrf_token()}
    with count_queries() as logging_in:
        response = client.post("/auth/login", data=form)
    assert response.status_code == 302
    # Found by email (for the device cookie, then the password): never again after the commit.
    assert _starting(logging_in.statements, "SELECT users.") <= 2
    assert "Welcome back" in client.get(response.headers["Location"]).get_data(as_text=True)

    token = client.csrf_token()
    with count_queries() as logging_out:
        response = client.post("/auth/logout", data={"csrf_token": token})
    assert response.status_code == 302
    # The session with its account, then the session's row deleted: nothing read again.
    assert logging_out.count == 2
    assert _starting(logging_out.statements, "SELECT users.") == 0
    home = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You are logged out." in home
    assert client.get("/auth/settings").status_code == 302


def test_a_reply_reads_neither_the_sender_nor_the_message_again(
    client: Client, count_queries: Any, designer: User
) -> None:
    other = make_user(handle="tran-binh")
    conversation = converse(other, designer, "Chào bạn")
    client.login_as(designer)
    url = f"/messages/{conversation.public_id}"
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    form = {
        "body": "Cảm ơn, hẹn gặp.",
        "token": token[1],
        "csrf_token": client.csrf_token(),
    }
    with count_queries() as q:
        response = client.post(url, data=form)
    assert response.status_code == 302
    sent = db.session.scalar(
        db.select(Message).where(Message.sender_id == designer.id).order_by(Message.id.desc())
    )
    assert sent is not None
    assert sent.body == "Cảm ơn, hẹn gặp."
    assert response.headers["Location"].endswith(f"{url}#m{sent.id}")
    assert _starting(q.statements, "SELECT users.") == 0
    assert _starting(q.statements, "SELECT messages.") == 1  # was the form's token used before?
    assert "Cảm ơn, hẹn gặp." in client.get(url).get_data(as_text=True)


def test_applying_reads_the_application_projects_and_profile_once(
    client: Client, count_queries: Any, designer: User
) -> None:
    organiser = make_user(handle="centre-writes", account_type="organiser")
    call = make_call(owner=organiser)
    project = make_project(owner=designer)
    db.session.commit()
    client.login_as(designer)
    url = f"/calls/{call.slug}/apply"
    for submit, told in ((False, "Your draft is saved"), (True, "Your application is submitted")):
        client.get(url)
        form = {
            "statement": "Lụa và sơn mài.",
            "projects": str(project.id),
            "csrf_token": client.csrf_token(),
        }
        if submit:
            form["submit"] = "1"
        with count_queries() as q:
            response = client.post(url, data=form)
        assert response.status_code == 302, response.get_data(as_text=True)
        for table in ("submissions", "projects", "designer_profiles"):
            assert _starting(q.statements, f"SELECT {table}.") == 1, table
        assert _starting(q.statements, "SELECT users.") == 0
        assert told in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.scalar(db.select(Submission).where(Submission.call_id == call.id))
    assert saved is not None
    assert saved.status == SubmissionStatus.SUBMITTED
    assert [p.id for p in saved.projects] == [project.id]

"""Small forms take small bodies: an oversized one is refused with a short page, never echoed."""

from __future__ import annotations

import io

import pytest

from app.accounts.models import User
from app.extensions import db
from tests.conftest import Client
from tests.factories import make_user
from tests.messaging.factories import converse

BIG = 2 * 1024 * 1024


def test_a_2_mb_urlencoded_log_in_is_refused_with_a_short_page(client: Client) -> None:
    token = client.csrf_token()
    body = f"csrf_token={token}&password=x&email=" + "a" * BIG

    response = client.post(
        "/auth/login", data=body, content_type="application/x-www-form-urlencoded"
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "That was too large" in page
    assert len(response.data) < 30_000
    assert "aaaaaaaaaa" not in page


def test_a_chunked_body_without_length_is_cut(client: Client) -> None:
    token = client.csrf_token()
    stream = io.BytesIO(f"csrf_token={token}&email=".encode() + b"a" * BIG)

    response = client.post(
        "/auth/login",
        input_stream=stream,
        content_type="application/x-www-form-urlencoded",
        environ_overrides={"wsgi.input_terminated": True},
    )

    assert response.status_code == 413
    assert "That was too large" in response.get_data(as_text=True)
    # Read no further than the limit (plus one buffer), not the whole 2 MB.
    assert stream.tell() < 100_000


@pytest.mark.usefixtures("app")
def test_a_report_or_message_of_normal_size_still_goes_through(
    client: Client, designer: User
) -> None:
    other = make_user(handle="an")
    conversation = converse(other, designer, "Chào")
    db.session.commit()
    client.login_as(designer)
    text = "Xin chào, cảm ơn bạn rất nhiều! " * 150  # about 4,800 characters of Vietnamese
    sent = client.post_form(f"/messages/{conversation.public_id}", {"body": text, "token": "t1"})
    assert sent.status_code == 302


@pytest.mark.usefixtures("app")
def test_an_oversized_message_is_refused(client: Client, designer: User) -> None:
    other = make_user(handle="an")
    conversation = converse(other, designer, "Chào")
    db.session.commit()
    client.login_as(designer)
    refused = client.post_form(
        f"/messages/{conversation.public_id}", {"body": "x" * BIG, "token": "t1"}
    )
    assert refused.status_code == 413
    assert "That was too large" in refused.get_data(as_text=True)
    assert len(refused.data) < 30_000


def test_a_large_urlencoded_body_is_refused_on_every_endpoint(
    client: Client, designer: User
) -> None:
    client.login_as(designer)
    token = client.csrf_token()
    body = f"csrf_token={token}&title=" + "a" * BIG

    response = client.post(
        "/me/projects/new", data=body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 413
    assert "That was too large" in response.get_data(as_text=True)
    assert len(response.data) < 30_000

"""One mailbox, one account; an address must be confirmed before applying, messaging or
being approved."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.accounts.services import normalise_email
from app.extensions import db
from app.mail.models import OutgoingEmail
from app.messaging.models import Message
from tests.calls.factories import make_call, make_project
from tests.conftest import Client
from tests.factories import PASSWORD, make_user

FULL_WIDTH = "lan@ｅｘａｍｐｌｅ．ｏｒｇ"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        (FULL_WIDTH, "lan@example.org"),
        ("  Lan@Example.ORG ", "lan@example.org"),
        ("ｌａｎ＠ＥＸＡＭＰＬＥ。org", "lan@example.org"),
        ("lan@bücher.de", "lan@xn--bcher-kva.de"),
        ("lan@BÜCHER.de.", "lan@xn--bcher-kva.de"),
        ("not an address", "not an address"),
    ],
)
def test_addresses_are_normalised_to_one_form(raw: str, normal: str) -> None:
    assert normalise_email(raw) == normal


def test_the_same_mailbox_with_a_full_width_domain_cannot_make_a_second_account(
    client: Client, outbox: list[Any]
) -> None:
    make_user(handle="lan-first", email="lan@example.org")
    db.session.commit()

    page = client.post_form(
        "/auth/signup",
        {
            "account_type": "designer",
            "display_name": "Trần Lan",
            "handle": "lan-second",
            "email": FULL_WIDTH,
            "password": "lacquer and silk 2019",
        },
    )

    assert "An account already uses this email address" in page.get_data(as_text=True)
    count = db.session.scalar(select(func.count()).select_from(User))
    assert count == 1
    assert outbox == []


def test_a_new_account_stores_the_normal_address(client: Client) -> None:
    client.post_form(
        "/auth/signup",
        {
            "account_type": "designer",
            "display_name": "Trần Lan",
            "handle": "lan-new",
            "email": "Lan@ＢÜＣＨＥＲ.de",
            "password": "lacquer and silk 2019",
        },
    )
    user = db.session.scalar(select(User).where(User.handle == "lan-new"))
    assert user is not None
    assert user.email == "lan@xn--bcher-kva.de"


def test_log_in_and_reset_find_the_account_under_either_spelling(
    client: Client, outbox: list[Any]
) -> None:
    make_user(handle="lan-login", email="lan@example.org")
    db.session.commit()

    logged_in = client.post_form(
        "/auth/login", {"email": FULL_WIDTH, "password": PASSWORD}, follow_redirects=True
    )
    assert "Log out" in logged_in.get_data(as_text=True)

    client.post_form("/auth/logout")
    client.post_form("/auth/reset", {"email": FULL_WIDTH})
    assert [m["To"] for m in outbox] == ["lan@example.org"]


# ---------- confirmation before approval, applying and messaging ----------


@pytest.mark.usefixtures("outbox")
def test_a_moderator_cannot_approve_an_unconfirmed_address_and_is_told_why(
    client: Client, moderator: User
) -> None:
    person = make_user(
        handle="unconfirmed", display_name="Phạm Hòa", status=UserStatus.PENDING, verified=False
    )
    db.session.commit()
    client.login_as(moderator)

    page = client.post_form(f"/moderation/people/{person.id}/approve", follow_redirects=True)

    assert "Phạm Hòa has not confirmed their email address yet" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, person.id).status == UserStatus.PENDING  # type: ignore[union-attr]
    assert db.session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0


def test_an_unconfirmed_member_is_told_to_confirm_before_applying(client: Client) -> None:
    organiser = make_user(handle="centre", account_type=AccountType.ORGANISER)
    call = make_call(owner=organiser, title="Áp phích Hà Nội 2026")
    person = make_user(handle="legacy-member", verified=False)
    project = make_project(owner=person)
    db.session.commit()
    client.login_as(person)

    detail = client.get(f"/calls/{call.slug}").get_data(as_text=True)
    assert "Confirm your email address legacy-member@example.org to apply" in detail
    assert "Send the link again" in detail
    assert f'href="/calls/{call.slug}/apply"' not in detail

    refused = client.post_form(
        f"/calls/{call.slug}/apply",
        {"statement": "Tôi muốn tham gia.", "projects": str(project.id), "submit": "1"},
    )
    assert refused.status_code in (403, 422)
    resent = client.post_form("/auth/verify/resend", follow_redirects=True)
    assert "We sent a new link to legacy-member@example.org" in resent.get_data(as_text=True)


def test_an_unconfirmed_member_cannot_message_and_sees_why(client: Client) -> None:
    person = make_user(handle="quiet-member", verified=False)
    make_user(handle="an", display_name="Trần An")
    db.session.commit()
    client.login_as(person)

    inbox = client.get("/messages").get_data(as_text=True)
    assert "Confirm your email address quiet-member@example.org" in inbox

    client.post_form("/messages/new/an", {"body": "Chào An", "token": "t1"})
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0


def test_a_confirmed_pending_person_is_approved(
    client: Client, moderator: User, outbox: list[Any]
) -> None:
    person = make_user(handle="confirmed", status=UserStatus.PENDING, staff_role=StaffRole.NONE)
    db.session.commit()
    client.login_as(moderator)
    client.post_form(f"/moderation/people/{person.id}/approve")
    db.session.expire_all()
    assert db.session.get(User, person.id).status == UserStatus.ACTIVE  # type: ignore[union-attr]
    assert [m["Subject"] for m in outbox] == ["Welcome: your profile is approved"]

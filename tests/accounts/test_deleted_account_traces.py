"""After an account is deleted, nobody sees its address, words, handle or marks any more."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from app.accounts.models import AccountType, User
from app.calls import services as calls
from app.db_types import utcnow
from app.extensions import db
from app.mail.models import EmailStatus, OutgoingEmail
from app.mail.services import deliver_due, queue_email
from app.messaging import services as messaging
from app.notifications.models import Notification
from app.portfolios.models import Appreciation
from app.portfolios.services import project_path, toggle_appreciation
from tests.calls.factories import make_call
from tests.conftest import Client
from tests.factories import PASSWORD, make_user
from tests.moderation.factories import make_project


def _delete(client: Client, user: User) -> None:
    client.login_as(user)
    response = client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    client.post_form("/logout")
    db.session.expire_all()


def test_the_outbox_keeps_no_address_or_words_of_a_deleted_account(
    client: Client, designer: User, outbox: list
) -> None:
    address = designer.email
    queue_email(
        to=address, subject="Hello", template="approved", user=designer, link="https://x.example/"
    )
    deliver_due()
    later = queue_email(
        to=address, subject="Later", template="approved", user=designer, link="https://x.example/"
    )
    assert later is not None
    later.next_attempt_at = utcnow() + timedelta(minutes=5)  # a retry, waiting its turn
    db.session.commit()
    sent_before = len(outbox)

    _delete(client, designer)
    with time_machine.travel(utcnow() + timedelta(hours=1)):
        deliver_due()

    assert db.session.scalar(select(func.count()).where(OutgoingEmail.to == address)) == 0
    rows = db.session.scalars(select(OutgoingEmail)).all()
    assert len(rows) == 2
    assert all(r.to == "" and r.text_body == "" and not r.html_body for r in rows)
    assert not any("Nguyễn Thị Mai" in (r.text_body + (r.html_body or "")) for r in rows)
    assert sorted(r.status for r in rows) == [EmailStatus.CANCELLED, EmailStatus.SENT]
    # The queued one never went out.
    assert len(outbox) == sent_before
    assert all(address not in str(m["To"]) for m in outbox[sent_before:])


def test_a_conversation_with_a_deleted_account_shows_no_handle_and_no_block_button(
    client: Client, designer: User
) -> None:
    other = make_user(handle="friend", display_name="Trần Minh Đức")
    sent = messaging.start_conversation(sender=designer, recipient=other, text="Hẹn gặp nhé!")
    db.session.commit()
    public_id = sent.conversation.public_id
    _delete(client, designer)

    client.login_as(other)
    page = client.get(f"/messages/{public_id}").get_data(as_text=True)
    assert "Hẹn gặp nhé!" in page
    assert "a former member" in page
    assert "This account was deleted." in page
    assert "@mai-nguyen" not in page
    assert "Block a former member" not in page
    assert "/messages/block/" not in page
    assert "a reply would reach nobody" in page
    assert client.post_form("/messages/block/mai-nguyen").status_code == 404


def test_appreciations_of_a_deleted_account_leave_the_counts(
    client: Client, designer: User
) -> None:
    owner = make_user(handle="lan-pham", display_name="Phạm Ngọc Lan")
    project = make_project(owner, title="Đèn lồng Hội An")
    toggle_appreciation(project, actor=designer)
    db.session.commit()
    url = project_path(owner.handle, project.slug)
    assert "1 appreciation" in client.get(url).get_data(as_text=True)

    _delete(client, designer)

    page = client.get(url).get_data(as_text=True)
    assert "0 appreciations" in page
    assert db.session.scalar(select(func.count()).select_from(Appreciation)) == 0


def test_jurors_lose_the_invitation_to_a_deleted_organisers_call(client: Client) -> None:
    organiser = make_user(
        handle="design-centre", account_type=AccountType.ORGANISER, organisation="Trung tâm"
    )
    juror = make_user(handle="juror-hoa", display_name="Lê Thu Hoà")
    call = make_call(owner=organiser, title="Tuần lễ Thiết kế")
    calls.invite_juror(call, actor=organiser, invitee=juror.handle)
    other_call = make_call(
        owner=make_user(handle="someone-else", display_name="Lễ hội Huế"), title="Lễ hội khác"
    )
    calls.invite_juror(other_call, actor=other_call.owner, invitee=juror.handle)
    db.session.commit()

    _delete(client, organiser)

    texts = db.session.scalars(select(Notification.text).where(Notification.user_id == juror.id))
    assert list(texts) == ["Lễ hội Huế invites you to the jury of “Lễ hội khác”."]


def test_sent_digests_that_named_a_deleted_account_keep_no_body(
    client: Client, designer: User
) -> None:
    friend = make_user(handle="friend", display_name="Trần Minh Đức")
    t0 = utcnow()
    with time_machine.travel(t0, tick=False):
        messaging.start_conversation(sender=designer, recipient=friend, text="Chào Đức!")
        db.session.commit()
    with time_machine.travel(t0 + timedelta(minutes=30), tick=False):
        assert messaging.send_digests() == 1
        db.session.commit()
        deliver_due()
    digest = db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.to == friend.email)).one()
    assert "Nguyễn Thị Mai" in digest.text_body

    _delete(client, designer)

    digest = db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.to == friend.email)).one()
    assert digest.status == EmailStatus.SENT
    assert "Nguyễn Thị Mai" not in digest.text_body + (digest.html_body or "")

"""Jury invitations: a member answers before reviewing; an address without an account follows a
single-use link through sign-up into the jury; organisers and moderators withdraw and revoke."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import AccountType, User, UserStatus
from app.calls import services
from app.calls.models import Juror, JurorStatus, OpenCall
from app.db_types import utcnow
from app.extensions import db
from app.mail.models import OutgoingEmail
from app.moderation.models import ActionKind, ModerationAction
from app.notifications.models import Notification
from tests.calls.factories import make_call, make_juror, make_submission
from tests.factories import make_user

NEW_PASSWORD = "giấy dó và sơn mài 2026"


def _text(response: Any) -> str:
    return unescape(response.get_data(as_text=True))


def _invite(client: Any, call: OpenCall, invitee: str) -> Any:
    return client.post_form(f"/calls/{call.slug}/jurors", {"invitee": invitee})


def _link(email: Any, pattern: str) -> str:
    body = email.get_body(("plain",)).get_content()
    found = re.search(r"https?://[^/\s]+(" + pattern + r")", body)
    assert found, body
    return found.group(1)


def _juror(call: OpenCall) -> Juror:
    db.session.expire_all()
    return db.session.scalars(select(Juror).where(Juror.call_id == call.id)).one()


def _count(model: Any, *where: Any) -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.fixture
def call(organiser: User) -> OpenCall:
    made = make_call(owner=organiser, title="Áp phích Trung thu", blind_review=False)
    db.session.commit()
    return made


@pytest.fixture
def lan(app: Flask) -> User:  # noqa: ARG001 (the database of that app)
    person = make_user(handle="juror-lan", display_name="Đặng Ngọc Lan", email="lan@example.org")
    person.locale = "en"
    db.session.commit()
    return person


# ---------- Members ----------


@pytest.mark.parametrize("invitee", ["@juror-lan", "juror-lan", "LAN@Example.org"])
def test_a_member_is_invited_by_handle_or_address_and_must_answer_before_reviewing(
    client: Any, call: OpenCall, organiser: User, lan: User, outbox: list, invitee: str
) -> None:
    client.login_as(organiser)
    response = _invite(client, call, invitee)
    assert response.status_code == 302
    flashed = _text(client.get(response.headers["Location"]))
    assert "Đặng Ngọc Lan is invited to the jury." in flashed
    assert "Invited" in flashed

    juror = _juror(call)
    assert (juror.user_id, juror.email, juror.status) == (lan.id, None, JurorStatus.INVITED)
    assert juror.token_hash is None  # a member answers while logged in: no link to steal
    [email] = outbox
    assert email["To"] == "lan@example.org"
    assert email["Subject"] == "An invitation to the jury of “Áp phích Trung thu”"
    assert _link(email, r"/jury/invitations/\d+") == f"/jury/invitations/{juror.id}"
    note = db.session.scalars(select(Notification).where(Notification.user_id == lan.id)).one()
    assert note.url == f"/jury/invitations/{juror.id}"

    client.login_as(lan)
    assert client.get(f"/calls/{call.slug}/submissions").status_code == 404
    page = _text(client.get(f"/jury/invitations/{juror.id}"))
    assert "Accept the invitation" in page
    assert "Decline" in page
    waiting = _text(client.get("/me"))  # the home lists them
    assert "Jury invitations waiting for my answer" in waiting
    assert ">Jury<" not in _text(client.get("/"))  # not a seat yet: no "Jury" badge


def test_accepting_seats_the_juror_and_tells_the_organiser(
    client: Any, call: OpenCall, organiser: User, lan: User, outbox: list
) -> None:
    services.invite_juror(call, actor=organiser, invitee="@juror-lan")
    db.session.commit()
    juror = _juror(call)
    submission = make_submission(call=call, applicant=make_user(handle="an-nguyen"))
    db.session.commit()
    outbox.clear()

    client.login_as(lan)
    accepted = client.post_form(f"/jury/invitations/{juror.id}/accept")
    assert accepted.headers["Location"] == f"/calls/{call.slug}/submissions"
    assert "Welcome to the jury of “Áp phích Trung thu”." in _text(client.get("/calls"))
    assert _juror(call).status == JurorStatus.ACCEPTED
    reviewed = client.post_form(
        f"/calls/{call.slug}/submissions/{submission.id}/review", {"score": "4", "comment": "Tốt"}
    )
    assert reviewed.status_code == 302
    assert "Juries I am on" in _text(client.get("/me"))  # the home lists the seat

    [told] = [m for m in outbox if m["To"] == organiser.email]
    assert "Đặng Ngọc Lan accepted your invitation" in told.get_body(("plain",)).get_content()
    texts = db.session.scalars(
        select(Notification.text).where(Notification.user_id == organiser.id)
    ).all()
    assert texts == ["Đặng Ngọc Lan accepted your invitation to the jury of “Áp phích Trung thu”."]
    client.login_as(organiser)
    manage = _text(client.get(f"/calls/{call.slug}/manage"))
    assert "Accepted" in manage


def test_declining_keeps_the_applications_closed_and_tells_the_organiser(
    client: Any, call: OpenCall, organiser: User, lan: User, outbox: list
) -> None:
    services.invite_juror(call, actor=organiser, invitee="@juror-lan")
    db.session.commit()
    juror = _juror(call)
    outbox.clear()

    client.login_as(lan)
    declined = client.post_form(f"/jury/invitations/{juror.id}/decline")
    assert "You declined the invitation" in _text(client.get(declined.headers["Location"]))
    assert client.get(f"/calls/{call.slug}/submissions").status_code == 404
    again = client.post_form(f"/jury/invitations/{juror.id}/accept")
    assert "You already declined this invitation." in _text(client.get(again.headers["Location"]))
    assert _juror(call).status == JurorStatus.DECLINED
    assert [m["To"] for m in outbox].count(organiser.email) == 1
    client.login_as(organiser)
    assert "Declined" in _text(client.get(f"/calls/{call.slug}/manage"))


@pytest.mark.usefixtures("lan")
def test_someone_elses_invitation_is_not_found(
    client: Any, call: OpenCall, organiser: User, designer: User
) -> None:
    services.invite_juror(call, actor=organiser, invitee="@juror-lan")
    db.session.commit()
    juror = _juror(call)
    for person in (designer, organiser):
        client.login_as(person)
        assert client.get(f"/jury/invitations/{juror.id}").status_code == 404
        assert client.post_form(f"/jury/invitations/{juror.id}/accept").status_code == 404
        assert client.post_form(f"/jury/invitations/{juror.id}/decline").status_code == 404
    assert client.get("/jury/invitations/999999").status_code == 404
    assert _juror(call).status == JurorStatus.INVITED


def test_an_applicant_cannot_accept_a_seat_on_the_call_they_applied_to(
    client: Any, call: OpenCall, organiser: User, lan: User
) -> None:
    make_submission(call=call, applicant=lan)
    services.invite_juror(call, actor=organiser, invitee="@juror-lan")
    db.session.commit()
    juror = _juror(call)
    client.login_as(lan)
    answer = client.post_form(f"/jury/invitations/{juror.id}/accept")
    page = _text(client.get(answer.headers["Location"]))
    assert "You applied to this call: you cannot sit on its jury." in page
    assert _juror(call).status == JurorStatus.INVITED


def test_a_stale_accept_finds_the_invitation_answered(
    call: OpenCall, organiser: User, lan: User
) -> None:
    services.invite_juror(call, actor=organiser, invitee="@juror-lan")
    db.session.commit()
    juror = _juror(call)
    # Another request declined it in the meantime; this one still holds "invited".
    db.session.execute(
        Juror.__table__.update()
        .where(Juror.id == juror.id)
        .values(status=JurorStatus.DECLINED.value)
    )
    with pytest.raises(services.CallError, match="already declined"):
        services.answer_invitation(juror, actor=lan, accept=True)
    db.session.rollback()
    assert _count(Notification, Notification.user_id == organiser.id) == 0


# ---------- Refusals on the organiser's form ----------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("@juror-lan", "@juror-lan is already on the jury."),
        ("@hoa-invited", "@hoa-invited is already invited and has not answered yet."),
        ("@design-centre", "You already see every submission as the organiser."),
        ("ORGANISER-SELF", "You already see every submission as the organiser."),
        ("@tung-suspended", "@tung-suspended is suspended: they cannot be invited."),
        ("tung@example.org", "This person is suspended: they cannot be invited."),
        ("bich@example.org", "This address belongs to an account not yet approved"),
        ("@nobody-here", "No active member has the handle @nobody-here."),
        ("mai@@example", "Enter a valid email address."),
        ("mai@example", "Enter a valid email address."),
    ],
)
def test_a_refused_invitation_says_why_keeps_the_input_and_writes_nothing(
    client: Any, call: OpenCall, organiser: User, lan: User, outbox: list, typed: str, message: str
) -> None:
    make_juror(call=call, user=lan)
    make_juror(call=call, user=make_user(handle="hoa-invited"), status=JurorStatus.INVITED)
    make_user(handle="tung-suspended", email="tung@example.org", status=UserStatus.SUSPENDED)
    make_user(handle="bich-pending", email="bich@example.org", status=UserStatus.PENDING)
    db.session.commit()
    typed = organiser.email.upper() if typed == "ORGANISER-SELF" else typed
    client.login_as(organiser)
    response = _invite(client, call, typed)
    assert response.status_code == 422
    page = _text(response)
    assert message in page
    assert f'value="{typed}"' in page
    assert _count(Juror, Juror.call_id == call.id) == 2
    assert outbox == []


def test_an_invitation_by_email_is_refused_twice_but_sent_again_once_withdrawn(
    client: Any, call: OpenCall, organiser: User, outbox: list
) -> None:
    client.login_as(organiser)
    assert _invite(client, call, "khach@example.org").status_code == 302
    refused = _invite(client, call, "Khach@Example.org")
    assert "khach@example.org is already invited" in _text(refused)
    juror = _juror(call)
    withdrawn = client.post_form(f"/calls/{call.slug}/jurors/{juror.id}/revoke")
    assert "its link no longer works" in _text(client.get(withdrawn.headers["Location"]))
    assert _juror(call).status == JurorStatus.REVOKED
    assert _invite(client, call, "khach@example.org").status_code == 302
    assert _juror(call).status == JurorStatus.INVITED
    links = [_link(m, r"/jury/join/\S+") for m in outbox]
    assert len(links) == 2
    assert links[0] != links[1]
    # The first link died with its invitation; the new one works.
    assert "replaced by a newer one" in _text(client.get(links[0]))
    assert client.get(links[1]).status_code == 200


# ---------- Addresses without an account ----------


def _invite_address(client: Any, call: OpenCall, organiser: User, outbox: list) -> str:
    client.login_as(organiser)
    assert _invite(client, call, "Khach.Moi@Example.org").status_code == 302
    client.post_form("/auth/logout")
    [email] = [m for m in outbox if m["To"] == "khach.moi@example.org"]
    assert email["Subject"] == "An invitation to the jury of “Áp phích Trung thu”"
    return _link(email, r"/jury/join/\S+")


def _signup(client: Any, link: str, **fields: str) -> Any:
    page = _text(client.get(link))
    signup = re.search(r'href="(/auth/signup\?invitation=[^"]+)"', page)
    assert signup, page
    form = client.get(signup.group(1))
    assert form.status_code == 200
    assert 'value="khach.moi@example.org"' in _text(form)
    data = {
        "account_type": "designer",
        "display_name": "Vũ Thị Khách Mời",
        "handle": "khach-moi",
        "email": "khach.moi@example.org",
        "password": NEW_PASSWORD,
        "invitation": re.search(r'name="invitation" value="([^"]+)"', _text(form)).group(1),  # type: ignore[union-attr]
        **fields,
    }
    return client.post_form(signup.group(1), data)


def test_an_address_without_an_account_signs_up_from_the_link_and_lands_in_the_jury(
    client: Any, call: OpenCall, organiser: User, outbox: list
) -> None:
    submission = make_submission(call=call, applicant=make_user(handle="an-nguyen"))
    db.session.commit()
    link = _invite_address(client, call, organiser, outbox)
    token = link.rsplit("/", 1)[1]
    juror = _juror(call)
    assert juror.email == "khach.moi@example.org"
    assert juror.token_hash is not None
    assert token not in (juror.token_hash, juror.email)  # only the secret's hash is kept
    assert juror.expires_at is not None
    assert timedelta(days=13) < juror.expires_at - utcnow() <= timedelta(days=14)

    outbox.clear()
    response = _signup(client, link)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{call.slug}/submissions"
    landed = _text(client.get(response.headers["Location"]))
    assert "Your address is confirmed and you are on the jury." in landed
    assert "Áp phích Trung thu" in landed

    person = db.session.scalars(select(User).where(User.handle == "khach-moi")).one()
    assert person.status == UserStatus.PENDING  # the profile still waits for a moderator
    assert person.email_verified
    juror = _juror(call)
    assert (juror.user_id, juror.status, juror.token_hash) == (
        person.id,
        JurorStatus.ACCEPTED,
        None,
    )
    assert juror.approved_by_invitation_at is not None
    logged = db.session.scalars(
        select(ModerationAction).where(ModerationAction.kind == ActionKind.JURY_APPROVAL)
    ).one()
    assert (logged.subject_id, logged.actor_id, logged.target_id) == (
        person.id,
        organiser.id,
        call.id,
    )
    assert [m["To"] for m in outbox] == [organiser.email]  # no verification email: confirmed
    reviewed = client.post_form(
        f"/calls/{call.slug}/submissions/{submission.id}/review", {"score": "5", "comment": ""}
    )
    assert reviewed.status_code == 302
    assert "Juries I am on" in _text(client.get("/me"))  # the home lists the seat

    # The link worked once.
    client.post_form("/auth/logout")
    used = client.get(link)
    assert used.status_code == 400
    assert "already answered: the link works once" in _text(used)
    again = client.get(f"/auth/signup?invitation={token}")
    assert again.status_code == 400
    assert "already answered" in _text(again)


def test_signing_up_with_another_address_is_refused_with_everything_kept(
    client: Any, call: OpenCall, organiser: User, outbox: list
) -> None:
    link = _invite_address(client, call, organiser, outbox)
    response = _signup(client, link, email="other@example.org")
    assert response.status_code == 422
    page = _text(response)
    assert "This invitation was sent to khach.moi@example.org: sign up with that address" in page
    assert 'value="Vũ Thị Khách Mời"' in page
    assert 'value="khach-moi"' in page
    assert 'name="invitation"' in page
    assert _count(User, User.handle == "khach-moi") == 0
    assert _juror(call).status == JurorStatus.INVITED


def test_an_unverified_organisations_invitation_seats_without_approving_jury_work(
    client: Any,
) -> None:
    unverified = make_user(
        handle="new-studio", account_type=AccountType.ORGANISER, status=UserStatus.PENDING
    )
    call = make_call(owner=unverified, title="Áp phích Trung thu")
    db.session.commit()
    services.invite_juror(call, actor=unverified, invitee="khach.moi@example.org")
    db.session.commit()
    body = db.session.scalars(select(OutgoingEmail.text_body)).one()
    link = re.search(r"https?://[^/\s]+(/jury/join/\S+)", body).group(1)  # type: ignore[union-attr]
    assert _signup(client, link).status_code == 302
    juror = _juror(call)
    assert juror.status == JurorStatus.ACCEPTED
    assert juror.approved_by_invitation_at is None
    assert _count(ModerationAction) == 0
    # Seated, but a pending person reviews only on a verified organisation's word.
    assert client.get(f"/calls/{call.slug}/submissions").status_code == 404


def test_the_link_can_be_declined_without_an_account(
    client: Any, call: OpenCall, organiser: User, outbox: list
) -> None:
    link = _invite_address(client, call, organiser, outbox)
    outbox.clear()
    page = _text(client.get(link))
    assert "Decline the invitation" in page
    declined = client.post_form(f"{link}/decline")
    assert declined.status_code == 302
    assert _juror(call).status == JurorStatus.DECLINED
    assert [m["To"] for m in outbox] == [organiser.email]
    assert "khach.moi@example.org declined" in outbox[0].get_body(("plain",)).get_content()
    assert client.post_form(f"{link}/decline").status_code == 400


def test_an_expired_or_forged_link_says_so(
    client: Any, call: OpenCall, organiser: User, outbox: list
) -> None:
    link = _invite_address(client, call, organiser, outbox)
    with time_machine.travel(utcnow() + timedelta(days=15)):
        expired = client.get(link)
        assert expired.status_code == 400
        assert "This invitation has expired. Ask the organiser for a new one." in _text(expired)
        client.login_as(organiser)
        assert "Expired" in _text(client.get(f"/calls/{call.slug}/manage"))
        client.post_form("/auth/logout")
    forged = client.get(link[:-3] + "abc")
    assert forged.status_code == 400
    assert "not valid" in _text(forged)
    signup = client.get("/auth/signup?invitation=nonsense")
    assert signup.status_code == 400
    assert "not valid" in _text(signup)


def test_an_existing_member_with_that_address_accepts_from_the_link_once_logged_in(
    client: Any, call: OpenCall, organiser: User, outbox: list
) -> None:
    link = _invite_address(client, call, organiser, outbox)
    # The person made an account on their own before opening the link.
    person = make_user(handle="khach-moi", email="khach.moi@example.org")
    other = make_user(handle="someone-else")
    db.session.commit()
    page = _text(client.get(link))
    assert "Log in to accept" in page
    client.login_as(other)
    assert "You are logged in with another address" in _text(client.get(link))
    refused = client.post_form(f"{link}/accept")
    assert refused.status_code == 400
    client.login_as(person)
    accepted = client.post_form(f"{link}/accept")
    assert accepted.headers["Location"] == f"/calls/{call.slug}/submissions"
    juror = _juror(call)
    assert (juror.user_id, juror.status, juror.approved_by_invitation_at) == (
        person.id,
        JurorStatus.ACCEPTED,
        None,  # a member needs no approval by invitation
    )


# ---------- Moderators ----------


def test_a_moderator_revokes_a_seat_that_an_invitation_approved(
    client: Any, call: OpenCall, organiser: User, outbox: list, moderator: User
) -> None:
    link = _invite_address(client, call, organiser, outbox)
    assert _signup(client, link).status_code == 302
    person = db.session.scalars(select(User).where(User.handle == "khach-moi")).one()
    juror = _juror(call)

    client.login_as(moderator)
    page = _text(client.get("/jury/approvals"))
    assert "Vũ Thị Khách Mời" in page
    assert "Áp phích Trung thu" in page
    empty = client.post_form(f"/jury/approvals/{juror.id}/revoke", {"reason": ""})
    assert empty.status_code == 422
    assert "Give a reason." in _text(empty)
    revoked = client.post_form(
        f"/jury/approvals/{juror.id}/revoke", {"reason": "Tài khoản không rõ danh tính."}
    )
    assert revoked.status_code == 302
    assert "The jury seat is revoked." in _text(client.get(revoked.headers["Location"]))
    assert _juror(call).status == JurorStatus.REVOKED
    kinds = db.session.scalars(
        select(ModerationAction.kind).where(ModerationAction.subject_id == person.id)
    ).all()
    assert sorted(kinds) == [ActionKind.JURY_APPROVAL, ActionKind.REVOKE_JURY_APPROVAL]
    assert "Jury work by invitation revoked" in _text(client.get("/moderation/log"))
    told = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "call_jury_revoked")
    ).all()
    assert sorted(told) == sorted([person.id, organiser.id])
    emailed = db.session.scalars(
        select(OutgoingEmail.to).where(OutgoingEmail.subject.contains("A change in the jury"))
    ).all()
    assert sorted(emailed) == sorted([person.email, organiser.email])

    client.login_as(person)
    assert client.get(f"/calls/{call.slug}/submissions").status_code == 404


# ---------- Twenty clicks at once ----------


@pytest.mark.postgres_only
def test_twenty_accepts_at_once_change_the_invitation_once(make_app: Any) -> None:
    app: Flask = make_app(DB_POOL_SIZE=24)
    with app.app_context():
        organiser = make_user(handle="centre-jury-race", account_type=AccountType.ORGANISER)
        race_call = make_call(owner=organiser)
        person = make_user(handle="juror-race")
        db.session.commit()
        services.invite_juror(race_call, actor=organiser, invitee="@juror-race")
        db.session.commit()
        juror_id, person_id, organiser_email = (
            _juror(race_call).id,
            person.id,
            organiser.email,
        )

    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def accept() -> None:
        with app.app_context():
            try:
                juror = db.session.get(Juror, juror_id)
                actor = db.session.get(User, person_id)
                assert juror is not None
                assert actor is not None
                barrier.wait(timeout=30)
                services.answer_invitation(juror, actor=actor, accept=True)
                db.session.commit()
                outcomes.append("won")
            except services.CallError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("refused") == 19, outcomes
    with app.app_context():
        assert _count(OutgoingEmail, OutgoingEmail.to == organiser_email) == 1
        assert db.session.get(Juror, juror_id).status == JurorStatus.ACCEPTED  # type: ignore[union-attr]


# ---------- Queries per page ----------


def _queries(client: Any, count_queries: Any, url: str) -> int:
    with count_queries() as q:
        response = client.get(url)
        assert response.status_code == 200
    return len(q.statements)


def test_the_jury_list_and_the_invitations_cost_the_same_queries_for_one_or_many(
    client: Any, call: OpenCall, organiser: User, lan: User, moderator: User, count_queries: Any
) -> None:
    services.invite_juror(call, actor=organiser, invitee="@juror-lan")
    other = make_call(owner=organiser, title="Đèn lồng")
    services.invite_juror(other, actor=organiser, invitee="@juror-lan")
    make_juror(
        call=call, user=make_user(status=UserStatus.PENDING), approved_by_invitation_at=utcnow()
    )
    db.session.commit()
    pages = {
        organiser: f"/calls/{call.slug}/manage",
        lan: "/me",
        moderator: "/jury/approvals",
    }
    before = {}
    for person, url in pages.items():
        client.login_as(person)
        before[url] = _queries(client, count_queries, url)

    for n in range(4):
        extra = make_user(handle=f"juror-extra-{n}", status=UserStatus.PENDING)
        make_juror(call=call, user=extra, approved_by_invitation_at=utcnow())
        services.invite_juror(call, actor=organiser, invitee=f"khach-{n}@example.org")
        more = make_call(owner=organiser, title=f"Cuộc gọi {n}")
        services.invite_juror(more, actor=organiser, invitee="@juror-lan")
    db.session.commit()
    for person, url in pages.items():
        client.login_as(person)
        assert _queries(client, count_queries, url) == before[url], url


def test_a_link_withdrawn_while_signing_up_is_told_and_the_form_becomes_a_plain_sign_up(
    client: Any, call: OpenCall, organiser: User, outbox: list
) -> None:
    link = _invite_address(client, call, organiser, outbox)
    token = link.rsplit("/", 1)[1]
    form = _text(client.get(f"/auth/signup?invitation={token}"))
    assert 'action="/auth/signup"' in form  # the token travels in the hidden field only
    services.revoke_invitation(_juror(call), actor=organiser)
    db.session.commit()
    data = {
        "account_type": "designer",
        "display_name": "Vũ Thị Khách Mời",
        "handle": "khach-moi",
        "email": "khach.moi@example.org",
        "password": NEW_PASSWORD,
        "invitation": token,
    }
    refused = client.post_form("/auth/signup", data)
    assert refused.status_code == 422
    page = _text(refused)
    assert "The organiser withdrew this invitation." in page
    assert 'value="khach-moi"' in page
    assert 'name="invitation"' not in page
    assert _count(User, User.handle == "khach-moi") == 0

    del data["invitation"]
    joined = client.post_form("/auth/signup", data)
    assert joined.status_code == 302
    person = db.session.scalars(select(User).where(User.handle == "khach-moi")).one()
    assert not person.email_verified  # an ordinary sign-up: the address is confirmed by email
    assert _juror(call).status == JurorStatus.REVOKED

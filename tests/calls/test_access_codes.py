"""Invite-only calls: the organiser's access codes, an applicant entering one, and twenty
people racing for the last use of a code."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import AccountType, User
from app.calls import access
from app.calls.access_models import AccessCode, AccessGrant
from app.calls.models import AccessMode, OpenCall
from app.db_types import utcnow
from app.extensions import db
from tests.calls.factories import make_call, make_submission
from tests.factories import make_user


def _text(response: Any) -> str:
    return unescape(response.get_data(as_text=True))


def _count(model: Any, *where: Any) -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.fixture
def call(organiser: User) -> OpenCall:
    made = make_call(
        owner=organiser,
        title="Giải thưởng Thiết kế Trẻ",
        access_mode=AccessMode.INVITE_ONLY,
        timezone="Asia/Ho_Chi_Minh",
    )
    db.session.commit()
    return made


def _code(call: OpenCall, **kw: Any) -> AccessCode:
    actor = call.owner
    [made] = access.create_codes(call, actor=actor, count=1, **{"uses": 1, **kw})
    db.session.commit()
    return made


# ---------- The call form and the call's page ----------


def test_the_organiser_makes_a_call_invite_only_and_the_page_and_card_say_so(
    client: Any, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Triển lãm Phố cổ")
    db.session.commit()
    client.login_as(organiser)
    form = _text(client.get(f"/calls/{call.slug}/edit"))
    assert "Invite-only: applicants enter an access code you give them" in form
    data = {
        "kind": "exhibition",
        "title": "Triển lãm Phố cổ",
        "summary": "Một triển lãm nhỏ.",
        "description": "",
        "timezone": "Asia/Ho_Chi_Minh",
        "deadline_date": (utcnow() + timedelta(days=20)).date().isoformat(),
        "deadline_time": "23:59",
        "fee": "none",
        "max_projects": "3",
        "access_mode": "invite_only",
    }
    saved = client.post_form(f"/calls/{call.slug}/edit", data)
    assert saved.status_code == 302, _text(saved)
    db.session.expire_all()
    assert db.session.get(OpenCall, call.id).access_mode == AccessMode.INVITE_ONLY  # type: ignore[union-attr]

    client.login_as(designer)
    page = _text(client.get(f"/calls/{call.slug}"))
    assert "By invitation: an access code is needed to apply" in page
    assert "Enter an access code" in page
    assert f'href="/calls/{call.slug}/apply"' not in page
    assert "By invitation" in _text(client.get("/calls"))


# ---------- The organiser's codes ----------


def test_the_organiser_creates_codes_with_uses_and_an_expiry_in_the_calls_zone(
    client: Any, call: OpenCall, organiser: User
) -> None:
    client.login_as(organiser)
    manage = _text(client.get(f"/calls/{call.slug}/manage"))
    assert f'href="/calls/{call.slug}/access"' in manage
    response = client.post_form(
        f"/calls/{call.slug}/access/codes",
        {
            "count": "3",
            "uses": "5",
            "label": "Đại học Mỹ thuật",
            "expires_on": "2099-06-30",
            "expires_time": "17:00",
        },
    )
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "3 codes created." in page
    codes = db.session.scalars(select(AccessCode).where(AccessCode.call_id == call.id)).all()
    assert len(codes) == 3
    assert {(c.uses, c.uses_left, c.label) for c in codes} == {(5, 5, "Đại học Mỹ thuật")}
    # 17:00 in Hanoi is 10:00 UTC.
    assert codes[0].expires_at == datetime(2099, 6, 30, 10, 0, tzinfo=UTC)
    for c in codes:
        assert access.show_code(c.code) in page  # the organiser reads them again
        assert f"/calls/{call.slug}/code?code={access.show_code(c.code)}" in page
    assert page.count("5 of 5") == 3


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"count": "0"}, "Number must be between 1 and 200."),
        ({"count": "500"}, "Number must be between 1 and 200."),
        ({"uses": "0"}, "Number must be between 1 and 1000."),
        ({"expires_on": "2020-01-01"}, "This date is already past: choose a later one."),
        ({"label": "<script>alert(1)</script>" * 10}, "Field cannot be longer than 80 characters."),
    ],
)
def test_bad_code_requests_say_why_keep_the_input_and_create_nothing(
    client: Any, call: OpenCall, organiser: User, fields: dict[str, str], message: str
) -> None:
    client.login_as(organiser)
    data = {"count": "4", "uses": "2", "label": "Nhóm A", **fields}
    response = client.post_form(f"/calls/{call.slug}/access/codes", data)
    assert response.status_code == 422
    page = _text(response)
    assert message in page
    assert f'value="{data["count"]}"' in page
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert _count(AccessCode) == 0


def test_codes_are_refused_on_an_open_call(client: Any, organiser: User) -> None:
    call = make_call(owner=organiser)
    db.session.commit()
    client.login_as(organiser)
    response = client.post_form(f"/calls/{call.slug}/access/codes", {"count": "2", "uses": "1"})
    assert response.status_code == 422
    assert "Make the call invite-only first" in _text(response)
    assert _count(AccessCode) == 0


def test_the_organiser_revokes_a_code_and_it_stops_working(
    client: Any, call: OpenCall, organiser: User, designer: User
) -> None:
    code = _code(call, uses=3)
    client.login_as(organiser)
    response = client.post_form(f"/calls/{call.slug}/access/codes/{code.id}/revoke")
    assert "is revoked" in _text(client.get(response.headers["Location"]))
    again = client.post_form(f"/calls/{call.slug}/access/codes/{code.id}/revoke")
    assert "This code was already revoked." in _text(client.get(again.headers["Location"]))

    client.login_as(designer)
    refused = client.post_form(f"/calls/{call.slug}/code", {"code": code.code})
    assert refused.status_code == 422
    assert "The organiser revoked this code." in _text(refused)


def test_another_organiser_neither_sees_nor_revokes_the_codes(client: Any, call: OpenCall) -> None:
    code = _code(call)
    other = make_user(handle="other-org", account_type=AccountType.ORGANISER)
    db.session.commit()
    client.login_as(other)
    assert client.get(f"/calls/{call.slug}/access").status_code == 404
    assert client.post_form(f"/calls/{call.slug}/access/codes/{code.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(AccessCode, code.id).revoked_at is None  # type: ignore[union-attr]


# ---------- Applicants ----------


def test_apply_leads_to_the_code_and_a_link_carrying_it_opens_the_application(
    client: Any, call: OpenCall, designer: User
) -> None:
    code = _code(call)
    client.login_as(designer)
    apply = client.get(f"/calls/{call.slug}/apply")
    assert apply.headers["Location"] == f"/calls/{call.slug}/code"

    shown = access.show_code(code.code)
    form = _text(client.get(f"/calls/{call.slug}/code?code={shown}"))
    assert f'value="{shown}"' in form  # the link fills it in
    opened = client.post_form(f"/calls/{call.slug}/code", {"code": shown.lower()})
    assert opened.headers["Location"] == f"/calls/{call.slug}/apply"
    page = client.get(opened.headers["Location"])
    assert page.status_code == 200
    assert "The code is accepted: you may apply." in _text(page)
    db.session.expire_all()
    assert db.session.get(AccessCode, code.id).uses_left == 0  # type: ignore[union-attr]
    # Once opened, the code page sends them straight on; no second use is spent.
    assert client.get(f"/calls/{call.slug}/code").headers["Location"] == (
        f"/calls/{call.slug}/apply"
    )


@pytest.mark.parametrize("case", ["unknown", "other_call", "used_up", "expired", "empty"])
def test_a_code_that_cannot_open_the_application_says_why_and_keeps_the_input(
    client: Any, call: OpenCall, organiser: User, designer: User, case: str
) -> None:
    messages = {
        "unknown": "This code is not valid. Check that you typed it as it was given to you.",
        "other_call": "This code is for another call, not “Giải thưởng Thiết kế Trẻ”.",
        "used_up": "This code has been used up. Ask the organiser for a new one.",
        "expired": "This code expired on",
        "empty": "Enter the code you were given.",
    }
    typed = "ABCDE-FGHJK"
    if case == "other_call":
        other = make_call(owner=organiser, access_mode=AccessMode.INVITE_ONLY)
        db.session.commit()
        typed = _code(other).code
    elif case == "used_up":
        code = _code(call)
        access.redeem_code(call, person=make_user(handle="first-one"), text=code.code)
        db.session.commit()
        typed = code.code
    elif case == "expired":
        code = _code(call, expires_on=utcnow().date() + timedelta(days=1))
        typed = code.code
    elif case == "empty":
        typed = "  "
    client.login_as(designer)
    if case == "expired":
        with time_machine.travel(utcnow() + timedelta(days=3), tick=False):
            response = client.post_form(f"/calls/{call.slug}/code", {"code": typed})
    else:
        response = client.post_form(f"/calls/{call.slug}/code", {"code": typed})
    assert response.status_code == 422
    page = _text(response)
    assert messages[case] in page
    if typed.strip():
        assert f'value="{typed}"' in page
    assert _count(AccessGrant, AccessGrant.user_id == designer.id) == 0
    assert client.get(f"/calls/{call.slug}/apply").status_code == 302  # still closed to them


def test_the_apply_form_itself_refuses_someone_without_a_code(
    call: OpenCall, designer: User
) -> None:
    from app.calls import services  # noqa: PLC0415 (the shared apply flow)

    with pytest.raises(services.CallError, match="enter the access code"):
        services.save_submission(
            call, applicant=designer, statement="", answers={}, project_ids=[], submit=False
        )


def test_someone_who_applied_before_the_call_became_invite_only_keeps_their_application(
    client: Any, call: OpenCall, designer: User
) -> None:
    make_submission(call=call, applicant=designer)
    db.session.commit()
    client.login_as(designer)
    assert client.get(f"/calls/{call.slug}/apply").status_code == 200


def test_twenty_people_racing_for_a_single_use_code_one_gets_in(
    make_app: Any,
) -> None:
    app: Flask = make_app(DB_POOL_SIZE=22)
    with app.app_context():
        owner = make_user(handle="race-org", account_type=AccountType.ORGANISER)
        call = make_call(owner=owner, access_mode=AccessMode.INVITE_ONLY)
        db.session.commit()
        [code] = access.create_codes(call, actor=owner, count=1, uses=1)
        people = [make_user(handle=f"racer-{i}") for i in range(20)]
        db.session.commit()
        call_id, text, ids = call.id, code.code, [p.id for p in people]

    barrier = threading.Barrier(len(ids))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(user_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                target = db.session.get(OpenCall, call_id)
                person = db.session.get(User, user_id)
                assert target is not None
                assert person is not None
                access.redeem_code(target, person=person, text=text)
                db.session.commit()
                outcome = "won"
            except access.AccessError as exc:
                db.session.rollback()
                outcome = str(exc)
            except Exception as exc:  # a crash is a failure, reported below
                db.session.rollback()
                outcome = f"crash: {exc!r}"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("won") == 1, outcomes
    assert set(outcomes) == {
        "won",
        "This code has been used up. Ask the organiser for a new one.",
    }, outcomes
    with app.app_context():
        assert _count(AccessGrant) == 1
        assert db.session.scalar(select(AccessCode.uses_left)) == 0


def test_a_double_click_spends_one_use(call: OpenCall, designer: User) -> None:
    code = _code(call, uses=2)
    access.redeem_code(call, person=designer, text=code.code)
    access.redeem_code(call, person=designer, text=code.code)
    db.session.commit()
    assert _count(AccessGrant) == 1
    db.session.expire_all()
    assert db.session.get(AccessCode, code.id).uses_left == 1  # type: ignore[union-attr]


def test_codes_are_long_and_unambiguous(call: OpenCall) -> None:
    codes = access.create_codes(call, actor=call.owner, count=50, uses=1)
    assert len({c.code for c in codes}) == 50
    assert all(re.fullmatch(r"[A-HJKMNP-Z2-9]{10}", c.code) for c in codes)
    assert access.normalise_code(" abcde-fghjk ") == "ABCDEFGHJK"

"""Nominated calls: the organiser names nominators with a quota; a nominator puts candidates
forward by handle or email; only they apply; a verified organisation's nomination approves a
pending candidate for that call (logged, revocable); the nominator follows their candidates."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select

from app.accounts.models import AccountType, User, UserStatus
from app.accounts.owndata import delete_account
from app.calls import access, nominations, services
from app.calls.access_models import Nomination, Nominator
from app.calls.access_owndata import export_nominations
from app.calls.models import AccessMode, Decision, OpenCall
from app.db_types import utcnow
from app.extensions import db
from app.mail.models import OutgoingEmail
from app.moderation.models import ActionKind, ModerationAction
from app.notifications.models import Notification
from tests.calls.factories import make_call, make_project, make_review, make_submission
from tests.factories import PASSWORD as FACTORY_PASSWORD
from tests.factories import make_user

PASSWORD = "giấy dó và sơn mài 2026"


def _text(response: Any) -> str:
    return unescape(response.get_data(as_text=True))


def _count(model: Any, *where: Any) -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.fixture
def call(organiser: User) -> OpenCall:
    made = make_call(
        owner=organiser,
        title="Giải thưởng Nhà thiết kế dưới 35 tuổi",
        access_mode=AccessMode.NOMINATED,
    )
    db.session.commit()
    return made


@pytest.fixture
def university(app: Any) -> User:  # noqa: ARG001 (the database of that app)
    person = make_user(
        handle="dai-hoc-kien-truc",
        email="khoa.thietke@hau.edu.vn",
        account_type=AccountType.ORGANISER,
        organisation="Đại học Kiến trúc Hà Nội",
    )
    person.locale = "en"
    db.session.commit()
    return person


@pytest.fixture
def seat(call: OpenCall, university: User) -> Nominator:  # noqa: ARG001 (to be named)
    nominator = nominations.add_nominator(call, actor=call.owner, who="@dai-hoc-kien-truc", quota=2)
    db.session.commit()
    return nominator


# ---------- The organiser ----------


@pytest.mark.parametrize("who", ["@dai-hoc-kien-truc", "KHOA.THIETKE@hau.edu.vn"])
def test_the_organiser_names_a_nominator_by_handle_or_email_who_is_told(
    client: Any, call: OpenCall, organiser: User, university: User, outbox: list, who: str
) -> None:
    client.login_as(organiser)
    assert f'href="/calls/{call.slug}/access"' in _text(client.get(f"/calls/{call.slug}/manage"))
    response = client.post_form(f"/calls/{call.slug}/access/nominators", {"who": who, "quota": "3"})
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "Đại học Kiến trúc Hà Nội may nominate up to 3 candidates." in page
    assert "0 of 3 candidates put forward" in page
    [email] = outbox
    assert email["To"] == "khoa.thietke@hau.edu.vn"
    assert email["Subject"] == "Nominate candidates for “Giải thưởng Nhà thiết kế dưới 35 tuổi”"
    note = db.session.scalars(select(Notification).where(Notification.user_id == university.id))
    assert [n.url for n in note] == [f"/nominations/{_seat(call).id}"]


def _seat(call: OpenCall) -> Nominator:
    db.session.expire_all()
    return db.session.scalars(select(Nominator).where(Nominator.call_id == call.id)).one()


@pytest.mark.parametrize(
    ("who", "quota", "message"),
    [
        ("@nobody-here", "3", "No member has the handle @nobody-here."),
        ("ai@nowhere.example.org", "3", "nominators need an account"),
        ("@design-centre", "3", "You organise this call"),
        ("@dai-hoc-kien-truc", "0", "Number must be between 1 and 100."),
        ("@dai-hoc-kien-truc", "101", "Number must be between 1 and 100."),
        ("<script>x</script>", "3", "No member has the handle"),
    ],
)
@pytest.mark.usefixtures("university")
def test_a_nominator_that_cannot_be_named_is_refused_with_the_input_kept(
    client: Any,
    call: OpenCall,
    organiser: User,
    who: str,
    quota: str,
    message: str,
) -> None:
    client.login_as(organiser)
    response = client.post_form(
        f"/calls/{call.slug}/access/nominators", {"who": who, "quota": quota}
    )
    assert response.status_code == 422
    page = _text(response)
    assert message in page
    assert f'value="{who}"' in page
    assert "<script>x</script>" not in response.get_data(as_text=True)
    assert _count(Nominator) == 0


def test_a_quota_is_never_lowered_below_the_candidates_already_put_forward(
    client: Any, call: OpenCall, organiser: User, seat: Nominator, university: User
) -> None:
    nominations.nominate(seat, actor=university, candidate="a@example.org")
    nominations.nominate(seat, actor=university, candidate="b@example.org")
    db.session.commit()
    client.login_as(organiser)
    response = client.post_form(
        f"/calls/{call.slug}/access/nominators", {"who": "@dai-hoc-kien-truc", "quota": "1"}
    )
    assert response.status_code == 422
    assert "already put forward 2 candidates: the quota cannot be lower" in _text(response)
    removed = client.post_form(f"/calls/{call.slug}/access/nominators/{seat.id}/delete")
    assert "lower their quota instead" in _text(client.get(removed.headers["Location"]))
    assert _seat(call).quota == 2


# ---------- The nominator ----------


def test_the_nominator_reaches_their_page_from_home_and_nominates_a_member(
    client: Any, call: OpenCall, seat: Nominator, university: User, designer: User, outbox: list
) -> None:
    outbox.clear()
    client.login_as(university)
    home = _text(client.get("/me"))
    assert "Calls I nominate for" in home
    assert f'href="/nominations/{seat.id}"' in home
    page = _text(client.get(f"/nominations/{seat.id}"))
    assert "You may put forward up to 2 candidates; 2 left." in page

    response = client.post_form(f"/nominations/{seat.id}", {"candidate": "@mai-nguyen"})
    assert response.status_code == 302
    after = _text(client.get(response.headers["Location"]))
    assert "Nguyễn Thị Mai is nominated and told by email." in after
    assert "1 left." in after
    assert "Invited" in after

    [email] = [m for m in outbox if m["To"] == designer.email]
    assert email["Subject"] == "You are nominated for “Giải thưởng Nhà thiết kế dưới 35 tuổi”"
    assert f"/calls/{call.slug}/apply" in email.get_body(("plain",)).get_content()
    sent = db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.to == designer.email))
    assert [e.category for e in sent] == ["applications"]
    note = db.session.scalars(select(Notification).where(Notification.user_id == designer.id))
    assert [n.url for n in note] == [f"/calls/{call.slug}/apply"]

    client.login_as(designer)
    assert client.get(f"/calls/{call.slug}/apply").status_code == 200


def test_only_nominated_people_apply_to_a_nominated_call(
    client: Any, call: OpenCall, designer: User
) -> None:
    client.login_as(designer)
    page = _text(client.get(f"/calls/{call.slug}"))
    assert "By nomination: only nominated candidates apply" in page
    assert "only candidates put forward by its nominators apply" in page
    refused = client.get(f"/calls/{call.slug}/apply")
    assert refused.status_code == 403
    assert "only candidates put forward by its nominators apply" in _text(refused)
    with pytest.raises(services.CallError, match="by nomination"):
        services.save_submission(
            call, applicant=designer, statement="", answers={}, project_ids=[], submit=False
        )


def test_over_the_quota_is_refused_and_nothing_is_saved(
    client: Any, call: OpenCall, seat: Nominator, university: User, outbox: list
) -> None:
    client.login_as(university)
    for address in ("mot@example.org", "hai@example.org"):
        assert (
            client.post_form(f"/nominations/{seat.id}", {"candidate": address}).status_code == 302
        )
    outbox.clear()
    refused = client.post_form(f"/nominations/{seat.id}", {"candidate": "ba@example.org"})
    assert refused.status_code == 422
    page = _text(refused)
    assert (
        "You have already put forward 2 candidates, your quota: ba@example.org was not added."
        in page
    )
    assert 'value="ba@example.org"' in page
    assert _count(Nomination) == 2
    assert _seat(call).used == 2
    assert outbox == []


@pytest.mark.parametrize(
    ("candidate", "message"),
    [
        ("", "This field is required."),
        ("@nobody-here", "No member has the handle @nobody-here."),
        ("not an email@", "is not a valid email address"),
        ("@dai-hoc-kien-truc", "has no designer account: only designers apply"),
        ("@suspended-one", "This account is suspended."),
    ],
)
@pytest.mark.usefixtures("suspended_designer")
def test_a_candidate_that_cannot_be_nominated_is_refused_and_the_quota_kept(
    client: Any,
    call: OpenCall,
    seat: Nominator,
    university: User,
    candidate: str,
    message: str,
) -> None:
    client.login_as(university)
    refused = client.post_form(f"/nominations/{seat.id}", {"candidate": candidate})
    assert refused.status_code == 422
    assert message in _text(refused)
    assert _count(Nomination) == 0
    assert _seat(call).used == 0


def test_a_person_is_nominated_once_per_call_whoever_nominates(
    call: OpenCall, seat: Nominator, university: User, designer: User
) -> None:
    other = make_user(handle="trung-tam", account_type=AccountType.ORGANISER)
    db.session.commit()
    second = nominations.add_nominator(call, actor=call.owner, who="@trung-tam", quota=1)
    nominations.nominate(seat, actor=university, candidate="@mai-nguyen")
    db.session.commit()
    with pytest.raises(access.AccessError, match="already nominated"):
        nominations.nominate(second, actor=other, candidate=designer.email)
    db.session.rollback()
    assert _count(Nomination) == 1
    assert db.session.get(Nominator, second.id).used == 0  # type: ignore[union-attr]


def test_another_member_cannot_open_or_use_a_nominators_page(
    client: Any, seat: Nominator, designer: User
) -> None:
    client.login_as(designer)
    assert client.get(f"/nominations/{seat.id}").status_code == 404
    posted = client.post_form(f"/nominations/{seat.id}", {"candidate": "x@example.org"})
    assert posted.status_code == 404
    assert _count(Nomination) == 0


# ---------- A candidate without an account ----------


def _signup_link(outbox: list, address: str) -> str:
    [email] = [m for m in outbox if m["To"] == address]
    body = email.get_body(("plain",)).get_content()
    found = re.search(r"https?://[^/\s]+(/auth/signup\?invitation=\S+)", body)
    assert found, body
    return found.group(1)


def _sign_up(client: Any, link: str, email: str = "le.vy@example.org") -> Any:
    form = client.get(link)
    assert form.status_code == 200
    page = _text(form)
    assert "nominated you for “Giải thưởng Nhà thiết kế dưới 35 tuổi”" in page
    token = re.search(r'name="invitation" value="([^"]+)"', page)
    assert token
    return client.post_form(
        link,
        {
            "account_type": "designer",
            "display_name": "Lê Thị Tường Vy",
            "handle": "le-vy",
            "email": email,
            "password": PASSWORD,
            "invitation": token.group(1),
        },
    )


def test_an_address_signs_up_from_the_link_and_a_verified_university_approves_them(
    app: Any,
    client: Any,
    call: OpenCall,
    seat: Nominator,
    university: User,
    moderator: User,
    outbox: list,
) -> None:
    client.login_as(university)
    client.post_form(f"/nominations/{seat.id}", {"candidate": "Le.Vy@example.org"})
    link = _signup_link(outbox, "le.vy@example.org")
    nomination = db.session.scalars(select(Nomination)).one()
    assert nomination.token_hash is not None
    assert nomination.token_hash not in link  # only the secret's hash is kept
    client = app.test_client()  # a visitor: the person the email reached

    assert "Đại học Kiến trúc Hà Nội nominated you for" in _text(client.get(link))
    response = _sign_up(client, link)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{call.slug}/apply"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200  # pending, yet this call is open to them
    assert "Your address is confirmed: complete your application." in _text(page)

    person = db.session.scalars(select(User).where(User.handle == "le-vy")).one()
    assert person.status == UserStatus.PENDING
    assert person.email_verified
    db.session.expire_all()
    nomination = db.session.scalars(select(Nomination)).one()
    assert (nomination.user_id, nomination.token_hash) == (person.id, None)
    assert nomination.approved_at is not None
    logged = db.session.scalars(
        select(ModerationAction).where(ModerationAction.kind == ActionKind.NOMINATION_APPROVAL)
    ).one()
    assert (logged.subject_id, logged.actor_id) == (person.id, university.id)
    # Another call stays closed to a pending person.
    other = make_call(owner=call.owner)
    db.session.commit()
    assert client.get(f"/calls/{other.slug}/apply").status_code == 403

    again = app.test_client().get(link)
    assert "This nomination link was already used: log in to apply." in _text(again)

    # The nominator sees them signed up.
    client.login_as(university)
    assert "Signed up" in _text(client.get(f"/nominations/{seat.id}"))

    # A moderator revokes the approval: the candidate can no longer apply; both are told.
    client.login_as(moderator)
    listed = _text(client.get("/nominations/approvals"))
    assert "Lê Thị Tường Vy" in listed
    empty = client.post_form(f"/nominations/approvals/{nomination.id}/revoke", {"reason": ""})
    assert empty.status_code == 422
    assert "Give a reason." in _text(empty)
    revoked = client.post_form(
        f"/nominations/approvals/{nomination.id}/revoke", {"reason": "Hồ sơ chưa đủ."}
    )
    assert "The approval is revoked." in _text(client.get(revoked.headers["Location"]))
    assert (
        _count(ModerationAction, ModerationAction.kind == ActionKind.REVOKE_NOMINATION_APPROVAL)
        == 1
    )
    told = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "call_nomination_revoked")
    ).all()
    assert sorted(told) == sorted([person.id, university.id])
    client.login_as(person)
    assert client.get(f"/calls/{call.slug}/apply").status_code == 403


def test_an_unverified_nominator_does_not_approve_and_another_address_is_refused(
    app: Any, client: Any, call: OpenCall, organiser: User, outbox: list
) -> None:
    unverified = make_user(handle="co-so-moi", account_type=AccountType.ORGANISER)
    unverified.organiser_profile.verified_at = None  # type: ignore[union-attr]
    db.session.commit()
    seat = nominations.add_nominator(call, actor=organiser, who="@co-so-moi", quota=1)
    db.session.commit()
    client.login_as(unverified)
    client.post_form(f"/nominations/{seat.id}", {"candidate": "le.vy@example.org"})
    link = _signup_link(outbox, "le.vy@example.org")
    client = app.test_client()

    wrong = _sign_up(client, link, email="khac@example.org")
    assert wrong.status_code == 422
    assert "This invitation was sent to le.vy@example.org" in _text(wrong)

    assert _sign_up(client, link).status_code == 302
    db.session.expire_all()
    nomination = db.session.scalars(select(Nomination)).one()
    assert nomination.user_id is not None
    assert nomination.approved_at is None
    assert _count(ModerationAction, ModerationAction.kind == ActionKind.NOMINATION_APPROVAL) == 0


# ---------- What the nominator sees ----------


def test_the_nominator_sees_each_candidates_progress_never_the_scores(
    client: Any, call: OpenCall, seat: Nominator, university: User, designer: User
) -> None:
    seat.quota = 3
    nominations.nominate(seat, actor=university, candidate="@mai-nguyen")
    decided = make_user(handle="da-quyet", display_name="Phạm Văn Quyết")
    nominations.nominate(seat, actor=university, candidate="@da-quyet")
    nominations.nominate(seat, actor=university, candidate="chua.co@example.org")
    submission = make_submission(call=call, applicant=designer)
    done = make_submission(
        call=call, applicant=decided, decision=Decision.ACCEPTED, notified_at=utcnow()
    )
    make_review(
        submission=done, juror=make_user(handle="giam-khao"), score=5, comment="Xuất sắc tuyệt vời"
    )
    db.session.commit()
    assert submission.id

    client.login_as(university)
    page = _text(client.get(f"/nominations/{seat.id}"))
    rows = re.findall(r"<li><span>(.*?)</li>", page, re.S)
    assert len(rows) == 3
    shown = [
        (r.split("<")[0].strip(), re.findall(r'status--nominee-[^"]*">([^<]*)<', r)) for r in rows
    ]
    assert shown == [
        ("Nguyễn Thị Mai", ["Applied"]),
        ("Phạm Văn Quyết", ["Decided"]),
        ("chua.co@example.org", ["Invited"]),
    ]
    assert "Xuất sắc tuyệt vời" not in page
    assert "Accepted" not in page
    seats = _text(client.get("/nominations"))
    assert "3 of 3 candidates put forward" in seats


def test_ten_nominations_at_once_for_the_last_place_of_a_quota_save_one(make_app: Any) -> None:
    import threading  # noqa: PLC0415 (only this test runs threads)

    app = make_app(DB_POOL_SIZE=12)
    with app.app_context():
        owner = make_user(handle="race-org", account_type=AccountType.ORGANISER)
        make_user(handle="race-uni", account_type=AccountType.ORGANISER)
        call = make_call(owner=owner, access_mode=AccessMode.NOMINATED)
        db.session.commit()
        seat = nominations.add_nominator(call, actor=owner, who="@race-uni", quota=1)
        db.session.commit()
        seat_id = seat.id

    barrier = threading.Barrier(10)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                nominator = db.session.get(Nominator, seat_id)
                assert nominator is not None
                nominations.nominate(
                    nominator, actor=nominator.user, candidate=f"ung.vien{n}@example.org"
                )
                db.session.commit()
                outcome = "won"
            except access.AccessError:
                db.session.rollback()
                outcome = "over the quota"
            except Exception as exc:  # a crash is a failure, reported below
                db.session.rollback()
                outcome = f"crash: {exc!r}"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["over the quota"] * 9 + ["won"], outcomes
    with app.app_context():
        assert _count(Nomination) == 1
        assert db.session.get(Nominator, seat_id).used == 1  # type: ignore[union-attr]


def test_the_access_pages_cost_the_same_queries_whatever_their_length(
    client: Any, call: OpenCall, organiser: User, count_queries: Any
) -> None:
    invite = make_call(owner=organiser, access_mode=AccessMode.INVITE_ONLY)
    db.session.commit()
    university = make_user(handle="uni-counted", account_type=AccountType.ORGANISER)
    db.session.commit()
    seat = nominations.add_nominator(call, actor=organiser, who="@uni-counted", quota=60)
    db.session.commit()
    counts = []
    for n in (2, 40):
        access.create_codes(invite, actor=organiser, count=n, uses=2)
        extra = make_user(handle=f"org-{n}", account_type=AccountType.ORGANISER)
        nominations.add_nominator(call, actor=organiser, who=f"@{extra.handle}", quota=2)
        for i in range(n // 2):
            person = make_user(handle=f"cand-{n}-{i}")
            nominations.nominate(seat, actor=university, candidate=f"@{person.handle}")
            if i % 2:
                make_submission(call=call, applicant=person)
        db.session.commit()
        row = []
        for who, url in (
            (organiser, f"/calls/{invite.slug}/access"),
            (organiser, f"/calls/{call.slug}/access"),
            (university, f"/nominations/{seat.id}"),
            (university, "/nominations"),
        ):
            client.login_as(who)
            client.get(url)  # warm up (sessions, caches)
            with count_queries() as q:
                assert client.get(url).status_code == 200
            row.append(q.count)
        counts.append(row)
    assert counts[0] == counts[1], counts


def test_a_persons_archive_holds_their_nominations_and_deleting_the_account_ends_them(
    seat: Nominator, university: User, designer: User
) -> None:
    nominations.nominate(seat, actor=university, candidate="@mai-nguyen")
    db.session.commit()
    received = export_nominations(designer).data["nominated_for"]
    assert [(r["call"], r["by"]) for r in received] == [
        ("Giải thưởng Nhà thiết kế dưới 35 tuổi", university.display_name)
    ]
    made = export_nominations(university).data["nominating_for"]
    assert made == [
        {
            "call": "Giải thưởng Nhà thiết kế dưới 35 tuổi",
            "quota": 2,
            "candidates": ["Nguyễn Thị Mai"],
        }
    ]

    delete_account(user=designer, password=FACTORY_PASSWORD)
    db.session.commit()
    assert _count(Nomination) == 0


# ---------- A pending candidate approved by nomination, and accounts that go ----------


def test_an_approved_pending_candidate_withdraws_and_chooses_consent_like_a_member(
    client: Any, call: OpenCall, seat: Nominator, university: User, moderator: User
) -> None:
    person = make_user(
        handle="vy-pending", display_name="Lê Thị Tường Vy", status=UserStatus.PENDING
    )
    project = make_project(owner=person, title="Gốm men rạn")
    nominations.nominate(seat, actor=university, candidate="@vy-pending")
    db.session.commit()
    client.login_as(person)
    page = client.get(f"/calls/{call.slug}/apply")
    assert page.status_code == 200
    services.save_submission(
        call,
        applicant=person,
        statement="Gốm **Bát Tràng**",
        answers={},
        project_ids=[project.id],
        submit=True,
    )
    db.session.commit()

    agreed = client.post_form(f"/calls/{call.slug}/results-consent", {"consent": "1"})
    assert agreed.status_code == 302
    assert "it shows on the call's results page" in _text(client.get(agreed.headers["Location"]))
    submission = services.submission_of(call, person)
    assert submission is not None
    assert submission.results_consent is True
    withdrawn = client.post_form(f"/calls/{call.slug}/withdraw")
    assert withdrawn.status_code == 302
    assert "Your application was withdrawn." in _text(client.get(withdrawn.headers["Location"]))
    db.session.expire_all()
    assert str(services.submission_of(call, person).status) == "withdrawn"  # type: ignore[union-attr]

    # Once a moderator revokes the approval, they are a pending person like any other.
    nomination = db.session.scalars(select(Nomination)).one()
    nominations.revoke_approval(nomination, actor=moderator, reason="Hồ sơ chưa đủ.")
    db.session.commit()
    assert (
        client.post_form(f"/calls/{call.slug}/results-consent", {"consent": "0"}).status_code == 403
    )


def test_a_candidate_deleting_their_account_gives_the_nominator_the_place_back(
    client: Any, seat: Nominator, university: User, designer: User
) -> None:
    other = make_user(handle="tran-an", display_name="Trần Bình An")
    nominations.nominate(seat, actor=university, candidate="@mai-nguyen")
    nominations.nominate(seat, actor=university, candidate="vy@example.org")
    db.session.commit()
    with pytest.raises(access.AccessError, match="your quota"):
        nominations.nominate(seat, actor=university, candidate="@tran-an")
    db.session.rollback()

    delete_account(user=designer, password=FACTORY_PASSWORD)
    db.session.commit()

    client.login_as(university)
    saved = client.post_form(f"/nominations/{seat.id}", {"candidate": "@tran-an"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert _count(Nomination, Nomination.user_id == other.id) == 1
    assert db.session.get(Nominator, seat.id).used == 2  # type: ignore[union-attr]

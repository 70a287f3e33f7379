"""A person's home (/me) as each role sees it, the old /submissions address, landing there after
log-in and verification, the first steps, and a query count that does not grow with the data."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.calls.models import CallStatus, Decision, SubmissionStatus
from app.db_types import utcnow
from app.extensions import db
from app.profiles.models import Discipline
from demo import build
from tests.calls.factories import make_call, make_juror, make_project, make_submission
from tests.conftest import Client
from tests.factories import PASSWORD, make_user


def _text(response: Any) -> str:
    return unescape(response.get_data(as_text=True))


def _section(page: str, anchor: str) -> str:
    """The HTML of the home's section `anchor` (to the next section)."""
    start = page.index(f'id="{anchor}"')
    end = page.find("<section", start)
    return page[start : end if end != -1 else len(page)]


def _nav(page: str) -> list[str]:
    nav = page[page.index("<nav") : page.index("</nav>")]
    return [re.sub(r"<[^>]+>", "", a).strip() for a in re.findall(r"<a [^>]*>.*?</a>", nav, re.S)]


# ---------- What each role sees ----------


def test_a_designer_sees_applications_calls_to_enter_and_portfolio(
    client: Client, designer: User
) -> None:
    organiser = make_user(handle="studio-x", account_type=AccountType.ORGANISER)
    now = utcnow()
    later = make_call(
        owner=organiser, title="Later draft call", deadline_at=now + timedelta(days=20)
    )
    soon = make_call(owner=organiser, title="Soon draft call", deadline_at=now + timedelta(days=2))
    sent = make_call(owner=organiser, title="Submitted call", deadline_at=now + timedelta(days=9))
    decided = make_call(
        owner=organiser,
        title="Decided call",
        status=CallStatus.CLOSED,
        deadline_at=now - timedelta(days=9),
    )
    make_call(owner=organiser, title="Call still to enter", deadline_at=now + timedelta(days=5))
    make_submission(call=later, applicant=designer, status=SubmissionStatus.DRAFT)
    make_submission(call=soon, applicant=designer, status=SubmissionStatus.DRAFT)
    make_submission(call=sent, applicant=designer)
    make_submission(call=decided, applicant=designer, decision=Decision.ACCEPTED, notified_at=now)
    make_project(owner=designer, title="Hidden poster", hidden_at=now)
    make_project(owner=designer, title="Unfinished", is_published=False)
    db.session.commit()
    client.login_as(designer)

    page = _text(client.get("/me"))
    assert _nav(page)[0] == "My home"
    applications = _section(page, "applications")
    assert "Drafts: 2 · Submitted: 1 · Decided: 1" in applications
    # Drafts closing soon first, then the others.
    titles = re.findall(r'application__title"><a [^>]*>([^<]+)<', applications)
    assert titles[:2] == ["Soon draft call", "Later draft call"]
    assert set(titles[2:]) == {"Submitted call", "Decided call"}
    assert "Accepted" in applications
    assert 'href="/me/applications"' in applications
    eligible = _section(page, "eligible")
    assert "Call still to enter" in eligible
    assert "Soon draft call" not in eligible  # already applied
    portfolio = _section(page, "portfolio")
    assert re.search(r">1</span> hidden by moderators", portfolio)
    assert re.search(r">1</span> drafts", portfolio)
    assert "Juries I am on" not in page
    assert "My calls" not in page
    assert "Moderation queues" not in page


def test_a_deadline_shows_in_the_viewers_zone(client: Client, designer: User) -> None:
    organiser = make_user(handle="studio-z", account_type=AccountType.ORGANISER)
    deadline = utcnow().replace(hour=16, minute=59, second=0, microsecond=0) + timedelta(days=3)
    call = make_call(owner=organiser, title="Zoned", deadline_at=deadline)
    make_submission(call=call, applicant=designer, status=SubmissionStatus.DRAFT)
    designer.timezone = "Asia/Ho_Chi_Minh"
    db.session.commit()
    client.login_as(designer)
    applications = _section(_text(client.get("/me")), "applications")
    assert "11:59" in applications  # 16:59 UTC is 23:59 in Hanoi


def test_a_pending_designer_is_told_what_waits(client: Client, pending_designer: User) -> None:
    organiser = make_user(handle="studio-p", account_type=AccountType.ORGANISER)
    make_call(owner=organiser, title="Open call")
    db.session.commit()
    client.login_as(pending_designer)
    page = _text(client.get("/me"))
    assert "waiting for a moderator’s approval" in _section(page, "portfolio")
    assert "once a moderator approves your profile" in _section(page, "eligible")
    assert "Please confirm your email address" in page


def test_a_juror_sees_how_many_applications_wait_for_their_score(client: Client) -> None:
    organiser = make_user(handle="studio-j", account_type=AccountType.ORGANISER)
    juror = make_user(handle="juror-binh", account_type=AccountType.ORGANISER)
    call = make_call(owner=organiser, title="Poster prize")
    other = make_call(owner=organiser, title="Finished prize")
    make_juror(call=call, user=juror)
    make_juror(call=other, user=juror)
    first, *_rest = [
        make_submission(call=call, applicant=make_user(handle=f"app-{n}")) for n in range(3)
    ]
    make_submission(call=call, applicant=make_user(handle="drafter"), status=SubmissionStatus.DRAFT)
    build.review(first, juror, score=4)
    db.session.commit()
    client.login_as(juror)
    jury = _section(_text(client.get("/me")), "jury")
    assert "Poster prize" in jury
    assert "2 wait for my score" in jury
    assert "Finished prize" in jury
    assert "All scored" in jury
    assert f'href="/calls/{call.slug}/submissions"' in jury


def test_an_organiser_sees_calls_with_counts_and_decisions_to_send(
    client: Client, organiser: User
) -> None:
    now = utcnow()
    make_call(owner=organiser, title="A draft", status=CallStatus.DRAFT)
    open_call = make_call(owner=organiser, title="Open one", deadline_at=now + timedelta(days=4))
    closed = make_call(
        owner=organiser,
        title="Closed one",
        status=CallStatus.CLOSED,
        deadline_at=now - timedelta(days=3),
    )
    juror = make_user(handle="juror-an")
    make_juror(call=closed, user=juror)
    make_submission(call=open_call, applicant=make_user(handle="a1"))
    s1 = make_submission(call=closed, applicant=make_user(handle="a2"), decision=Decision.ACCEPTED)
    make_submission(call=closed, applicant=make_user(handle="a3"), decision=Decision.DECLINED)
    build.review(s1, juror, score=5)
    db.session.commit()
    client.login_as(organiser)
    page = _text(client.get("/me"))
    calls = _section(page, "calls")
    assert "2 decisions wait to be sent." in calls
    titles = re.findall(r'application__title"><a [^>]*>([^<]+)<', calls)
    assert titles == ["Closed one", "A draft", "Open one"]
    closed_card = calls[calls.index("Closed one") :]
    assert "2 applications · 1 score" in re.sub(r"\s+", " ", closed_card)
    assert "2 decisions to send" in closed_card
    assert "All my calls (3)" in calls
    assert "My applications" not in page  # organisers do not apply


def test_moderators_see_the_queues_with_their_ages(client: Client, moderator: User) -> None:
    waiting = make_user(handle="waiting-one", status=UserStatus.PENDING)
    waiting.created_at = utcnow() - timedelta(days=3)
    db.session.commit()
    client.login_as(moderator)
    queues = _section(_text(client.get("/me")), "queues")
    assert "Designers waiting for approval" in queues
    assert "The oldest has waited 3 days" in queues
    assert 'href="/moderation/members"' in queues


def test_a_person_with_several_roles_sees_each_section(client: Client) -> None:
    person = make_user(handle="mod-designer", staff_role=StaffRole.MODERATOR)
    organiser = make_user(handle="studio-s", account_type=AccountType.ORGANISER)
    make_juror(call=make_call(owner=organiser, title="Judged"), user=person)
    db.session.commit()
    client.login_as(person)
    page = _text(client.get("/me"))
    for anchor in ("applications", "eligible", "portfolio", "jury", "queues"):
        assert f'id="{anchor}"' in page


# ---------- The old address, landing ----------


def test_old_submissions_address_redirects_to_the_home_section(
    client: Client, designer: User
) -> None:
    anonymous = client.get("/submissions")
    assert anonymous.status_code == 302
    assert "/auth/login" in anonymous.headers["Location"]
    client.login_as(designer)
    response = client.get("/submissions")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me#applications")


def test_old_submissions_address_takes_a_juror_to_their_juries(client: Client) -> None:
    juror = make_user(handle="only-juror", account_type=AccountType.ORGANISER)
    db.session.commit()
    client.login_as(juror)
    assert client.get("/submissions").headers["Location"].endswith("/me#jury")


def test_all_applications_are_reachable_page_by_page(client: Client, designer: User) -> None:
    organiser = make_user(handle="studio-many", account_type=AccountType.ORGANISER)
    for n in range(23):
        make_submission(call=make_call(owner=organiser, title=f"Many {n:02d}"), applicant=designer)
    db.session.commit()
    client.login_as(designer)
    home = _section(_text(client.get("/me")), "applications")
    assert len(re.findall(r'class="card application"', home)) == 5
    assert "All my applications (23)" in home
    first = _text(client.get("/me/applications"))
    second = _text(client.get("/me/applications?page=2"))
    shown = re.findall(r"Many \d\d", first) + re.findall(r"Many \d\d", second)
    assert sorted(set(shown)) == [f"Many {n:02d}" for n in range(23)]


def test_log_in_lands_on_the_home_unless_a_safe_next_says_otherwise(
    client: Client, designer: User
) -> None:
    form = {"email": designer.email, "password": PASSWORD}
    response = client.post_form("/auth/login", form)
    assert response.headers["Location"].endswith("/me")
    client.post_form("/auth/logout")
    response = client.post_form("/auth/login?next=/calls", form)
    assert response.headers["Location"].endswith("/calls")
    client.post_form("/auth/logout")
    response = client.post_form("/auth/login?next=https://evil.example/", form)
    assert response.headers["Location"].endswith("/me")


# ---------- First steps ----------


def test_a_new_designer_follows_the_first_steps(client: Client, outbox: list[Any]) -> None:
    signup = {
        "account_type": "designer",
        "display_name": "Trần Văn Hùng",
        "handle": "tran-hung",
        "email": "hung@example.org",
        "password": "lacquer and silk 2019",
    }
    response = client.post_form("/auth/signup", signup)
    assert response.headers["Location"].endswith("/me")
    link = re.search(r"https?://\S+", outbox[0].get_body(("plain",)).get_content())
    assert link
    verified = client.post_form("/" + link.group(0).split("/", 3)[3])
    assert verified.headers["Location"].endswith("/me")

    steps = _section(_text(client.get("/me")), "first-steps")
    assert "0 of 2 done" in steps
    assert 'href="/me/profile"' in steps
    assert 'href="/me/projects/new"' in steps

    user = db.session.scalar(db.select(User).where(User.handle == "tran-hung"))
    assert user is not None
    user.designer_profile.bio = "Tôi thiết kế áp phích."
    user.designer_profile.disciplines = [db.session.scalars(db.select(Discipline)).first()]
    db.session.commit()
    steps = _section(_text(client.get("/me")), "first-steps")
    assert "1 of 2 done" in steps
    assert 'href="/me/profile"' not in steps
    assert "✓" in steps

    make_project(owner=user, title="Áp phích đầu tiên")
    db.session.commit()
    assert 'id="first-steps"' not in _text(client.get("/me"))


def test_a_new_organiser_is_asked_to_describe_the_organisation_then_draft_a_call(
    client: Client,
) -> None:
    organiser = make_user(
        handle="new-studio", account_type=AccountType.ORGANISER, status=UserStatus.PENDING
    )
    db.session.commit()
    client.login_as(organiser)
    steps = _section(_text(client.get("/me")), "first-steps")
    assert "Describe your organisation" in steps
    assert 'href="/calls/new"' in steps
    assert "0 of 2 done" in steps

    organiser.organiser_profile.description = "Một xưởng thiết kế ở Hà Nội."
    db.session.commit()
    assert "1 of 2 done" in _section(_text(client.get("/me")), "first-steps")
    make_call(owner=organiser, status=CallStatus.DRAFT)
    db.session.commit()
    assert 'id="first-steps"' not in _text(client.get("/me"))


# ---------- Queries ----------


def _world(n: int) -> tuple[User, User]:
    """A designer-juror with n applications and n juries, an organiser with n calls."""
    organiser = make_user(handle=f"org-{n}", account_type=AccountType.ORGANISER)
    person = make_user(handle=f"both-{n}")
    for i in range(n):
        call = make_call(owner=organiser, title=f"Call {n}-{i}")
        make_submission(call=call, applicant=person, status=SubmissionStatus.DRAFT)
        other = make_call(owner=organiser, title=f"Judged {n}-{i}")
        make_juror(call=other, user=person)
        make_submission(call=other, applicant=make_user(handle=f"app-{n}-{i}"))
        make_call(owner=organiser, title=f"Open {n}-{i}")
    db.session.commit()
    return person, organiser


def test_queries_do_not_grow_with_calls_and_applications(
    client: Client, count_queries: Any
) -> None:
    counts = []
    for n in (2, 10):
        person, organiser = _world(n)
        row = []
        for who in (person, organiser):
            client.login_as(who)
            client.get("/me")  # warm up (sessions, caches)
            with count_queries() as q:
                assert client.get("/me").status_code == 200
            row.append(q.count)
        counts.append(row)
    assert counts[0] == counts[1], counts

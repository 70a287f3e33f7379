from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from icalendar import Calendar
from sqlalchemy import select

from app.accounts.models import AccountType, User
from app.calls import services
from app.calls.models import (
    CallCategory,
    CallStatus,
    Decision,
    OpenCall,
    Submission,
    SubmissionStatus,
)
from app.db_types import utcnow
from app.extensions import db
from app.profiles.models import Discipline
from tests.calls.factories import (
    make_call,
    make_juror,
    make_project,
    make_review,
    make_submission,
)
from tests.factories import make_user

ATOM = "{http://www.w3.org/2005/Atom}"


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


@pytest.mark.usefixtures("app")
def test_list_shows_cards_with_countdown_and_filters_fees(client, organiser: User) -> None:
    make_call(
        owner=organiser,
        title="Free poster competition",
        deadline_at=utcnow() + timedelta(days=3, hours=5),
    )
    make_call(
        owner=organiser,
        title="Paid book award",
        no_entry_fee=False,
        entry_fee="300,000 VND",
        deadline_at=utcnow() + timedelta(days=30),
    )
    make_call(owner=organiser, title="Secret draft", status=CallStatus.DRAFT)
    db.session.commit()
    page = _text(client.get("/calls"))
    assert "Free poster competition" in page
    assert "Paid book award" in page
    assert "Secret draft" not in page
    assert "Closes in 3 days" in page
    assert "(Ho Chi Minh City)" not in page  # the viewer's zone is the call's zone: shown once
    free = _text(client.get("/calls?free=1"))
    assert "Free poster competition" in free
    assert "Paid book award" not in free
    soon = _text(client.get("/calls?soon=1"))
    assert "Free poster competition" in soon
    assert "Paid book award" not in soon


@pytest.mark.usefixtures("app")
def test_list_pages_show_every_public_call_once_open_first_then_closed(
    client, organiser: User, designer: User
) -> None:
    now = utcnow()
    # 14 open calls (deadlines 1..14 days ahead, made in a shuffled order) and 11 closed ones.
    for day in [5, 1, 14, 3, 9, 2, 12, 7, 4, 13, 6, 11, 8, 10]:
        make_call(owner=organiser, title=f"Open {day:02d}", deadline_at=now + timedelta(days=day))
    for day in range(1, 12):
        make_call(owner=organiser, title=f"Past {day:02d}", deadline_at=now - timedelta(days=day))
    make_call(owner=organiser, title="Secret draft", status=CallStatus.DRAFT)
    make_call(owner=organiser, title="Hidden one", hidden_at=now)
    db.session.commit()
    client.login_as(designer)
    pages = [_text(client.get(f"/calls?page={n}")) for n in (1, 2, 3)]
    titles = [t for page in pages for t in re.findall(r">((?:Open|Past) \d\d)</a>", page)]
    expected = [f"Open {d:02d}" for d in range(1, 15)] + [f"Past {d:02d}" for d in range(11, 0, -1)]
    assert titles == expected  # each once; the nearest deadline first, then the closed ones
    assert "25 calls" in pages[0]
    assert pages[2].count("call-card--closed") == 1
    assert "Closed" in pages[2]
    assert all("Secret draft" not in p and "Hidden one" not in p for p in pages)
    # Past the last page: the last page.
    assert re.findall(r">((?:Open|Past) \d\d)</a>", _text(client.get("/calls?page=9"))) == [
        "Past 01"
    ]


@pytest.mark.usefixtures("app")
def test_card_shows_the_calls_own_zone_beside_the_viewers(client, organiser: User) -> None:
    make_call(owner=organiser, title="Lyon residency", timezone="Europe/Paris")
    db.session.commit()
    assert "(Paris)" in _text(client.get("/calls"))


@pytest.mark.usefixtures("app")
def test_eligible_filter_hides_calls_the_designer_cannot_enter(
    client, organiser: User, designer: User
) -> None:
    make_call(owner=organiser, title="Thai makers only", allowed_countries=["TH"])
    make_call(owner=organiser, title="Open to Vietnam", allowed_countries=["VN"])
    db.session.commit()
    client.login_as(designer)
    page = _text(client.get("/calls?eligible=1"))
    assert "Open to Vietnam" in page
    assert "Thai makers only" not in page


@pytest.mark.usefixtures("app")
def test_detail_explains_why_not_eligible(client, organiser: User, designer: User) -> None:
    call = make_call(owner=organiser, title="Under 35", max_age=34)
    db.session.commit()
    client.login_as(designer)
    page = _text(client.get(f"/calls/{call.slug}"))
    assert "your birth date is missing" in page
    assert "Add your birth date" in page
    assert ">Apply<" not in page


@pytest.mark.usefixtures("app")
def test_draft_call_is_404_to_others(client, organiser: User, designer: User) -> None:
    call = make_call(owner=organiser, status=CallStatus.DRAFT)
    db.session.commit()
    assert client.get(f"/calls/{call.slug}").status_code == 404
    client.login_as(designer)
    assert client.get(f"/calls/{call.slug}").status_code == 404
    client.login_as(organiser)
    assert "This is a draft" in _text(client.get(f"/calls/{call.slug}"))


@pytest.mark.usefixtures("app")
def test_hidden_call_is_404(client, organiser: User) -> None:
    call = make_call(owner=organiser, hidden_at=utcnow())
    db.session.commit()
    assert client.get(f"/calls/{call.slug}").status_code == 404
    assert call.title not in _text(client.get("/calls"))


@pytest.mark.usefixtures("app")
def test_organiser_drafts_a_call_with_a_local_deadline(client, organiser: User) -> None:
    client.login_as(organiser)
    form = {
        "kind": "festival",
        "title": "Hanoi Creative Design Festival 2025",
        "summary": "Show your work at the festival.",
        "description": "Hello",
        "timezone": "Asia/Ho_Chi_Minh",
        "deadline_date": "2030-06-30",
        "deadline_time": "23:59",
        "fee": "fee",
        "entry_fee": "",
        "max_projects": "3",
    }
    refused = client.post_form("/calls/new", form)
    assert refused.status_code == 422
    assert "Say how much the entry fee is" in _text(refused)
    assert 'value="Hanoi Creative Design Festival 2025"' in _text(refused)
    form["fee"] = "none"
    response = client.post_form("/calls/new", form)
    assert response.status_code == 302
    call = db.session.scalar(select(OpenCall))
    assert call is not None
    assert call.deadline_at == datetime(2030, 6, 30, 16, 59, tzinfo=UTC)
    assert call.status == CallStatus.DRAFT
    publish = client.post_form(f"/calls/{call.slug}/publish")
    assert publish.status_code == 302
    db.session.refresh(call)
    assert call.status == CallStatus.PUBLISHED


@pytest.mark.usefixtures("app")
def test_shortening_the_deadline_after_submissions_is_refused_in_the_form(
    client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, deadline_at=datetime(2030, 6, 30, 16, 59, tzinfo=UTC))
    make_submission(call=call, applicant=designer)
    db.session.commit()
    client.login_as(organiser)
    form = {
        "kind": "competition",
        "title": call.title,
        "summary": call.summary,
        "timezone": "Asia/Ho_Chi_Minh",
        "deadline_date": "2030-06-20",
        "deadline_time": "23:59",
        "fee": "none",
        "max_projects": "3",
    }
    response = client.post_form(f"/calls/{call.slug}/edit", form)
    assert response.status_code == 422
    assert "can be extended, not shortened" in _text(response)
    form["deadline_date"] = "2030-07-15"
    assert client.post_form(f"/calls/{call.slug}/edit", form).status_code == 302
    db.session.refresh(call)
    assert call.deadline_at == datetime(2030, 7, 15, 16, 59, tzinfo=UTC)


@pytest.mark.usefixtures("app")
def test_apply_after_the_deadline_is_refused_whatever_the_form_says(
    client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, deadline_at=datetime(2025, 6, 30, 16, 59, tzinfo=UTC))
    project = make_project(owner=designer)
    db.session.commit()
    with time_machine.travel(datetime(2025, 6, 30, 17, 0, tzinfo=UTC), tick=False):
        client.login_as(designer)
        response = client.post_form(
            f"/calls/{call.slug}/apply",
            {"statement": "late", "projects": [str(project.id)], "submit": "1"},
        )
        assert response.status_code == 403
        assert "Closed" in _text(client.get(f"/calls/{call.slug}"))
    assert db.session.scalar(select(Submission)) is None


@pytest.mark.usefixtures("app")
def test_designer_applies_and_double_submit_keeps_one(
    client, organiser: User, designer: User, outbox: list
) -> None:
    call = make_call(owner=organiser, title="Poster week")
    p1, p2 = make_project(owner=designer), make_project(owner=designer)
    db.session.commit()
    client.login_as(designer)
    data = {"statement": "My posters", "projects": [str(p1.id), str(p2.id)], "submit": "1"}
    assert client.post_form(f"/calls/{call.slug}/apply", data).status_code == 302
    assert client.post_form(f"/calls/{call.slug}/apply", data).status_code == 302
    rows = db.session.scalars(select(Submission)).all()
    assert len(rows) == 1
    assert len(rows[0].projects) == 2
    assert len(outbox) == 1
    assert "Poster week" in outbox[0]["Subject"]
    page = _text(client.get("/me/applications"))
    assert "Poster week" in page
    assert "Submitted" in page


@pytest.mark.usefixtures("app")
def test_a_racing_double_click_is_caught_by_the_constraint(
    client, organiser: User, designer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    call = make_call(owner=organiser)
    project = make_project(owner=designer)
    make_submission(call=call, applicant=designer, status=SubmissionStatus.DRAFT)
    db.session.commit()
    # The second click does not see the first one's row yet.
    monkeypatch.setattr(services, "submission_of", lambda _call, _user: None)
    client.login_as(designer)
    response = client.post_form(
        f"/calls/{call.slug}/apply", {"statement": "x", "projects": [str(project.id)]}
    )
    assert response.status_code == 302
    assert len(db.session.scalars(select(Submission)).all()) == 1


def _blind_setup(blind: bool, n: int = 1) -> tuple[OpenCall, User, Submission]:
    organiser = make_user(account_type=AccountType.ORGANISER)
    applicant = make_user(handle=f"mai-blind-{n}", display_name="Nguyễn Thị Mai")
    call = make_call(owner=organiser, blind_review=blind)
    juror = make_user(handle=f"juror-khoa-{n}")
    make_juror(call=call, user=juror)
    submission = make_submission(call=call, applicant=applicant, projects=2)
    db.session.commit()
    return call, juror, submission


@pytest.mark.usefixtures("app")
def test_blind_review_leaks_no_name_or_handle_to_jurors(client) -> None:
    call, juror, submission = _blind_setup(blind=True)
    client.login_as(juror)
    for url in (
        f"/calls/{call.slug}/submissions",
        f"/calls/{call.slug}/submissions/{submission.id}",
        "/me/applications",
    ):
        html = _text(client.get(url)).lower()
        assert "nguyễn thị mai" not in html, url
        assert "mai-blind" not in html, url
        assert "nguyen" not in html
    assert f"Application #{submission.id}" in _text(
        client.get(f"/calls/{call.slug}/submissions/{submission.id}")
    )


@pytest.mark.usefixtures("app")
def test_without_blind_review_jurors_see_the_applicant(client) -> None:
    call, juror, submission = _blind_setup(blind=False)
    client.login_as(juror)
    html = _text(client.get(f"/calls/{call.slug}/submissions/{submission.id}"))
    assert "Nguyễn Thị Mai" in html
    assert "/designers/mai-blind-1/projects/" in html


@pytest.mark.usefixtures("app")
def test_others_scores_hidden_until_the_juror_scored(client) -> None:
    call, juror, submission = _blind_setup(blind=True)
    other = make_user(display_name="Trần Văn Bình")
    make_juror(call=call, user=other)
    make_review(submission=submission, juror=other, score=2, comment="Weak typography")
    db.session.commit()
    client.login_as(juror)
    url = f"/calls/{call.slug}/submissions/{submission.id}"
    assert "Weak typography" not in _text(client.get(url))
    response = client.post_form(f"{url}/review", {"score": "5", "comment": "Superb"})
    assert response.status_code == 302
    page = _text(client.get(url))
    assert "Weak typography" in page
    assert "2.00/5" in page


@pytest.mark.usefixtures("app")
def test_cross_call_access_is_404(client) -> None:
    call_a, juror, sub_a = _blind_setup(blind=False)
    call_b, _juror_b, sub_b = _blind_setup(blind=False, n=2)
    client.login_as(juror)
    assert client.get(f"/calls/{call_b.slug}/submissions").status_code == 404
    assert client.get(f"/calls/{call_b.slug}/submissions/{sub_b.id}").status_code == 404
    # A submission of call B addressed through call A is not found either.
    assert client.get(f"/calls/{call_a.slug}/submissions/{sub_b.id}").status_code == 404
    client.login_as(call_a.owner)
    assert client.get(f"/calls/{call_b.slug}/manage").status_code == 404
    assert client.get(f"/calls/{call_b.slug}/submissions.csv").status_code == 404
    client.login_as(sub_a.applicant)
    assert client.post_form(f"/submissions/{sub_b.id}/credit").status_code == 404


@pytest.mark.usefixtures("app")
def test_organiser_accepts_notifies_once_and_designer_sees_accepted(
    client, organiser: User, designer: User, outbox: list
) -> None:
    call = make_call(owner=organiser, title="Design Week")
    submission = make_submission(call=call, applicant=designer)
    db.session.commit()
    client.login_as(organiser)
    url = f"/calls/{call.slug}/submissions/{submission.id}/decision"
    assert client.post_form(url, {"decision": "accepted", "message": "Welcome!"}).status_code == 302
    for _ in range(3):
        client.post_form(f"/calls/{call.slug}/notify")
    assert len(outbox) == 1
    assert "Welcome!" in outbox[0].get_body(("plain",)).get_content()
    client.login_as(designer)
    page = _text(client.get("/me/applications"))
    assert "Accepted" in page
    assert "Selected — Design Week" in page


@pytest.mark.usefixtures("app")
def test_csv_export_neutralises_formulas(client, organiser: User) -> None:
    call = make_call(owner=organiser)
    evil = make_user(display_name="=cmd|' /C calc'!A0")
    make_submission(call=call, applicant=evil, statement="@SUM(1+1)")
    db.session.commit()
    client.login_as(organiser)
    response = client.get(f"/calls/{call.slug}/submissions.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(_text(response).lstrip("\ufeff"))))
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert rows[1][9] == "'@SUM(1+1)"
    assert "/designers/" in rows[1][10]


@pytest.mark.usefixtures("app")
def test_atom_feed_parses_with_stable_ids(client, organiser: User) -> None:
    call = make_call(owner=organiser, title="Áo dài reimagined")
    make_call(owner=organiser, title="Not yet", status=CallStatus.DRAFT)
    db.session.commit()
    first = client.get("/calls/feed.atom")
    assert first.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(first.get_data())  # noqa: S314 (our own feed)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Áo dài reimagined"]
    entry_id = entries[0].findtext(f"{ATOM}id")
    assert entry_id
    assert entry_id.endswith(f":call:{call.id}")
    call.title = "Áo dài, reimagined"
    db.session.commit()
    again = ElementTree.fromstring(client.get("/calls/feed.atom").get_data())  # noqa: S314
    assert again.find(f"{ATOM}entry").findtext(f"{ATOM}id") == entry_id  # type: ignore[union-attr]


@pytest.mark.usefixtures("app")
def test_ical_parses_with_one_event_per_call(client, organiser: User) -> None:
    deadline = datetime(2030, 6, 30, 16, 59, tzinfo=UTC)
    call = make_call(owner=organiser, title="Lantern design", deadline_at=deadline)
    make_call(owner=organiser, title="Draft", status=CallStatus.DRAFT)
    db.session.commit()
    response = client.get("/calls/deadlines.ics")
    assert response.mimetype == "text/calendar"
    cal = Calendar.from_ical(response.get_data())
    events = cal.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["UID"]) == f"call-{call.id}@ydn.example"
    assert events[0].decoded("DTSTART") == deadline
    assert "Lantern design" in str(events[0]["SUMMARY"])


@pytest.mark.usefixtures("app")
def test_organiser_page_lists_public_calls(client, organiser: User) -> None:
    make_call(owner=organiser, title="Public call")
    make_call(owner=organiser, title="Hidden draft", status=CallStatus.DRAFT)
    db.session.commit()
    page = _text(client.get(f"/organisers/{organiser.handle}"))
    assert "Hanoi Creative Design Centre" in page
    assert "Public call" in page
    assert "Hidden draft" not in page


# ---------- Query counts ----------


def _many_calls(owner: User, n: int) -> None:
    disciplines = db.session.scalars(select(Discipline).limit(3)).all()
    for i in range(n):
        # An age limit and categories: "eligible for me" judges the age on a category's day.
        call = make_call(owner=owner, title=f"Call {i}", max_age=35)
        call.disciplines = list(disciplines)
        db.session.add(CallCategory(call=call, name=f"Hạng mục {i}", deadline_at=call.deadline_at))
    db.session.commit()


def _count(client, count_queries, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # warm caches (sessions, translations)
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    return int(q.count)


@pytest.mark.usefixtures("app")
def test_list_query_count_is_constant(client, count_queries, designer: User) -> None:
    a = make_user(account_type=AccountType.ORGANISER)
    b = make_user(account_type=AccountType.ORGANISER)
    designer.designer_profile.birth_date = date(2000, 1, 1)
    client.login_as(designer)
    _many_calls(a, 2)
    few = _count(client, count_queries, "/calls")
    few_eligible = _count(client, count_queries, "/calls?eligible=1")
    _many_calls(b, 48)
    assert _count(client, count_queries, "/calls") == few
    assert _count(client, count_queries, "/calls?eligible=1") == few_eligible


def _with_submissions(call: OpenCall, n: int, jurors: list[User]) -> None:
    for _ in range(n):
        s = make_submission(call=call, applicant=make_user(), projects=2)
        for j in jurors:
            make_review(submission=s, juror=j, score=3)
    db.session.commit()


@pytest.mark.parametrize("who", ["organiser", "juror"])
@pytest.mark.usefixtures("app")
def test_detail_and_table_query_counts_are_constant(
    client, count_queries, organiser: User, who: str
) -> None:
    call = make_call(owner=organiser)
    jurors = [make_user(), make_user()]
    for j in jurors:
        make_juror(call=call, user=j)
    _with_submissions(call, 2, jurors)
    client.login_as(organiser if who == "organiser" else jurors[0])
    urls = [f"/calls/{call.slug}", f"/calls/{call.slug}/submissions"]
    if who == "organiser":
        urls.append(f"/calls/{call.slug}/submissions.csv")
    few = [_count(client, count_queries, u) for u in urls]
    _with_submissions(call, 48, jurors)
    assert [_count(client, count_queries, u) for u in urls] == few


@pytest.mark.usefixtures("app")
def test_card_deadline_uses_viewer_zone(client, organiser: User) -> None:
    viewer = make_user(handle="paris-viewer")
    viewer.timezone = "Europe/Paris"
    make_call(owner=organiser, deadline_at=datetime(2030, 6, 30, 16, 59, tzinfo=UTC))
    db.session.commit()
    client.login_as(viewer)
    page = _text(client.get("/calls"))
    assert re.search(r"6:59\s*PM", page), "18:59 in Paris"
    assert "(Ho Chi Minh City)" in page  # the call's own zone, named by its city
    assert Decision.ACCEPTED  # the enum is importable for the views


@pytest.mark.usefixtures("app")
def test_the_submissions_table_names_each_application_its_category_and_projects(
    client, organiser: User
) -> None:
    call = make_call(owner=organiser, title="Poster Week")
    poster = CallCategory(call=call, name="Áp phích", deadline_at=call.deadline_at)
    db.session.add(poster)
    one = make_submission(
        call=call, applicant=make_user(display_name="Nguyễn Thị Mai"), projects=1, category=poster
    )
    two = make_submission(call=call, applicant=make_user(display_name="Trần Văn An"), projects=2)
    one.decision = Decision.ACCEPTED
    db.session.commit()
    client.login_as(organiser)
    html = _text(client.get(f"/calls/{call.slug}/submissions?sort=submitted"))
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    for text in ("Nguyễn Thị Mai", "1 project<", "Áp phích", ">Accepted<"):
        assert text in rows[0], text
    for text in ("Trần Văn An", "2 projects<", ">—<", ">Undecided<"):
        assert text in rows[1], text
    assert f'aria-label="Select application #{one.id}"' in rows[0]
    assert f'aria-label="Select application #{two.id}"' in rows[1]
    assert f"/calls/{call.slug}/submissions/{one.id}" in rows[0]
    assert "1 decision waits to be sent." in html


@pytest.mark.usefixtures("app")
def test_a_jurors_table_offers_each_row_a_conflict_form_with_the_pages_token(
    client, organiser: User
) -> None:
    call = make_call(owner=organiser, title="Poster Week")
    juror = make_user(handle="juror-table")
    make_juror(call=call, user=juror)
    for n in range(3):
        make_submission(call=call, applicant=make_user(display_name=f"Applicant {n}"))
    db.session.commit()
    client.login_as(juror)
    html = _text(client.get(f"/calls/{call.slug}/submissions"))
    tbody = html.split("<tbody>")[1].split("</tbody>")[0]
    tokens = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', tbody)
    assert len(tokens) == 3
    assert len(set(tokens)) == 1
    assert tbody.count(">Declare a conflict<") == 3

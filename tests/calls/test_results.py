"""The public results page of a call: accepted works, once decisions are sent, only with the
applicant's agreement; the consent on the apply form and its withdrawal; the organiser's prize."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest

from app.accounts.models import User, UserStatus
from app.calls import services
from app.calls.models import Decision, OpenCall, Submission, SubmissionStatus
from app.calls.owndata import export_submissions
from app.db_types import utcnow
from app.extensions import db
from tests.calls.factories import make_call, make_project, make_submission
from tests.factories import make_user


def _winner(call: OpenCall, *, consent: bool = True, **kw: Any) -> Submission:
    return make_submission(
        call=call,
        applicant=kw.pop("applicant", None) or make_user(),
        decision=Decision.ACCEPTED,
        decided_at=utcnow(),
        notified_at=utcnow(),
        results_consent=consent,
        **kw,
    )


def _page(client: Any, call: OpenCall) -> str:
    response = client.get(f"/calls/{call.slug}/results")
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def _shown(client: Any, call: OpenCall) -> list[str]:
    """The designers' names on the results page, in order."""
    return re.findall(r'class="result__designer"><a href="[^"]+">([^<]+)</a>', _page(client, call))


@pytest.mark.usefixtures("app")
def test_results_show_consenting_winners_only(client: Any, organiser: User) -> None:
    call = make_call(owner=organiser, title="Hue posters")
    shown = _winner(
        call,
        applicant=make_user(handle="lan-anh", display_name="Trần Lan Anh"),
        prize="Giải Nhất <script>alert(1)</script>",
    )
    _winner(call, applicant=make_user(display_name="Không Đồng Ý"), consent=False)
    make_submission(
        call=call,
        applicant=make_user(display_name="Bị Từ Chối"),
        decision=Decision.DECLINED,
        notified_at=utcnow(),
        results_consent=True,
    )
    make_submission(
        call=call,
        applicant=make_user(display_name="Chưa Báo"),
        decision=Decision.ACCEPTED,
        results_consent=True,
    )
    _winner(call, applicant=make_user(display_name="Bị Khoá", status=UserStatus.SUSPENDED))
    hidden_person = make_user(display_name="Đã Ẩn")
    hidden_person.hidden_at = utcnow()
    _winner(call, applicant=hidden_person)
    _winner(call, applicant=make_user(display_name="Đã Xoá", status=UserStatus.DELETED))
    db.session.commit()
    page = _page(client, call)
    assert "Trần Lan Anh" in page
    assert 'href="/designers/lan-anh"' in page
    assert "Giải Nhất &lt;script&gt;" in page
    assert "<script>alert" not in page
    assert shown.projects[0].title in page
    for hidden in ("Không Đồng Ý", "Bị Từ Chối", "Chưa Báo", "Bị Khoá", "Đã Ẩn", "Đã Xoá"):
        assert hidden not in page
    assert 'property="og:title"' in page
    # The call page links to its results.
    assert f"/calls/{call.slug}/results" in client.get(f"/calls/{call.slug}").get_data(as_text=True)


@pytest.mark.usefixtures("app")
def test_hidden_projects_never_appear_and_private_ones_are_not_linked(
    client: Any, organiser: User
) -> None:
    call = make_call(owner=organiser)
    person = make_user(handle="minh-khoa")
    public = make_project(owner=person, title="Đèn lồng công khai")
    hidden = make_project(owner=person, title="Dự án bị ẩn", hidden_at=utcnow())
    draft = make_project(owner=person, title="Bản nháp riêng", is_published=False)
    submission = _winner(call, applicant=person, projects=0)
    submission.projects = [public, hidden, draft]
    db.session.commit()
    page = _page(client, call)
    assert f'href="/designers/minh-khoa/projects/{public.slug}"' in page
    assert "Dự án bị ẩn" not in page
    assert "Bản nháp riêng" in page
    assert draft.slug not in page


@pytest.mark.usefixtures("app")
def test_no_results_page_before_decisions_are_sent(client: Any, organiser: User) -> None:
    call = make_call(owner=organiser)
    make_submission(
        call=call, applicant=make_user(), decision=Decision.ACCEPTED, results_consent=True
    )
    db.session.commit()
    assert client.get(f"/calls/{call.slug}/results").status_code == 404
    assert "/results" not in client.get(f"/calls/{call.slug}").get_data(as_text=True)


@pytest.mark.usefixtures("app")
def test_results_query_count_is_constant(client: Any, organiser: User, count_queries: Any) -> None:
    call = make_call(owner=organiser)
    for _ in range(2):
        _winner(call, projects=2)
    db.session.commit()
    url = f"/calls/{call.slug}/results"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for _ in range(18):
        _winner(call, projects=2)
    db.session.commit()
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count('class="card result"') == 20
    assert many.count == few.count


@pytest.mark.usefixtures("app")
def test_results_are_paged(client: Any, organiser: User) -> None:
    call = make_call(owner=organiser)
    for _ in range(30):
        _winner(call)
    db.session.commit()
    first = _page(client, call)
    assert first.count('class="card result"') == 24
    assert "page=2" in first
    second = client.get(f"/calls/{call.slug}/results?page=2").get_data(as_text=True)
    assert second.count('class="card result"') == 6


@pytest.mark.usefixtures("app")
def test_consent_on_the_apply_form_defaults_off_and_is_stored(
    client: Any, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser)
    make_project(owner=designer)
    db.session.commit()
    client.login_as(designer)
    form = client.get(f"/calls/{call.slug}/apply").get_data(as_text=True)
    assert 'name="results_consent"' in form
    assert 'name="results_consent" type="checkbox" value="y" checked' not in form
    client.post_form(f"/calls/{call.slug}/apply", {"statement": "Xin chào", "draft": "1"})
    saved = services.submission_of(call, designer)
    assert saved is not None
    assert saved.results_consent is False
    client.post_form(
        f"/calls/{call.slug}/apply",
        {"statement": "Xin chào", "draft": "1", "results_consent": "y"},
    )
    db.session.expire_all()
    saved = services.submission_of(call, designer)
    assert saved is not None
    assert saved.results_consent is True
    assert saved.results_consent_at is not None


@pytest.mark.usefixtures("app")
def test_applicant_withdraws_consent_after_the_deadline(
    client: Any, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, deadline_at=utcnow() - timedelta(days=3))
    _winner(call, applicant=designer)
    db.session.commit()
    assert _shown(client, call) == [designer.display_name]
    client.login_as(designer)
    apply_page = client.get(f"/calls/{call.slug}/apply").get_data(as_text=True)
    assert "Keep my work off the results page" in apply_page
    response = client.post_form(f"/calls/{call.slug}/results-consent", {"consent": "0"})
    assert response.status_code == 302
    assert _shown(client, call) == []
    # The portfolio credit leads back to the call page, no longer to its results.
    assert services.credits_for(designer)[0].url == call.path
    client.post_form(f"/calls/{call.slug}/results-consent", {"consent": "1"})
    assert _shown(client, call) == [designer.display_name]
    assert services.credits_for(designer)[0].url == f"{call.path}/results"


@pytest.mark.usefixtures("app")
def test_consent_refused_without_an_application(
    client: Any, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser)
    db.session.commit()
    client.login_as(designer)
    assert client.post_form(
        f"/calls/{call.slug}/results-consent", {"consent": "1"}
    ).status_code == (404)


@pytest.mark.usefixtures("app")
def test_prize_goes_with_an_acceptance_only(organiser: User) -> None:
    call = make_call(owner=organiser)
    submission = make_submission(call=call, applicant=make_user())
    services.decide(submission, actor=organiser, decision=Decision.ACCEPTED, prize=" Giải Ba ")
    db.session.refresh(submission)
    assert submission.prize == "Giải Ba"
    services.decide(submission, actor=organiser, decision=Decision.DECLINED, prize="Giải Ba")
    db.session.refresh(submission)
    assert submission.prize == ""
    with pytest.raises(services.CallError):
        services.decide(submission, actor=organiser, decision=Decision.ACCEPTED, prize="x" * 121)


@pytest.mark.usefixtures("app")
def test_organiser_sets_the_prize_with_the_decision(client: Any, organiser: User) -> None:
    call = make_call(owner=organiser)
    submission = make_submission(call=call, applicant=make_user(), results_consent=True)
    db.session.commit()
    client.login_as(organiser)
    url = f"/calls/{call.slug}/submissions/{submission.id}"
    assert 'name="prize"' in client.get(url).get_data(as_text=True)
    response = client.post_form(
        url + "/decision", {"decision": "accepted", "message": "", "prize": "Giải Khuyến Khích"}
    )
    assert response.status_code == 302
    db.session.refresh(submission)
    assert submission.prize == "Giải Khuyến Khích"
    too_long = client.post_form(url + "/decision", {"decision": "accepted", "prize": "x" * 200})
    assert too_long.status_code == 422
    assert "x" * 200 in too_long.get_data(as_text=True)


@pytest.mark.usefixtures("app")
def test_export_holds_consent_and_prize(organiser: User) -> None:
    call = make_call(owner=organiser)
    submission = _winner(call, prize="Giải Vàng")
    db.session.commit()
    part = export_submissions(submission.applicant)
    data = json.loads(json.dumps(part.data, default=str))
    assert data[0]["prize"] == "Giải Vàng"
    assert data[0]["results_consent"] is True


@pytest.mark.usefixtures("app")
def test_feed_links_the_results(client: Any, organiser: User) -> None:
    call = make_call(owner=organiser)
    _winner(call)
    db.session.commit()
    feed = client.get("/calls/feed.atom").get_data(as_text=True)
    assert f"/calls/{call.slug}/results" in feed


@pytest.mark.usefixtures("app")
def test_withdrawn_winner_is_not_shown(client: Any, organiser: User) -> None:
    call = make_call(owner=organiser)
    _winner(call, applicant=make_user(display_name="Đã Rút"), status=SubmissionStatus.WITHDRAWN)
    _winner(call, applicant=make_user(display_name="Người Thắng"))
    db.session.commit()
    page = _page(client, call)
    assert "Người Thắng" in page
    assert "Đã Rút" not in page

"""Bulk decisions from the organiser's table, and the preview of the decision emails."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.accounts.models import AccountType, User
from app.calls import services
from app.calls.models import Decision, Submission
from app.db_types import utcnow
from app.extensions import db
from app.mail.models import OutgoingEmail
from tests.calls.factories import make_call, make_submission
from tests.factories import make_user


def _decisions(*subs: Submission) -> list[Decision]:
    db.session.expire_all()
    return [db.session.get(Submission, s.id).decision for s in subs]  # type: ignore[union-attr]


@pytest.mark.usefixtures("app")
def test_organiser_accepts_several_at_once(client: Any, organiser: User) -> None:
    call = make_call(owner=organiser)
    a, b, c = (make_submission(call=call, applicant=make_user()) for _ in range(3))
    b.decision = Decision.ACCEPTED
    db.session.commit()
    client.login_as(organiser)
    table = client.get(f"/calls/{call.slug}/submissions").get_data(as_text=True)
    assert f'name="selected" value="{a.id}" form="bulk-form"' in table
    response = client.post_form(
        f"/calls/{call.slug}/submissions/decide",
        {"selected": [str(a.id), str(b.id)], "decision": "accepted"},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 application is now “Accepted”. 1 already was." in page
    assert _decisions(a, b, c) == [Decision.ACCEPTED, Decision.ACCEPTED, Decision.PENDING]
    # Nobody is told until the organiser notifies.
    assert db.session.scalar(select(OutgoingEmail.id)) is None


@pytest.mark.usefixtures("app")
def test_bulk_without_selection_or_with_a_bad_decision_is_refused(
    client: Any, organiser: User
) -> None:
    call = make_call(owner=organiser)
    a = make_submission(call=call, applicant=make_user())
    db.session.commit()
    client.login_as(organiser)
    url = f"/calls/{call.slug}/submissions/decide"
    empty = client.post_form(url, {"decision": "accepted"})
    assert empty.status_code == 422
    assert "Select at least one application." in empty.get_data(as_text=True)
    bad = client.post_form(url, {"selected": [str(a.id)], "decision": "pending"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Choose accept, decline or shortlist." in page
    assert f'value="{a.id}" form="bulk-form" id="pick-{a.id}" checked' in page  # input kept
    assert client.post_form(url, {"selected": ["x1"], "decision": "accepted"}).status_code == 400
    assert _decisions(a) == [Decision.PENDING]


@pytest.mark.usefixtures("app")
def test_someone_elses_submission_refuses_the_whole_post(client: Any, organiser: User) -> None:
    call = make_call(owner=organiser)
    mine = make_submission(call=call, applicant=make_user())
    other_call = make_call(owner=make_user(account_type=AccountType.ORGANISER))
    theirs = make_submission(call=other_call, applicant=make_user())
    db.session.commit()
    client.login_as(organiser)
    response = client.post_form(
        f"/calls/{call.slug}/submissions/decide",
        {"selected": [str(mine.id), str(theirs.id)], "decision": "declined"},
    )
    assert response.status_code == 404
    assert _decisions(mine, theirs) == [Decision.PENDING, Decision.PENDING]


@pytest.mark.usefixtures("app")
def test_a_notified_applicant_in_the_selection_changes_nothing(
    client: Any, organiser: User
) -> None:
    call = make_call(owner=organiser)
    fresh = make_submission(call=call, applicant=make_user())
    told = make_submission(
        call=call, applicant=make_user(), decision=Decision.ACCEPTED, notified_at=utcnow()
    )
    db.session.commit()
    client.login_as(organiser)
    response = client.post_form(
        f"/calls/{call.slug}/submissions/decide",
        {"selected": [str(fresh.id), str(told.id)], "decision": "declined"},
    )
    assert response.status_code == 422
    assert "already told their decision" in response.get_data(as_text=True)
    assert _decisions(fresh, told) == [Decision.PENDING, Decision.ACCEPTED]


@pytest.mark.usefixtures("app")
def test_repeated_bulk_posts_leave_one_decision_each(organiser: User) -> None:
    call = make_call(owner=organiser)
    subs = [make_submission(call=call, applicant=make_user()) for _ in range(3)]
    ids = [s.id for s in subs]
    outcomes = [
        services.decide_many(call, ids, actor=organiser, decision=Decision.SHORTLISTED)
        for _ in range(20)
    ]
    assert [o.changed for o in outcomes] == [3] + [0] * 19
    assert _decisions(*subs) == [Decision.SHORTLISTED] * 3


@pytest.mark.usefixtures("app")
def test_preview_shows_each_decision_email_in_the_recipients_language_and_sends_nothing(
    client: Any, organiser: User
) -> None:
    call = make_call(owner=organiser, title="Áp phích Huế")
    thanh = make_user(display_name="Lê Văn Thành")
    thanh.locale = "vi"
    claire = make_user(display_name="Claire Martin")
    claire.locale = "fr"
    make_submission(
        call=call,
        applicant=thanh,
        decision=Decision.ACCEPTED,
        decision_message="<script>alert(1)</script> Chúc mừng!",
    )
    make_submission(
        call=call,
        applicant=claire,
        decision=Decision.DECLINED,
    )
    db.session.commit()
    client.login_as(organiser)
    table = client.get(f"/calls/{call.slug}/submissions").get_data(as_text=True)
    assert f"/calls/{call.slug}/decisions/preview" in table
    page = client.get(f"/calls/{call.slug}/decisions/preview").get_data(as_text=True)
    assert "Lê Văn Thành" in page
    assert "Claire Martin" in page
    assert "Áp phích Huế" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Chúc mừng!" in page
    assert "<script>alert(1)" not in page
    assert 'lang="fr"' in page
    assert 'lang="vi"' in page
    assert "Une décision sur votre candidature à « Áp phích Huế »" in page
    assert "Quyết định về hồ sơ của bạn gửi “Áp phích Huế”" in page
    assert db.session.scalar(select(OutgoingEmail.id)) is None
    assert all(s.notified_at is None for s in db.session.scalars(select(Submission)))

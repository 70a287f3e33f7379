"""Juror feedback to applicants: the organiser chooses which overall comments go (none by
default), sent unsigned with the decision and shown on the application once notified."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.calls.decision_models import SharedFeedback
from app.calls.models import Decision, OpenCall, Submission
from app.extensions import db
from app.mail.models import OutgoingEmail
from demo import build
from tests.calls.factories import make_call, make_juror, make_submission
from tests.factories import make_user


def _text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def _setup(organiser: User) -> tuple[OpenCall, Submission, list[Any], User]:
    call = make_call(owner=organiser, title="Poster Hà Nội")
    applicant = make_user(display_name="Phạm Thu Hà")
    applicant.locale = "en"
    submission = make_submission(call=call, applicant=applicant, decision=Decision.DECLINED)
    jurors = [make_user(display_name=n) for n in ("Giám khảo Lan", "Giám khảo Minh", "Quiet Tú")]
    for j in jurors:
        make_juror(call=call, user=j)
    reviews = [
        build.review(submission, jurors[0], score=2, comment="Strong colours, <i>weak</i> type."),
        build.review(submission, jurors[1], score=3, comment="Try a bolder layout next time."),
        build.review(submission, jurors[2], score=4, comment=""),
    ]
    db.session.commit()
    return call, submission, reviews, applicant


def _feedback_url(call: OpenCall, submission: Submission) -> str:
    return f"/calls/{call.slug}/submissions/{submission.id}/feedback"


def _decision_email(applicant: User) -> OutgoingEmail:
    email = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.to == applicant.email))
    assert email is not None
    return email


@pytest.mark.usefixtures("app")
def test_no_feedback_goes_unless_the_organiser_chooses(client: Any, organiser: User) -> None:
    call, submission, _reviews, applicant = _setup(organiser)
    client.login_as(organiser)
    page = _text(client.get(f"/calls/{call.slug}/submissions/{submission.id}"))
    assert "Feedback to the applicant" in page
    assert "Try a bolder layout next time." in page
    assert 'name="review"' in page
    assert "checked" not in page.split("feedback-title")[1]
    client.post_form(f"/calls/{call.slug}/notify")
    email = _decision_email(applicant)
    assert "Feedback from the jury" not in email.text_body
    assert "bolder layout" not in email.text_body


@pytest.mark.usefixtures("app")
def test_chosen_comments_go_unsigned_in_the_email_and_on_the_application(
    client: Any, organiser: User
) -> None:
    call, submission, reviews, applicant = _setup(organiser)
    client.login_as(organiser)
    saved = client.post_form(
        _feedback_url(call, submission), {"review": [str(reviews[1].id), str(reviews[0].id)]}
    )
    assert saved.status_code == 302
    page = _text(client.get(saved.headers["Location"]))
    assert "2 juror comments go to the applicant with the decision, unsigned." in page
    # Before the notification the applicant sees nothing of it.
    client.login_as(applicant)
    assert "Feedback from the jury" not in _text(client.get(f"/calls/{call.slug}/apply"))
    client.login_as(organiser)
    client.post_form(f"/calls/{call.slug}/notify")
    email = _decision_email(applicant)
    body = email.text_body
    assert "Feedback from the jury:" in body
    assert "Juror 1: Strong colours, <i>weak</i> type." in body
    assert "Juror 2: Try a bolder layout next time." in body
    assert "Strong colours, &lt;i&gt;weak&lt;/i&gt; type." in (email.html_body or "")
    for secret in ("Giám khảo Lan", "Giám khảo Minh", "2/5", "3/5"):
        assert secret not in body
        assert secret not in (email.html_body or "")
    client.login_as(applicant)
    mine = _text(client.get(f"/calls/{call.slug}/apply"))
    assert "Feedback from the jury" in mine
    assert "Try a bolder layout next time." in mine
    assert "Juror 2" in mine
    assert "Giám khảo Minh" not in mine
    # Once told, the choice is closed.
    client.login_as(organiser)
    late = client.post_form(_feedback_url(call, submission), {"review": [str(reviews[0].id)]})
    assert "already told the decision" in _text(client.get(late.headers["Location"]))
    assert db.session.scalar(select(func.count(SharedFeedback.id))) == 2


@pytest.mark.usefixtures("app")
def test_someone_elses_review_or_an_empty_one_refuses_the_whole_choice(
    client: Any, organiser: User
) -> None:
    call, submission, reviews, _applicant = _setup(organiser)
    other = make_submission(call=call, applicant=make_user())
    stranger = build.review(other, make_user(), score=5, comment="Not about this one.")
    db.session.commit()
    client.login_as(organiser)
    for bad in ([reviews[0].id, stranger.id], [reviews[2].id]):
        sent = {"review": [str(i) for i in bad]}
        response = client.post_form(_feedback_url(call, submission), sent)
        assert response.status_code == 404
    assert client.post_form(_feedback_url(call, submission), {"review": ["x"]}).status_code == 400
    assert db.session.scalar(select(func.count(SharedFeedback.id))) == 0


@pytest.mark.usefixtures("app")
def test_the_text_chosen_is_the_text_sent_even_if_the_juror_edits_it_later(
    client: Any, organiser: User
) -> None:
    call, submission, reviews, applicant = _setup(organiser)
    client.login_as(organiser)
    client.post_form(_feedback_url(call, submission), {"review": [str(reviews[1].id)]})
    reviews[1].comment = "Something the organiser never read."
    db.session.commit()
    page = _text(client.get(f"/calls/{call.slug}/submissions/{submission.id}"))
    assert "The juror changed this comment after you chose it" in page
    client.post_form(f"/calls/{call.slug}/notify")
    body = _decision_email(applicant).text_body
    assert "Juror 1: Try a bolder layout next time." in body
    assert "never read" not in body


@pytest.mark.usefixtures("app")
def test_unticking_everything_sends_none_and_another_organiser_gets_404(
    client: Any, organiser: User
) -> None:
    call, submission, reviews, _applicant = _setup(organiser)
    client.login_as(organiser)
    client.post_form(_feedback_url(call, submission), {"review": [str(reviews[0].id)]})
    cleared = client.post_form(_feedback_url(call, submission), {})
    assert "No juror comment goes to the applicant." in _text(
        client.get(cleared.headers["Location"])
    )
    assert db.session.scalar(select(func.count(SharedFeedback.id))) == 0
    other = make_user(account_type=organiser.account_type)
    db.session.commit()
    client.login_as(other)
    refused = client.post_form(_feedback_url(call, submission), {"review": [str(reviews[0].id)]})
    assert refused.status_code == 404
    assert db.session.scalar(select(func.count(SharedFeedback.id))) == 0

"""Choosing the feedback while "Notify applicants" is pressed: one order wins, never half of
each (PostgreSQL, real commits, a thread per request as gunicorn's workers would)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import AccountType, User
from app.calls import decision_templates as templates
from app.calls import services
from app.calls.decision_models import SharedFeedback
from app.calls.models import Decision, OpenCall, Submission
from app.extensions import db
from app.mail.models import OutgoingEmail
from demo import build
from tests.calls.factories import make_call, make_juror, make_submission
from tests.factories import make_user

THREADS = 12


def race(app: Flask, attempts: list[Callable[[], Any]]) -> list[str]:
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(attempt: Callable[[], Any]) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                attempt()
                db.session.commit()
                outcome = "won"
            except templates.FeedbackError:
                db.session.rollback()
                outcome = "refused"
            except Exception as exc:
                db.session.rollback()
                outcome = f"crash: {exc!r}"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres_only
def test_feedback_chosen_while_notifying_is_sent_whole_or_refused(make_app: Any) -> None:
    app: Flask = make_app(DB_POOL_SIZE=THREADS + 2)
    with app.app_context():
        organiser = make_user(handle="fb-race-org", account_type=AccountType.ORGANISER)
        call = make_call(owner=organiser)
        applicant = make_user(handle="fb-race-applicant")
        submission = make_submission(call=call, applicant=applicant, decision=Decision.DECLINED)
        jurors = [make_user(handle=f"fb-race-juror-{i}") for i in range(2)]
        reviews = []
        for i, juror in enumerate(jurors):
            make_juror(call=call, user=juror)
            reviews.append(build.review(submission, juror, comment=f"Comment number {i}."))
        db.session.commit()
        ids = (call.id, organiser.id, submission.id, [r.id for r in reviews], applicant.email)
    call_id, organiser_id, submission_id, review_ids, address = ids

    def notify() -> None:
        call = db.session.get(OpenCall, call_id)
        actor = db.session.get(User, organiser_id)
        assert call is not None
        assert actor is not None
        services.notify_applicants(call, actor=actor)

    def choose() -> None:
        submission = db.session.get(Submission, submission_id)
        actor = db.session.get(User, organiser_id)
        assert submission is not None
        assert actor is not None
        templates.share_feedback(submission, actor=actor, review_ids=review_ids)

    outcomes = race(app, [notify, choose] * (THREADS // 2))
    assert not [o for o in outcomes if o.startswith("crash")], outcomes
    with app.app_context():
        emails = db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.to == address)).all()
        assert len(emails) == 1
        shared = db.session.scalar(select(func.count(SharedFeedback.id)))
        sent = "Comment number 0." in emails[0].text_body
        # Whatever the order: the applicant's page and the email say the same thing.
        assert shared in (0, 2)
        assert sent == (shared == 2)

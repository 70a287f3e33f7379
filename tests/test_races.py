"""Many requests racing for one state change: exactly one wins (PostgreSQL, real commits).

Each thread runs in its own application context with its own session and connection, as
gunicorn's workers would; a barrier releases them together. The rows are wiped afterwards by
the `make_app` fixture.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.accounts.passwords import verify_password
from app.accounts.tokens import TokenError, make_token
from app.calls import services as calls
from app.calls.models import Decision, OpenCall, Submission, SubmissionStatus
from app.extensions import db
from app.mail.models import OutgoingEmail
from app.moderation import actions, targets
from app.moderation.models import ActionKind, ModerationAction, Report, ReportStatus
from tests.calls.factories import make_call, make_submission
from tests.calls.factories import make_project as make_call_project
from tests.factories import make_user
from tests.moderation.factories import make_project, make_report

THREADS = 20
EXPECTED = (TokenError, accounts.AccountError, actions.ModerationError)


def race(app: Flask, attempts: list[Callable[[], Any]]) -> list[str]:
    """Run each attempt in its own thread and transaction, all at once; 'won' or the error."""
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
            except EXPECTED as exc:
                db.session.rollback()
                outcome = type(exc).__name__
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


@pytest.fixture
def racing_app(make_app: Any) -> Flask:
    # A connection per racing thread, as several gunicorn workers would have.
    app: Flask = make_app(DB_POOL_SIZE=THREADS + 2)
    return app


def count(statement: Any) -> int:
    db.session.expire_all()
    return int(db.session.scalar(statement) or 0)


@pytest.mark.postgres_only
def test_one_reset_link_redeemed_twenty_times_at_once_sets_one_password(
    racing_app: Flask,
) -> None:
    with racing_app.app_context():
        user = make_user(handle="lan-reset")
        db.session.commit()
        user_id, token = user.id, make_token(user, "reset")

    passwords = [f"new passphrase number {i:02d}" for i in range(THREADS)]
    outcomes = race(racing_app, [lambda p=p: accounts.reset_password(token, p) for p in passwords])

    assert outcomes.count("won") == 1, outcomes
    assert set(outcomes) == {"won", "TokenError"}
    with racing_app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        assert [p for p in passwords if verify_password(user.password_hash, p)] != []
        assert sum(verify_password(user.password_hash, p) for p in passwords) == 1


@pytest.mark.postgres_only
def test_twenty_approvals_at_once_log_once_and_send_one_welcome(racing_app: Flask) -> None:
    with racing_app.app_context():
        person = make_user(handle="pending-race", status=UserStatus.PENDING)
        moderators = [
            make_user(handle=f"mod-race-{i}", staff_role=StaffRole.MODERATOR)
            for i in range(THREADS)
        ]
        db.session.commit()
        person_id, email = person.id, person.email
        moderator_ids = [m.id for m in moderators]

    def approve(moderator_id: int) -> None:
        person = db.session.get(User, person_id)
        moderator = db.session.get(User, moderator_id)
        assert person is not None
        assert moderator is not None
        actions.approve(person=person, actor=moderator)

    outcomes = race(racing_app, [lambda m=m: approve(m) for m in moderator_ids])

    assert outcomes.count("won") == 1, outcomes
    assert set(outcomes) == {"won", "ModerationError"}
    with racing_app.app_context():
        approvals = select(func.count()).where(
            ModerationAction.kind == ActionKind.APPROVE, ModerationAction.subject_id == person_id
        )
        welcomes = select(func.count()).where(
            OutgoingEmail.to == email, OutgoingEmail.subject.contains("approved")
        )
        assert count(approvals) == 1
        assert count(welcomes) == 1


@pytest.mark.postgres_only
def test_two_moderators_resolving_one_report_log_it_once(racing_app: Flask) -> None:
    with racing_app.app_context():
        owner = make_user(handle="owner-race")
        reporter = make_user(handle="reporter-race")
        project = make_project(owner)
        make_report(reporter, target_id=project.id, subject=owner)
        moderators = [
            make_user(handle=f"mod-report-{i}", staff_role=StaffRole.MODERATOR) for i in range(2)
        ]
        db.session.commit()
        project_id, moderator_ids = project.id, [m.id for m in moderators]
        reporter_email = reporter.email

    def resolve(moderator_id: int) -> None:
        moderator = db.session.get(User, moderator_id)
        assert moderator is not None
        actions.resolve_reports(
            target_type="project", target_id=project_id, actor=moderator, reason="Spam."
        )

    # Twice two moderators: the race is short, so give it more than one chance to show.
    outcomes = race(racing_app, [lambda m=m: resolve(m) for m in moderator_ids * 10])

    assert outcomes.count("won") == 1, outcomes
    with racing_app.app_context():
        logged = select(func.count()).where(
            ModerationAction.kind == ActionKind.RESOLVE_REPORT,
            ModerationAction.target_id == project_id,
        )
        told = select(func.count()).where(OutgoingEmail.to == reporter_email)
        assert count(logged) == 1
        assert count(told) == 1
        report = db.session.scalar(select(Report))
        assert report is not None
        assert report.status == ReportStatus.RESOLVED


@pytest.mark.postgres_only
def test_twenty_hides_at_once_log_once_and_tell_the_owner_once(racing_app: Flask) -> None:
    with racing_app.app_context():
        owner = make_user(handle="owner-hide")
        project = make_project(owner)
        moderators = [
            make_user(handle=f"mod-hide-{i}", staff_role=StaffRole.MODERATOR)
            for i in range(THREADS)
        ]
        db.session.commit()
        project_id, owner_email = project.id, owner.email
        moderator_ids = [m.id for m in moderators]

    def hide(moderator_id: int) -> None:

        target = targets.get("project")
        assert target is not None
        moderator = db.session.get(User, moderator_id)
        assert moderator is not None
        actions.hide_content(
            target=target, obj=target.load(project_id), actor=moderator, reason="Spam."
        )

    outcomes = race(racing_app, [lambda m=m: hide(m) for m in moderator_ids])

    assert outcomes.count("won") == 1, outcomes
    with racing_app.app_context():
        hides = select(func.count()).where(
            ModerationAction.kind == ActionKind.HIDE, ModerationAction.target_id == project_id
        )
        assert count(hides) == 1
        assert count(select(func.count()).where(OutgoingEmail.to == owner_email)) == 1


def test_a_stale_approval_finds_the_person_approved_on_any_database(make_app: Any) -> None:
    """Two requests that both read "pending": the second to write loses (SQLite too)."""
    app: Flask = make_app()
    with app.app_context():
        person = make_user(handle="pending-stale", status=UserStatus.PENDING)
        first_mod = make_user(handle="mod-first", staff_role=StaffRole.MODERATOR)
        second_mod = make_user(handle="mod-second", staff_role=StaffRole.MODERATOR)
        db.session.commit()
        ids = person.id, first_mod.id, second_mod.id

    with app.app_context():
        late_person, late_mod = db.session.get(User, ids[0]), db.session.get(User, ids[2])
        assert late_person is not None
        assert late_mod is not None
        assert late_person.status == UserStatus.PENDING  # read before the other approves
        with app.app_context():
            early_person, early_mod = db.session.get(User, ids[0]), db.session.get(User, ids[1])
            assert early_person is not None
            assert early_mod is not None
            actions.approve(person=early_person, actor=early_mod)
            db.session.commit()
        with pytest.raises(actions.ModerationError, match="Only pending or rejected"):
            actions.approve(person=late_person, actor=late_mod)
        db.session.rollback()
        approvals = select(func.count()).where(ModerationAction.kind == ActionKind.APPROVE)
        assert count(approvals) == 1


@pytest.mark.postgres_only
def test_twenty_notify_clicks_tell_each_applicant_once(racing_app: Flask) -> None:
    with racing_app.app_context():
        organiser = make_user(handle="centre-race", account_type=AccountType.ORGANISER)
        call = make_call(owner=organiser)
        applicants = [make_user(handle=f"applicant-race-{i}") for i in range(3)]
        for applicant in applicants:
            make_submission(call=call, applicant=applicant, decision=Decision.ACCEPTED)
        db.session.commit()
        call_id, organiser_id = call.id, organiser.id
        emails = [a.email for a in applicants]

    def notify() -> None:
        call = db.session.get(OpenCall, call_id)
        actor = db.session.get(User, organiser_id)
        assert call is not None
        assert actor is not None
        calls.notify_applicants(call, actor=actor)

    outcomes = race(racing_app, [notify] * THREADS)

    assert "crash" not in " ".join(outcomes), outcomes
    with racing_app.app_context():
        for email in emails:
            told = select(func.count()).where(OutgoingEmail.to == email)
            assert count(told) == 1, email


@pytest.mark.postgres_only
def test_twenty_submit_clicks_make_one_application_and_one_confirmation(
    racing_app: Flask,
) -> None:
    with racing_app.app_context():
        organiser = make_user(handle="centre-submit", account_type=AccountType.ORGANISER)
        call = make_call(owner=organiser)
        applicant = make_user(handle="applicant-submit")
        project = make_call_project(owner=applicant)
        db.session.commit()
        call_id, applicant_id, project_id = call.id, applicant.id, project.id
        email = applicant.email
    seen: list[SubmissionStatus] = []

    def submit() -> None:
        call = db.session.get(OpenCall, call_id)
        applicant = db.session.get(User, applicant_id)
        assert call is not None
        assert applicant is not None
        saved = calls.save_submission(
            call,
            applicant=applicant,
            statement="Tôi muốn tham gia.",
            answers={},
            project_ids=[project_id],
            submit=True,
        )
        seen.append(saved.status)  # what the click's message says (read before the commit)

    outcomes = race(racing_app, [submit] * THREADS)

    assert "crash" not in " ".join(outcomes), outcomes
    with racing_app.app_context():
        applications = select(func.count()).select_from(Submission)
        assert count(applications) == 1
        assert count(select(func.count()).where(OutgoingEmail.to == email)) == 1
    # Every click that went through is told the application is submitted, the winner's and
    # the ones that found it submitted by a simultaneous click alike.
    assert seen
    assert set(seen) == {SubmissionStatus.SUBMITTED}


def test_twenty_bulk_decisions_at_once_change_each_application_once(racing_app: Flask) -> None:
    with racing_app.app_context():
        organiser = make_user(handle="centre-bulk", account_type=AccountType.ORGANISER)
        call = make_call(owner=organiser)
        ids = [
            make_submission(call=call, applicant=make_user(handle=f"bulk-race-{i}")).id
            for i in range(3)
        ]
        db.session.commit()
        call_id, organiser_id = call.id, organiser.id
    changed: list[int] = []
    lock = threading.Lock()

    def bulk() -> None:
        call = db.session.get(OpenCall, call_id)
        actor = db.session.get(User, organiser_id)
        assert call is not None
        assert actor is not None
        try:
            outcome = calls.decide_many(call, ids, actor=actor, decision=Decision.ACCEPTED)
        except calls.CallError:
            db.session.rollback()
            return
        with lock:
            changed.append(outcome.changed)

    outcomes = race(racing_app, [bulk] * THREADS)

    assert "crash" not in " ".join(outcomes), outcomes
    assert sum(changed) == 3  # each application changed by one post, whole or not at all
    with racing_app.app_context():
        decided = select(func.count()).where(Submission.decision == Decision.ACCEPTED)
        assert count(decided) == 3

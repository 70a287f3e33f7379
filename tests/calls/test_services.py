from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import AccountType, User, UserStatus
from app.calls import services
from app.calls.models import CallStatus, Decision, OpenCall, Submission, SubmissionStatus
from app.db_types import utcnow
from app.extensions import db
from app.mail.models import OutgoingEmail
from app.markdown import render_markdown
from app.profiles.models import DesignerProfile
from tests.calls.factories import (
    make_call,
    make_juror,
    make_project,
    make_submission,
)
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _request(app: Flask) -> Iterator[None]:
    # Emails render with the site's templates, which read the request.
    with app.test_request_context():
        yield


HCM_2359 = datetime(2025, 6, 30, 16, 59, tzinfo=UTC)  # 23:59 in Asia/Ho_Chi_Minh (UTC+7)


def test_local_deadline_is_stored_in_utc() -> None:
    assert services.local_to_utc(date(2025, 6, 30), time(23, 59), "Asia/Ho_Chi_Minh") == HCM_2359


@pytest.mark.parametrize(
    ("now", "accepted"),
    [
        (datetime(2025, 6, 30, 16, 58, 0, tzinfo=UTC), True),
        (datetime(2025, 6, 30, 16, 59, 59, tzinfo=UTC), True),
        (datetime(2025, 6, 30, 17, 0, 0, tzinfo=UTC), False),
        (datetime(2025, 7, 1, 2, 0, tzinfo=UTC), False),
    ],
)
@pytest.mark.usefixtures("app")
def test_deadline_edge_judged_in_utc(
    organiser: User, designer: User, now: datetime, accepted: bool
) -> None:
    call = make_call(owner=organiser, deadline_at=HCM_2359)
    project = make_project(owner=designer)
    with time_machine.travel(now, tick=False):
        if accepted:
            saved = services.save_submission(
                call,
                applicant=designer,
                statement="Hello",
                answers={},
                project_ids=[project.id],
                submit=True,
            )
            assert saved.status == SubmissionStatus.SUBMITTED
        else:
            with pytest.raises(services.CallError, match="closed"):
                services.save_submission(
                    call,
                    applicant=designer,
                    statement="Hello",
                    answers={},
                    project_ids=[project.id],
                    submit=True,
                )
            assert call.state() == CallStatus.CLOSED


def _born(user: User, birth: date | None, country: str = "VN") -> None:
    profile = db.session.scalar(select(DesignerProfile).where(DesignerProfile.user_id == user.id))
    assert profile is not None
    profile.birth_date = birth
    profile.country = country
    db.session.flush()


@pytest.mark.usefixtures("app")
def test_turning_35_on_the_deadline_day_is_too_old_for_under_35(
    organiser: User, designer: User
) -> None:
    # The deadline day is 30 June in Hà Nội even though it is still the 30th in UTC too.
    call = make_call(owner=organiser, deadline_at=HCM_2359, max_age=34)
    _born(designer, date(1990, 6, 30))
    verdict = services.eligibility(call, services.profile_of(designer))
    assert verdict.reasons == ["too_old"]
    assert verdict.age == 35
    _born(designer, date(1990, 7, 1))
    assert services.eligibility(call, services.profile_of(designer)).ok


@pytest.mark.usefixtures("app")
def test_deadline_day_is_the_calls_local_day(organiser: User, designer: User) -> None:
    # 23:30 on 30 June in UTC is already 1 July in Hà Nội: ages are judged on 1 July.
    call = make_call(
        owner=organiser, deadline_at=datetime(2025, 6, 30, 23, 30, tzinfo=UTC), max_age=34
    )
    _born(designer, date(1990, 7, 1))
    assert services.eligibility(call, services.profile_of(designer)).reasons == ["too_old"]


@pytest.mark.usefixtures("app")
def test_eligibility_explains_missing_birth_date_and_country(
    organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, max_age=30, allowed_countries=["TH", "LA"])
    _born(designer, None, country="VN")
    assert services.eligibility(call, services.profile_of(designer)).reasons == [
        "birth_date_missing",
        "country",
    ]


@pytest.mark.usefixtures("app")
def test_state_transitions_and_forbidden_ones(organiser: User) -> None:
    call = make_call(owner=organiser, status=CallStatus.DRAFT)
    with pytest.raises(services.CallError):
        services.close_call(call, actor=organiser)
    with pytest.raises(services.CallError):
        services.archive_call(call, actor=organiser)
    services.publish_call(call, actor=organiser)
    assert call.state() == CallStatus.PUBLISHED
    with pytest.raises(services.CallError):
        services.publish_call(call, actor=organiser)
    with pytest.raises(services.CallError):
        services.archive_call(call, actor=organiser)
    services.close_call(call, actor=organiser)
    assert call.state() == CallStatus.CLOSED
    with pytest.raises(services.CallError):
        services.close_call(call, actor=organiser)
    services.archive_call(call, actor=organiser)
    assert call.state() == CallStatus.ARCHIVED
    for action in (services.publish_call, services.close_call, services.archive_call):
        with pytest.raises(services.CallError):
            action(call, actor=organiser)


@pytest.mark.usefixtures("app")
def test_the_clock_closes_a_published_call(organiser: User) -> None:
    call = make_call(owner=organiser, deadline_at=utcnow() + timedelta(hours=1))
    assert call.is_open()
    with time_machine.travel(utcnow() + timedelta(hours=2)):
        assert call.state() == CallStatus.CLOSED
        assert not call.is_open()
        services.archive_call(call, actor=organiser)
    assert call.status == CallStatus.ARCHIVED


@pytest.mark.usefixtures("app")
def test_unverified_organiser_cannot_publish() -> None:
    pending = make_user(account_type=AccountType.ORGANISER, status=UserStatus.PENDING)
    call = make_call(owner=pending, status=CallStatus.DRAFT)
    with pytest.raises(services.CallError, match="verified"):
        services.publish_call(call, actor=pending)


@pytest.mark.usefixtures("app")
def test_publishing_with_a_past_deadline_is_refused(organiser: User) -> None:
    call = make_call(
        owner=organiser, status=CallStatus.DRAFT, deadline_at=utcnow() - timedelta(days=1)
    )
    with pytest.raises(services.CallError, match="deadline"):
        services.publish_call(call, actor=organiser)


def _data(call: OpenCall, deadline: datetime) -> services.CallData:
    return services.CallData(
        kind=call.kind,
        title=call.title,
        summary=call.summary,
        description=call.description,
        timezone=call.timezone,
        deadline_at=deadline,
    )


@pytest.mark.usefixtures("app")
def test_deadline_extends_but_never_shortens_once_people_applied(
    organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser)
    original = call.deadline_at
    services.update_call(call, actor=organiser, data=_data(call, original - timedelta(days=2)))
    assert call.deadline_at == original - timedelta(days=2)
    make_submission(call=call, applicant=designer)
    with pytest.raises(services.CallError, match="extended, not shortened"):
        services.update_call(call, actor=organiser, data=_data(call, original - timedelta(days=3)))
    services.update_call(call, actor=organiser, data=_data(call, original + timedelta(days=7)))
    assert call.deadline_at == original + timedelta(days=7)


@pytest.mark.usefixtures("app")
def test_one_submission_per_designer_per_call_is_a_database_rule(
    organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser)
    db.session.add(Submission(call_id=call.id, applicant_id=designer.id))
    db.session.flush()
    db.session.add(Submission(call_id=call.id, applicant_id=designer.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.usefixtures("app")
def test_saving_twice_edits_the_same_application(organiser: User, designer: User) -> None:
    call = make_call(owner=organiser)
    project = make_project(owner=designer)
    for _ in range(2):
        services.save_submission(
            call,
            applicant=designer,
            statement="x",
            answers={},
            project_ids=[project.id],
            submit=True,
        )
    count = db.session.scalar(select(db.func.count(Submission.id)))
    assert count == 1


@pytest.mark.usefixtures("app")
def test_only_own_published_projects_can_be_attached(organiser: User, designer: User) -> None:
    call = make_call(owner=organiser, max_projects=1)
    someone = make_user()
    theirs = make_project(owner=someone)
    draft = make_project(owner=designer, is_published=False)
    mine = [make_project(owner=designer), make_project(owner=designer)]
    for ids in ([theirs.id], [draft.id], [p.id for p in mine]):
        with pytest.raises(services.CallError):
            services.save_submission(
                call, applicant=designer, statement="", answers={}, project_ids=ids, submit=True
            )


@pytest.mark.usefixtures("app")
def test_conflict_recuses_the_juror(organiser: User, designer: User) -> None:
    call = make_call(owner=organiser)
    juror = make_user()
    make_juror(call=call, user=juror)
    submission = make_submission(call=call, applicant=designer)
    services.declare_conflict(submission, juror=juror)
    with pytest.raises(services.CallError, match="conflict"):
        services.save_review(submission, juror=juror, score=5, comment="")


@pytest.mark.usefixtures("app")
def test_reviews_close_once_decided(organiser: User, designer: User) -> None:
    call = make_call(owner=organiser)
    juror = make_user()
    submission = make_submission(call=call, applicant=designer)
    services.save_review(submission, juror=juror, score=3, comment="ok")
    services.save_review(submission, juror=juror, score=4, comment="better")
    services.decide(submission, actor=organiser, decision=Decision.ACCEPTED)
    with pytest.raises(services.CallError, match="decided"):
        services.save_review(submission, juror=juror, score=5, comment="")


@pytest.mark.usefixtures("app", "outbox")
def test_notify_sends_each_decision_once(organiser: User, designer: User) -> None:
    call = make_call(owner=organiser, title="Hanoi Creative Design Festival 2025")
    accepted = make_submission(call=call, applicant=designer)
    declined = make_submission(call=call, applicant=make_user())
    services.decide(accepted, actor=organiser, decision=Decision.ACCEPTED, message="Bravo!")
    services.decide(declined, actor=organiser, decision=Decision.DECLINED)
    assert services.notify_applicants(call, actor=organiser) == 2
    assert services.notify_applicants(call, actor=organiser) == 0
    db.session.commit()
    emails = db.session.scalars(select(OutgoingEmail)).all()
    assert len(emails) == 2
    body = next(e.text_body for e in emails if e.to == designer.email)
    assert "accepted" in body
    assert "Bravo!" in body
    with pytest.raises(services.CallError):
        services.decide(accepted, actor=organiser, decision=Decision.DECLINED)


@pytest.mark.usefixtures("app")
def test_accepted_result_becomes_a_credit_the_designer_can_hide(
    organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Vietnam Design Week")
    submission = make_submission(call=call, applicant=designer)
    services.decide(submission, actor=organiser, decision=Decision.ACCEPTED)
    assert services.credits_for(designer) == []  # not before the applicant is told
    services.notify_applicants(call, actor=organiser)
    credits = services.credits_for(designer)
    assert [c.text for c in credits] == [f"Selected — Vietnam Design Week, {utcnow().year}"]
    assert credits[0].url == f"/calls/{call.slug}"
    services.set_credit_hidden(submission, actor=designer, hidden=True)
    assert services.credits_for(designer) == []


@pytest.mark.usefixtures("app")
def test_reminders_48_hours_before_once(organiser: User, designer: User) -> None:
    soon = make_call(owner=organiser, deadline_at=utcnow() + timedelta(hours=47))
    later = make_call(owner=organiser, deadline_at=utcnow() + timedelta(hours=72))
    make_submission(call=soon, applicant=designer, status=SubmissionStatus.DRAFT)
    make_submission(call=later, applicant=designer, status=SubmissionStatus.DRAFT)
    make_submission(call=soon, applicant=make_user(), status=SubmissionStatus.SUBMITTED)
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    email = db.session.scalars(select(OutgoingEmail)).one()
    assert email.to == designer.email
    assert "still a draft" in email.subject


def test_reminder_command_is_idempotent(app: Flask, organiser: User, designer: User) -> None:
    call = make_call(owner=organiser, deadline_at=utcnow() + timedelta(hours=30))
    make_submission(call=call, applicant=designer, status=SubmissionStatus.DRAFT)
    db.session.commit()
    runner = app.test_cli_runner()
    assert "1 reminder" in runner.invoke(args=["calls", "send-reminders"]).output
    assert "0 reminder" in runner.invoke(args=["calls", "send-reminders"]).output


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Hà Nội", "Hà Nội"),
    ],
)
def test_csv_cells_are_safe_from_formulas(value: str, cell: str) -> None:
    assert services.csv_safe(value) == cell


def test_markdown_is_sanitised() -> None:
    html = str(
        render_markdown(
            "**Hi** <script>alert(1)</script> ![x](https://evil.example/a.png) [l](https://a.example)"
        )
    )
    assert "<strong>Hi</strong>" in html
    assert "<script" not in html
    assert "<img" not in html
    assert 'rel="nofollow noopener"' in html

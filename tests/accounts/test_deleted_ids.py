"""Things keyed on ids outlive their rows: a deleted account's rows must not haunt the next ones."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.accounts.models import User
from app.calls import services as calls
from app.calls.models import Decision, Submission
from app.extensions import db
from app.mail.models import OutgoingEmail
from app.moderation.models import Report
from tests.calls.factories import make_call
from tests.conftest import Client
from tests.factories import PASSWORD, make_user
from tests.moderation.factories import make_project, make_report


def _emails_to(address: str) -> list[OutgoingEmail]:
    return list(
        db.session.scalars(
            select(OutgoingEmail).where(OutgoingEmail.to == address).order_by(OutgoingEmail.id)
        )
    )


def _delete_account(app: Flask, user: User) -> None:
    client: Client = app.test_client()  # type: ignore[assignment]
    client.login_as(user)
    response = client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()


def _apply(call_id: int, person: User) -> Submission:
    call = db.session.get(calls.OpenCall, call_id)
    assert call is not None
    project = make_project(person)
    return calls.save_submission(
        call,
        applicant=person,
        statement="Bộ sưu tập gốm Bát Tràng.",
        answers={},
        project_ids=[project.id],
        submit=True,
    )


def test_the_next_applicant_after_a_deleted_account_gets_received_and_decision_emails(
    client: Client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Hanoi Creative Design Festival")
    first = _apply(call.id, designer)
    db.session.commit()
    first_id, call_id = first.id, call.id
    assert [e.subject for e in _emails_to(designer.email)] == [
        "Your application to “Hanoi Creative Design Festival” was received"
    ]
    _delete_account(client.application, designer)
    assert db.session.get(Submission, first_id) is None

    newcomer = make_user(handle="lan-pham", display_name="Phạm Ngọc Lan", city="Hà Nội")
    second = _apply(call_id, newcomer)
    db.session.commit()
    assert second.id != first_id  # a new row never takes a deleted row's id

    received = _emails_to(newcomer.email)
    assert [e.subject for e in received] == [
        "Your application to “Hanoi Creative Design Festival” was received"
    ]
    assert "Phạm Ngọc Lan" in received[0].text_body
    owner = db.session.get(User, organiser.id)
    assert owner is not None
    calls.decide(second, actor=owner, decision=Decision.ACCEPTED, message="Chúc mừng!")
    assert calls.notify_applicants(second.call, actor=owner) == 1
    db.session.commit()
    decision = _emails_to(newcomer.email)[-1]
    assert "accepted" in decision.text_body
    assert "Chúc mừng!" in decision.text_body


def test_a_new_project_is_not_already_reported_with_a_deleted_ones_report(
    client: Client, designer: User
) -> None:
    reporter = make_user(handle="careful-reader")
    old = make_project(designer, title="Áp phích bị báo cáo")
    make_report(reporter, target_id=old.id, subject=designer, snapshot="Áp phích bị báo cáo")
    db.session.commit()
    old_id = old.id
    _delete_account(client.application, designer)

    newcomer = make_user(handle="lan-pham", display_name="Phạm Ngọc Lan")
    fresh = make_project(newcomer, title="Đèn lồng Hội An")
    db.session.commit()
    assert fresh.id != old_id

    client.login_as(reporter)
    page = client.get(f"/report/project/{fresh.id}").get_data(as_text=True)
    assert "Đèn lồng Hội An" in page
    response = client.post_form(
        f"/report/project/{fresh.id}", {"reason": "spam", "details": "Lặp lại."}
    )
    assert response.status_code == 302
    home = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You already reported this" not in home
    assert "Thank you. The moderators will look at it" in home
    # The old report stays, with its evidence, about something that no longer exists.
    old_report = db.session.scalar(select(Report).where(Report.target_id == old_id))
    assert old_report is not None
    assert old_report.snapshot == "Áp phích bị báo cáo"


def test_reports_on_a_deleted_project_stay_with_their_evidence_and_can_be_closed(
    client: Client, designer: User, moderator: User
) -> None:
    reporter = make_user(handle="careful-reader")
    project = make_project(designer, title="Áp phích sao chép")
    make_report(
        reporter,
        target_id=project.id,
        subject=designer,
        snapshot="Áp phích sao chép\n\nCopied from a famous poster.",
    )
    db.session.commit()
    project_id = project.id
    _delete_account(client.application, designer)

    client.login_as(moderator)
    queue = client.get("/moderation/reports").get_data(as_text=True)
    assert "Áp phích sao chép" in queue
    assert "deleted" in queue
    page = client.get(f"/moderation/targets/project/{project_id}").get_data(as_text=True)
    assert "Deleted since it was reported" in page
    assert "Copied from a famous poster." in page
    assert "a former member" in page
    assert "@mai-nguyen" not in page
    assert "Hide from the public" not in page
    response = client.post_form(
        f"/moderation/targets/project/{project_id}/dismiss", {"dismiss-reason": ""}
    )
    assert response.status_code == 302
    assert "No open reports." in client.get("/moderation/reports").get_data(as_text=True)
    report = db.session.scalar(select(Report).where(Report.target_id == project_id))
    assert report is not None
    assert report.status == "dismissed"
    assert "Copied from a famous poster." in report.snapshot
    told = db.session.scalar(
        select(OutgoingEmail.subject).where(OutgoingEmail.to == reporter.email)
    )
    assert told == "Your report was handled"

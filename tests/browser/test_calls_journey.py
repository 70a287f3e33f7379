"""Journeys 4–6: an organiser publishes a call, a designer applies with two projects, a juror
scores, the organiser accepts and notifies, the designer sees "accepted"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from app.accounts.models import AccountType
from app.db_types import utcnow
from app.extensions import db
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.mailbox import Mail
from tests.calls.factories import make_project
from tests.factories import PASSWORD, make_user


def log_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_call_from_publishing_to_acceptance(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    base = live_server.url
    with live_app.app_context():
        make_user(
            handle="hcdc",
            email="hcdc@example.org",
            display_name="Nguyễn Hồng Quân",
            account_type=AccountType.ORGANISER,
            organisation="Trung tâm Thiết kế Sáng tạo Hà Nội",
        )
        designer = make_user(
            handle="mai-nguyen", email="mai@example.org", display_name="Nguyễn Thị Mai"
        )
        make_project(owner=designer, title="Bộ poster Hồ Gươm", year=2024)
        make_project(owner=designer, title="Đèn lồng tre cho phố cổ", year=2023)
        make_user(handle="juror-lan", email="lan@example.org", display_name="Đặng Ngọc Lan")
        db.session.commit()
    deadline = (utcnow() + timedelta(days=12)).date().isoformat()

    organiser = page_factory()
    log_in(organiser, base, "hcdc@example.org")
    organiser.goto(base + "/calls/new")
    organiser.get_by_label("Kind").select_option("festival")
    organiser.get_by_label("Title", exact=True).fill("Young Designers Showcase 2025")
    organiser.get_by_label("Summary").fill(
        "Show one project at the Hanoi Creative Design Festival."
    )
    organiser.get_by_label("Description").fill("We look for **work rooted in Hà Nội**.")
    organiser.get_by_label("Deadline day", exact=True).fill(deadline)
    screenshot(organiser, "calls-new")
    organiser.get_by_role("button", name="Save as draft").click()
    organiser.get_by_text("Your call is saved as a draft").wait_for()
    organiser.get_by_label("Handle or email").fill("juror-lan")
    organiser.get_by_role("button", name="Invite to the jury").click()
    organiser.get_by_text("Đặng Ngọc Lan is invited to the jury.").wait_for()
    organiser.get_by_role("button", name="Publish").click()
    organiser.get_by_text("The call is published.").wait_for()
    screenshot(organiser, "calls-manage")

    applicant = page_factory()
    log_in(applicant, base, "mai@example.org")
    applicant.goto(base + "/calls")
    screenshot(applicant, "calls-list")
    applicant.get_by_role("link", name="Young Designers Showcase 2025").click()
    applicant.get_by_text("You are eligible").wait_for()
    screenshot(applicant, "calls-detail")
    applicant.get_by_role("link", name="Apply", exact=True).click()
    applicant.get_by_label("Statement").fill("Tôi muốn kể câu chuyện về Hồ Gươm bằng poster.")
    applicant.get_by_label("Bộ poster Hồ Gươm").check()
    applicant.get_by_label("Đèn lồng tre cho phố cổ").check()
    applicant.get_by_label(
        "If my work is selected, show it on the call's public results page"
    ).check()
    applicant.get_by_role("button", name="Submit my application").click()
    applicant.get_by_text("Your application is submitted").wait_for()
    screenshot(applicant, "calls-applied")

    juror = page_factory()
    log_in(juror, base, "lan@example.org")
    juror.goto(base + "/submissions")  # the old address (in emails already sent): their home
    # Only an accepted invitation opens the applications: the home lists the one waiting.
    juror.get_by_role("link", name="Jury of “Young Designers Showcase 2025”").click()
    screenshot(juror, "calls-jury-invitation")
    juror.get_by_role("button", name="Accept the invitation").click()
    juror.get_by_text("Welcome to the jury of").wait_for()
    juror.get_by_role("link", name="Nguyễn Thị Mai").click()
    juror.get_by_label("4", exact=True).check()
    juror.get_by_label("Overall comment").fill("Strong local story, confident typography.")
    juror.get_by_role("button", name="Save my review").click()
    juror.get_by_text("Your review was saved.").wait_for()
    screenshot(juror, "calls-review")

    organiser.goto(base + "/calls")
    organiser.get_by_role("link", name="Young Designers Showcase 2025").click()
    organiser.get_by_role("link", name="Manage this call").click()
    organiser.get_by_role("link", name="Submissions").click()
    organiser.get_by_role("link", name="Nguyễn Thị Mai").click()
    organiser.get_by_text("Strong local story, confident typography.", exact=True).wait_for()
    organiser.get_by_role("combobox", name="Decision").select_option("accepted")
    organiser.get_by_label("Message to the applicant (optional)").fill("Congratulations, Mai!")
    organiser.get_by_label("Prize or mention (optional)").fill("Giải Nhất")
    organiser.get_by_role("button", name="Save the decision").click()
    organiser.get_by_text("The decision was saved").wait_for()
    screenshot(organiser, "calls-submissions")
    organiser.get_by_role("link", name="Preview the emails").click()
    organiser.get_by_text("Congratulations, Mai!").wait_for()
    screenshot(organiser, "calls-decision-preview")
    organiser.go_back()
    organiser.get_by_role("button", name="Notify applicants").click()
    organiser.get_by_text("1 applicant was notified.").wait_for()
    organiser.get_by_role("button", name="Notify applicants").click()
    organiser.get_by_text("Nobody was waiting for a decision email.").wait_for()

    mail = Mail(live_app)
    mail.one("mai@example.org", "A decision on your application")
    assert len([m for m in mail.outbox if "decision" in m["Subject"]]) == 1

    applicant.goto(base + "/me/applications")
    applicant.get_by_text("Accepted").wait_for()
    applicant.get_by_text("Selected — Young Designers Showcase 2025").wait_for()
    screenshot(applicant, "calls-my-submissions")

    # The results page: reached from the call page, Mai's work with its prize.
    visitor = page_factory()
    visitor.goto(base + "/calls")
    visitor.get_by_role("link", name="Young Designers Showcase 2025").click()
    visitor.get_by_role("link", name="See the results: the selected works").click()
    visitor.get_by_role("link", name="Nguyễn Thị Mai").wait_for()
    visitor.get_by_text("Giải Nhất").wait_for()
    visitor.get_by_role("link", name="Bộ poster Hồ Gươm").wait_for()
    screenshot(visitor, "calls-results")

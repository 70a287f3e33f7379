"""A juror invited by email who has no account: the organiser types the address, the person
follows the emailed link, signs up (the address is taken from the link and confirmed by it),
lands in the jury and scores an application while their own profile still waits for approval.
The organiser hears of the answer; a moderator finds the seat in "Jury by invitation".

Moves by the links and buttons a person sees; `page.goto` only for `/` and for links read from
emails (a person's mail client).
"""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import expect

from app.accounts.models import AccountType, StaffRole
from app.extensions import db
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.test_accessibility import describe, run_axe
from tests.browser.test_whole_story import Mail, flash, log_in, nav
from tests.calls.factories import make_call, make_submission
from tests.factories import make_user

CALL = "Tuần lễ Thiết kế Sáng tạo Hà Nội 2026"
ADDRESS = "khach.moi@example.org"


def cast(app: Flask) -> None:
    with app.app_context():
        organiser = make_user(
            handle="hcdc",
            email="hcdc@example.org",
            display_name="Nguyễn Hồng Quân",
            account_type=AccountType.ORGANISER,
            organisation="Trung tâm Thiết kế Sáng tạo Hà Nội",
        )
        call = make_call(owner=organiser, title=CALL, blind_review=False)
        applicant = make_user(
            handle="mai-nguyen", email="mai@example.org", display_name="Nguyễn Thị Mai"
        )
        make_submission(call=call, applicant=applicant, statement="Hồ Gươm bằng poster.")
        make_user(
            handle="mod-khang",
            email="khang@example.org",
            display_name="Phạm Minh Khang",
            staff_role=StaffRole.MODERATOR,
        )
        db.session.commit()


def accessible(page: Any, axe: Axe) -> None:
    """The pages only an emailed link opens are outside the site-wide sweep: axe here."""
    violations = run_axe(page, axe)
    assert not violations, page.url + "\n" + "\n".join(describe(v) for v in violations)


def test_a_juror_invited_by_email_signs_up_from_the_link_and_scores(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    base = live_server.url
    mail = Mail(live_app)
    axe = Axe()
    cast(live_app)

    # The organiser invites an address that has no account.
    quan = page_factory()
    log_in(quan, base, "hcdc@example.org")
    nav(quan, "Calls")
    quan.get_by_role("link", name=CALL).first.click()
    quan.get_by_role("link", name="Manage this call").click()
    quan.get_by_label("Handle or email").fill("Khach.Moi@Example.org")
    quan.get_by_role("button", name="Invite to the jury").click()
    flash(quan, f"{ADDRESS} is invited to the jury.")
    jury = quan.locator("#jury")
    expect(jury.get_by_role("listitem").filter(has_text=ADDRESS)).to_contain_text("Invited")
    screenshot(quan, "jury-invited-by-email")

    # The person opens the email's link on a phone and joins from it.
    khach = page_factory(390)
    invitation = mail.one(ADDRESS, "An invitation to the jury of")
    assert CALL in str(invitation["Subject"])
    khach.goto(Mail.link(invitation, base))
    expect(khach.get_by_role("heading", name=CALL, level=1)).to_be_visible()
    screenshot(khach, "jury-invitation-link")
    accessible(khach, axe)
    khach.get_by_role("link", name="Join the network and the jury").click()
    expect(khach.get_by_label("Email")).to_have_value(ADDRESS)
    expect(khach.get_by_text("invites you to the jury of")).to_be_visible()
    screenshot(khach, "jury-invitation-signup")
    accessible(khach, axe)
    khach.get_by_label("A designer").check()
    khach.get_by_label("Your name").fill("Vũ Thị Khách Mời")
    khach.get_by_label("Handle").fill("khach-moi")
    khach.get_by_label("Password").fill("giấy dó và sơn mài 2026")
    khach.get_by_role("button", name="Create my account").click()

    # Straight into the jury: the address is confirmed, no verification email is needed.
    flash(khach, "Your address is confirmed and you are on the jury.")
    expect(khach.get_by_role("heading", name=CALL)).to_be_visible()
    assert not mail.to(ADDRESS, "Confirm your email address")
    khach.get_by_role("link", name="Nguyễn Thị Mai").click()
    khach.get_by_label("5", exact=True).check()
    khach.get_by_label("Overall comment").fill("Poster Hồ Gươm rất mạnh, màu sắc tự tin.")
    khach.get_by_role("button", name="Save my review").click()
    flash(khach, "Your review was saved.")
    screenshot(khach, "jury-invitation-scored")

    # The organiser is told, and sees the answer in the jury list.
    mail.one("hcdc@example.org", "An answer from your jury")
    quan.reload()
    expect(jury.get_by_role("listitem").filter(has_text="Vũ Thị Khách Mời")).to_contain_text(
        "Accepted"
    )

    # The link worked once.
    again = page_factory()
    again.goto(Mail.link(invitation, base))
    expect(again.get_by_text("the link works once")).to_be_visible()
    accessible(again, axe)

    # A moderator finds the seat an invitation approved, in the moderation area.
    khang = page_factory()
    log_in(khang, base, "khang@example.org")
    nav(khang, "Moderation")
    khang.get_by_role("link", name="Jury by invitation").click()
    expect(khang.get_by_role("link", name="Vũ Thị Khách Mời")).to_be_visible()
    screenshot(khang, "jury-approvals")

"""A contest judged in rounds: the organiser sets a weighted rubric and two jurors per
submission, assigns automatically; a juror scores each criterion; the organiser reads the
weighted averages, shortlists in bulk, writes the acceptance email (a hostile text refused
first), previews it and notifies; a visitor reaches the results from the call page.

Moves by the links and buttons a person sees; `page.goto` only for `/`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from playwright.sync_api import expect

from app.accounts.models import AccountType
from app.extensions import db
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.mailbox import Mail
from tests.browser.test_whole_story import flash, log_in, nav
from tests.calls.factories import make_call, make_juror, make_submission
from tests.factories import make_user

CALL = "Giải thưởng Thiết kế Trẻ Hà Nội 2026"
APPLICANTS = [
    ("mai-nguyen", "mai@example.org", "Nguyễn Thị Mai"),
    ("tuan-le", "tuan@example.org", "Lê Minh Tuấn"),
    ("hoa-pham", "hoa@example.org", "Phạm Thu Hoa"),
]
JURORS = [
    ("juror-lan", "lan@example.org", "Đặng Ngọc Lan"),
    ("juror-binh", "binh@example.org", "Trần Văn Bình"),
    ("juror-chi", "chi@example.org", "Hoàng Kim Chi"),
]


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
        for handle, email, name in APPLICANTS:
            person = make_user(handle=handle, email=email, display_name=name)
            make_submission(
                call=call,
                applicant=person,
                statement=f"{name}: một câu chuyện về phố cổ.",
                results_consent=True,
            )
        for handle, email, name in JURORS:
            make_juror(call=call, user=make_user(handle=handle, email=email, display_name=name))
        db.session.commit()


def manage(page: Any) -> None:
    """The call's manage page, from the navigation."""
    nav(page, "Calls")
    page.get_by_role("link", name=CALL).first.click()
    page.get_by_role("link", name="Manage this call").click()


def test_a_contest_in_weighted_rounds_from_rubric_to_results(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    base = live_server.url
    cast(live_app)

    # The organiser adds a round judged by two jurors a submission.
    quan = page_factory()
    log_in(quan, base, "hcdc@example.org")
    manage(quan)
    quan.get_by_role("link", name="Review rounds").click()
    quan.get_by_label("Name").fill("Vòng chung khảo")
    quan.get_by_label("A number of jurors per submission").check()
    quan.get_by_label("Jurors per submission", exact=True).fill("2")
    quan.get_by_role("button", name="Add the round").click()
    flash(quan, "The round was added: set its criteria, then open it.")

    # Three criteria adding up to 90 %: refused, the rows kept as typed.
    rubric = [("Ý tưởng", "40"), ("Thẩm mỹ", "30"), ("Tính ứng dụng", "20")]
    for number, (name, weight) in enumerate(rubric, start=1):
        quan.get_by_label(f"Criterion {number}", exact=True).fill(name)
        quan.get_by_label(f"Weight of criterion {number}", exact=True).fill(weight)
    quan.get_by_role("button", name="Save the criteria").click()
    expect(quan.get_by_role("alert")).to_contain_text("100")
    for number, (name, weight) in enumerate(rubric, start=1):
        expect(quan.get_by_label(f"Criterion {number}", exact=True)).to_have_value(name)
        expect(quan.get_by_label(f"Weight of criterion {number}", exact=True)).to_have_value(weight)
    screenshot(quan, "contest-criteria-refused")
    quan.get_by_label("Weight of criterion 3", exact=True).fill("30")
    quan.get_by_role("button", name="Save the criteria").click()
    flash(quan, "The criteria were saved.")

    # One round open at a time: the first closes, the new one opens with every application.
    quan.get_by_role("link", name="← Review rounds").click()
    quan.get_by_role("link", name="Round 1").click()
    quan.get_by_role("button", name="Close the round").click()
    flash(quan, "The round is closed")
    quan.get_by_role("link", name="← Review rounds").click()
    quan.get_by_role("link", name="Vòng chung khảo").click()
    quan.get_by_label("All submitted applications").check()
    quan.get_by_role("button", name="Open the round").click()
    flash(quan, "The round is open with 3 submissions.")
    # Opening assigned two jurors to each of the 3 submissions: 2 each for 3 jurors.
    progress = quan.get_by_role("region", name="Progress per juror")
    for _handle, _email, name in JURORS:
        expect(progress.get_by_role("row", name=f"{name} 2 0 0")).to_be_visible()
    # Assigning again adds nobody twice.
    quan.get_by_role("button", name="Assign automatically").click()
    flash(quan, "0 assignments added.")
    for _handle, _email, name in JURORS:
        expect(progress.get_by_role("row", name=f"{name} 2 0 0")).to_be_visible()
    screenshot(quan, "contest-round-assigned")

    # A juror goes from their home to the submissions assigned to them and scores one.
    lan = page_factory()
    log_in(lan, base, "lan@example.org")
    lan.goto(base + "/")
    nav(lan, "Home")
    jury = lan.locator("#jury")
    expect(jury).to_contain_text("2 wait for my score")
    jury.get_by_role("link", name=CALL).click()
    expect(lan.get_by_text("The submissions assigned to you in “Vòng chung khảo”.")).to_be_visible()
    rows = lan.locator("table tbody tr")
    expect(rows).to_have_count(2)
    scored = rows.first.get_by_role("link").first.inner_text()
    rows.first.get_by_role("link").first.click()
    for name, score in (("Ý tưởng", "5"), ("Thẩm mỹ", "4"), ("Tính ứng dụng", "3")):
        group = lan.get_by_role("radiogroup", name=f"Score for {name}")
        group.get_by_label(score, exact=True).check()
        lan.get_by_label(f"Comment on {name} (optional)").fill(f"{name}: rõ ràng.")
    lan.get_by_label("Overall comment").fill("Một câu chuyện mạnh về phố cổ.")
    lan.get_by_role("button", name="Save my review").click()
    flash(lan, "Your review was saved.")
    screenshot(lan, "contest-juror-scored")

    # The organiser sees the progress and the weighted average (0.4·5 + 0.3·4 + 0.3·3 = 4.10).
    quan.reload()
    expect(progress.get_by_role("row", name="Đặng Ngọc Lan 2 1 0")).to_be_visible()
    quan.get_by_role("link", name="Submissions in this round").first.click()
    table = quan.locator("table.submissions-table")
    expect(table.get_by_role("row").filter(has_text=scored)).to_contain_text("4.10")
    screenshot(quan, "contest-round-table")
    for _handle, _email, name in APPLICANTS[:2]:
        table.get_by_role("row").filter(has_text=name).get_by_role("checkbox").check()
    quan.get_by_label("Decision for the selected applications").select_option("shortlisted")
    quan.get_by_role("button", name="Apply to the selected").click()
    flash(quan, "2 applications are now “Shortlisted”.")
    quan.get_by_role("row").filter(has_text=APPLICANTS[0][2]).get_by_role("checkbox").check()
    quan.get_by_label("Decision for the selected applications").select_option("accepted")
    quan.get_by_role("button", name="Apply to the selected").click()
    flash(quan, "1 application is now “Accepted”.")

    # The acceptance email: a template injection refused, the text kept; then previewed, saved.
    quan.get_by_role("link", name="← Manage this call").click()
    quan.get_by_role("link", name="Decision emails").click()
    accepted = quan.locator("section", has=quan.get_by_role("heading", name="Accepted"))
    accepted.get_by_role("link", name="English").click()
    hostile = "Dear {name}, {{ config }}"
    quan.get_by_label("Email text").fill(hostile)
    quan.get_by_role("button", name="Save the text").click()
    expect(quan.get_by_role("alert")).to_contain_text("Template code such as “{{ … }}”")
    expect(quan.get_by_label("Email text")).to_have_value(hostile)
    screenshot(quan, "contest-email-refused")
    text = "Chúc mừng {name}! Your work is selected for {call}. See {link}"
    quan.get_by_label("Email text").fill(text)
    quan.get_by_role("button", name="Preview").click()
    preview = quan.locator(".email-preview")
    expect(preview).to_contain_text(f"Chúc mừng {APPLICANTS[0][2]}! Your work is selected")
    expect(preview).to_contain_text(CALL)
    screenshot(quan, "contest-email-preview")
    quan.get_by_role("button", name="Save the text").click()
    flash(quan, "The email text was saved.")

    quan.get_by_role("link", name="← Decision email texts").click()
    quan.get_by_role("link", name="Preview the emails waiting to be sent").click()
    expect(quan.get_by_text(f"Chúc mừng {APPLICANTS[0][2]}!")).to_be_visible()
    quan.get_by_role("link", name="← Submissions").click()
    expect(quan.get_by_text("1 decision waits to be sent.")).to_be_visible()
    quan.get_by_role("button", name="Notify applicants").click()
    flash(quan, "1 applicant was notified.")
    mail = Mail(live_app)
    message = mail.one(APPLICANTS[0][1], "A decision on your application")
    body = message.get_body(("plain",))
    assert body is not None
    assert f"Chúc mừng {APPLICANTS[0][2]}!" in body.get_content()

    # A visitor reaches the results from the call page.
    visitor = page_factory(390)
    visitor.goto(base + "/")
    nav(visitor, "Calls")
    visitor.get_by_role("link", name=CALL).first.click()
    visitor.get_by_role("link", name="See the results: the selected works").click()
    expect(visitor.get_by_role("link", name=APPLICANTS[0][2])).to_be_visible()
    expect(visitor.get_by_role("link", name=APPLICANTS[1][2])).to_have_count(0)
    screenshot(visitor, "contest-results")

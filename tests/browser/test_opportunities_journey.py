"""Opportunities that come to a designer: she saves a call from the list and finds it again
from her home, sets an alert (an empty one refused first, her choice kept), follows a designer
from his directory card and sees his newly published project in her feed; a moderator features
that project and a visitor finds it on the staff picks, from the home page.

Moves by the links and buttons a person sees; `page.goto` only for `/`.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from playwright.sync_api import expect

from app.accounts.models import AccountType, StaffRole
from app.extensions import db
from app.media.services import StoredImage
from demo.build import Picture
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.test_whole_story import flash, log_in, nav
from tests.calls.factories import make_call, make_project
from tests.factories import make_user

CALL = "Cuộc thi Áo dài đương đại 2026"
PROJECT = "Gốm Bát Tràng cho bàn ăn hôm nay"
MAI = "Nguyễn Thị Mai"
TUAN = "Lê Minh Tuấn"


def cast(app: Flask) -> None:
    with app.app_context():
        organiser = make_user(
            handle="hcdc",
            email="hcdc@example.org",
            display_name="Nguyễn Hồng Quân",
            account_type=AccountType.ORGANISER,
            organisation="Trung tâm Thiết kế Sáng tạo Hà Nội",
        )
        make_call(owner=organiser, title=CALL)
        make_user(handle="mai-nguyen", email="mai@example.org", display_name=MAI)
        tuan = make_user(handle="tuan-le", email="tuan@example.org", display_name=TUAN)
        make_project(owner=tuan, title="Đèn lồng tre cho phố cổ", year=2023)
        # A draft ready to publish: one described image (its rows; the files do not matter).
        make_project(
            owner=tuan,
            title=PROJECT,
            year=2026,
            is_published=False,
            pictures=[
                Picture(
                    StoredImage(key="test/bat-trang", width=1200, height=900, widths=[]),
                    alt="Bộ bát men lam trên bàn gỗ",
                )
            ],
        )
        make_user(
            handle="mod-khang",
            email="khang@example.org",
            display_name="Phạm Minh Khang",
            staff_role=StaffRole.MODERATOR,
        )
        db.session.commit()


def test_saved_calls_alerts_following_and_staff_picks(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    base = live_server.url
    cast(live_app)

    # Mai saves a call from the list; the button says it is saved.
    mai = page_factory(390)
    log_in(mai, base, "mai@example.org")
    nav(mai, "Calls")
    mai.get_by_role("button", name=re.compile(rf"^Save\W+{CALL}$")).click()
    flash(mai, f"Saved. We will remind you a week and 48 hours before “{CALL}” closes.")
    expect(mai.get_by_role("button", name=re.compile(rf"^Saved\W+{CALL}$"))).to_have_attribute(
        "aria-pressed", "true"
    )
    screenshot(mai, "opportunities-saved-on-list")

    # From her home: the saved call.
    nav(mai, "My home")
    mai.locator("#opportunities").get_by_role("link", name="Saved calls").click()
    expect(mai.get_by_role("link", name=CALL)).to_be_visible()
    screenshot(mai, "opportunities-saved")

    # An alert with nothing to look for is refused; her choice of frequency stays.
    mai.get_by_role("navigation", name="Calls that come to me").get_by_role(
        "link", name="Alerts"
    ).click()
    mai.get_by_label("Once a day, all the matching calls together").check()
    mai.get_by_role("button", name="Create the alert").click()
    expect(mai.get_by_role("alert")).to_be_visible()
    expect(mai.get_by_label("Once a day, all the matching calls together")).to_be_checked()
    screenshot(mai, "opportunities-alert-refused")
    mai.get_by_label("Kind of call").select_option(label="Competition")
    mai.get_by_label("No entry fee").check()
    mai.get_by_role("button", name="Create the alert").click()
    flash(mai, "Your alert is saved: new calls that match it will come to you.")
    expect(mai.get_by_role("main")).to_contain_text("No entry fee")
    screenshot(mai, "opportunities-alert-saved")

    # She follows Tuấn from his card in the directory.
    nav(mai, "Designers")
    mai.get_by_role("button", name=f"Follow {TUAN}").click()
    flash(mai, f"You follow {TUAN}: their new work and calls appear in your feed.")
    expect(mai.get_by_role("button", name=f"Unfollow {TUAN}")).to_be_visible()

    # Tuấn publishes his draft.
    tuan = page_factory()
    log_in(tuan, base, "tuan@example.org")
    nav(tuan, "My portfolio")
    tuan.get_by_role("link", name=PROJECT).first.click()
    tuan.get_by_role("button", name="Publish").click()
    flash(tuan, "Your project is published.")

    # It is in Mai's feed, reached from her home.
    nav(mai, "My home")
    mai.get_by_role("link", name="My feed").click()
    expect(mai.get_by_role("link", name=PROJECT)).to_be_visible()
    expect(mai.get_by_role("main")).to_contain_text(TUAN)
    screenshot(mai, "opportunities-feed")

    # A visitor's home page has no staff pick yet.
    visitor = page_factory()
    visitor.goto(base + "/")
    expect(visitor.get_by_role("heading", name="Staff picks")).to_have_count(0)

    # A moderator features the project from its page.
    khang = page_factory()
    log_in(khang, base, "khang@example.org")
    nav(khang, "Designers")
    khang.get_by_role("link", name=TUAN).first.click()
    khang.get_by_role("link", name=PROJECT).first.click()
    khang.get_by_role("link", name="Feature on the home page").click()
    khang.get_by_label("Why (shown with the pick, optional)").fill("Gốm truyền thống, dáng mới.")
    khang.get_by_role("button", name="Feature").click()
    flash(khang, "Featured: it appears on the home page for the period chosen.")

    # A visitor sees the pick on the home page and on the staff picks.
    visitor.get_by_role("link", name="Young Designers Network").click()
    picks = visitor.get_by_role("region", name="Staff picks")
    expect(picks.get_by_role("link", name=PROJECT)).to_be_visible()
    picks.get_by_role("link", name="All staff picks").click()
    expect(visitor.get_by_role("link", name=PROJECT)).to_be_visible()
    expect(visitor.get_by_text("Gốm truyền thống, dáng mới.")).to_be_visible()
    screenshot(visitor, "opportunities-featured")

"""Journey 8 (and the end of 1): a pending designer signs up, a moderator approves them from
the queue, the designer sees they are approved."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.accounts.models import StaffRole, UserStatus
from app.extensions import db
from app.moderation.models import ActionKind, ReportReason
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.test_join_journey import last_link
from tests.factories import PASSWORD, make_user
from tests.moderation.factories import make_action, make_project, make_report


def _world(app: Flask) -> None:
    with app.app_context():
        mod = make_user(
            handle="mod-khang",
            display_name="Phạm Minh Khang",
            email="moderator@example.org",
            staff_role=StaffRole.MODERATOR,
        )
        owner = make_user(handle="vu-bao", display_name="Vũ Quốc Bảo")
        project = make_project(owner, title="Áp phích Hà Nội 1990")
        for name in ("Đỗ Khánh Linh", "Hoàng Gia Huy"):
            make_report(
                make_user(display_name=name),
                target_id=project.id,
                subject=owner,
                reason=ReportReason.PLAGIARISM,
            )
        make_action(owner, kind=ActionKind.WARN, actor=mod)
        make_user(
            handle="bich-truong",
            display_name="Trương Thị Bích",
            status=UserStatus.PENDING,
            bio="Sinh viên năm cuối ngành thiết kế đồ hoạ.",
            city="Hà Nội",
            country="VN",
        )
        db.session.commit()


def test_a_moderator_approves_a_new_designer_from_the_queue(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    _world(live_app)

    designer = page_factory()
    designer.goto(live_server.url + "/auth/signup")
    designer.get_by_label("A designer").check()
    designer.get_by_label("Your name").fill("Nguyễn Văn An")
    designer.get_by_label("Handle").fill("nguyen-van-an")
    designer.get_by_label("Email").fill("an@example.org")
    designer.get_by_label("Password").fill("lacquer and silk 2019")
    designer.get_by_role("button", name="Create my account").click()
    designer.get_by_text("Your profile is waiting for a moderator").first.wait_for()
    # A confirmed address comes before approval.
    designer.goto(last_link(live_app, "an@example.org"))
    designer.get_by_role("button", name="Confirm my address").click()
    designer.get_by_text("your email address is confirmed").wait_for()

    mod = page_factory()
    mod.goto(live_server.url + "/auth/login")
    mod.get_by_label("Email").fill("moderator@example.org")
    mod.get_by_label("Password").fill(PASSWORD)
    mod.get_by_role("button", name="Log in").click()
    mod.get_by_role("link", name="Moderation").click()
    mod.get_by_role("heading", name="Moderation", level=1).wait_for()
    screenshot(mod, "moderation-dashboard")

    mod.get_by_role("link", name="Designers waiting for approval").click()
    card = mod.get_by_role("listitem").filter(has_text="Nguyễn Văn An")
    card.get_by_text("Reject…").click()  # the reject form unfolds: a second look
    screenshot(mod, "moderation-members-queue")
    card.get_by_role("button", name="Approve").click()
    mod.get_by_text("Approved. The person was told by email.").wait_for()
    assert mod.get_by_text("Nguyễn Văn An").count() == 0

    mod.get_by_role("link", name="Trương Thị Bích").click()
    mod.get_by_role("heading", name="Trương Thị Bích").wait_for()
    screenshot(mod, "moderation-person")

    mod.get_by_role("link", name="Reports").click()
    mod.get_by_role("link", name="Áp phích Hà Nội 1990").click()
    mod.get_by_role("heading", name="Áp phích Hà Nội 1990").wait_for()
    screenshot(mod, "moderation-reported-project")

    mod.get_by_role("link", name="Log", exact=True).click()
    mod.get_by_text("Nguyễn Văn An").first.wait_for()
    screenshot(mod, "moderation-log")

    designer.reload()
    assert designer.get_by_text("Your profile is waiting for a moderator").count() == 0
    designer.goto(live_server.url + "/account/moderation")
    designer.get_by_text("Approved").first.wait_for()
    assert designer.get_by_text("Phạm Minh Khang").count() == 0
    screenshot(designer, "account-moderation-approved")

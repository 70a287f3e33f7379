"""The main journeys with the keyboard alone (Tab, Shift+Tab, Enter, Space and typing): every
focused element shows a visible outline, the skip link leads to the content, nothing traps focus.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.accounts.models import AccountType, StaffRole, UserStatus
from app.extensions import db
from demo.artworks import draw
from tests.browser.conftest import LiveServer
from tests.calls.factories import make_call, make_project
from tests.factories import PASSWORD, make_user
from tests.messaging.factories import converse

MAX_TABS = 120

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    label: (el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent
            || el.getAttribute('name') || '').trim().replace(/\\s+/g, ' ').slice(0, 60),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    shadow: s.boxShadow !== 'none',
    visible: r.width > 0 && r.height > 0,
  };
}"""


def focus_shows(page: Any) -> dict[str, Any]:
    """The focused element, asserted to have a visible focus indicator."""
    info = page.evaluate(FOCUSED)
    assert info, "focus was lost to the page body"
    assert info["visible"], f"focus is on an invisible element: {info}"
    assert info["outline"] or info["shadow"], f"no visible focus on {info} at {page.url}"
    return dict(info)


def tab_to(page: Any, target: Any, *, backwards: bool = False) -> None:
    """Press Tab until `target` (a locator) has focus, checking focus is visible at each stop."""
    seen: list[str] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        info = focus_shows(page)
        seen.append(f"{info['tag']}:{info['label']}")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} never got focus; focus went through: {seen[-30:]}")


def type_into(page: Any, target: Any, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def submit_with_enter(page: Any) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def use_skip_link(page: Any) -> None:
    """The first Tab reaches the skip link, visibly; Enter moves focus to the main content."""
    page.keyboard.press("Tab")
    info = focus_shows(page)
    assert page.locator(".skip-link").evaluate("el => el === document.activeElement"), info
    box = page.locator(".skip-link").bounding_box()
    assert box, "the skip link is not shown when focused"
    assert box["y"] >= 0, "the skip link is off screen when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def keyboard_log_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/auth/login")
    use_skip_link(page)
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), PASSWORD)
    submit_with_enter(page)
    assert "/auth/login" not in page.url


def test_sign_up_with_the_keyboard(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url + "/auth/signup")
    use_skip_link(page)
    tab_to(page, page.get_by_label("A designer"))
    page.keyboard.press("Space")
    assert page.get_by_label("A designer").is_checked()
    type_into(page, page.get_by_label("Your name"), "Nguyễn Văn An")
    type_into(page, page.get_by_label("Handle"), "nguyen-van-an")
    type_into(page, page.get_by_label("Email"), "an@example.org")
    type_into(page, page.get_by_label("Password"), "lacquer and silk 2019")
    tab_to(page, page.get_by_role("button", name="Create my account"))
    page.keyboard.press("Enter")
    page.get_by_text("We sent a link to an@example.org").wait_for()


def test_no_keyboard_trap_on_the_home_page(live_server: LiveServer, page: Any) -> None:
    """Tabbing forward leaves the page through the footer; Shift+Tab comes back to the top."""
    page.goto(live_server.url + "/")
    tab_to(page, page.get_by_label("Language"))
    tab_to(page, page.locator(".skip-link"), backwards=True)


@pytest.mark.usefixtures("live_app")
def test_create_a_project_with_images_with_the_keyboard(live_server: LiveServer, page: Any) -> None:
    make_user(handle="mai", email="mai@example.org", display_name="Nguyễn Thị Mai")
    db.session.commit()
    keyboard_log_in(page, live_server.url, "mai@example.org")
    page.goto(live_server.url + "/me/projects/new")
    use_skip_link(page)
    type_into(page, page.get_by_label("Title"), "Gạch bông phố cổ")
    type_into(page, page.get_by_label("Description"), "Hoa văn gạch bông từ những ngôi nhà ống.")
    images = page.get_by_label("Images")
    tab_to(page, images)
    # A file chooser is the system's own dialog: the keyboard reaches the input, the test fills it.
    images.set_input_files(
        [
            {
                "name": "one.png",
                "mimeType": "image/png",
                "buffer": draw("truchet", 0, seed=1, size=(600, 450))[0],
            },
            {
                "name": "two.png",
                "mimeType": "image/png",
                "buffer": draw("poster", 3, seed=2, size=(600, 450))[0],
            },
        ]
    )
    tab_to(page, page.get_by_role("button", name="Create the project"))
    page.keyboard.press("Enter")
    page.get_by_text("2 images still need a description").wait_for()
    type_into(page, page.get_by_label("Description of image 1 (alt text)"), "Gạch bông đỏ và đen")
    focus_shows(page)


@pytest.mark.usefixtures("live_app")
def test_apply_to_a_call_with_the_keyboard(live_server: LiveServer, page: Any) -> None:
    organiser = make_user(
        handle="hcdc", account_type=AccountType.ORGANISER, organisation="Trung tâm Thiết kế"
    )
    mai = make_user(handle="mai", email="mai@example.org", display_name="Nguyễn Thị Mai")
    make_project(owner=mai, title="Bộ poster Hồ Gươm", year=2024)
    make_call(owner=organiser, title="Young Designers Showcase", slug="showcase", max_projects=2)
    db.session.commit()
    keyboard_log_in(page, live_server.url, "mai@example.org")
    page.goto(live_server.url + "/calls/showcase")
    use_skip_link(page)
    tab_to(page, page.get_by_role("link", name="Apply", exact=True))
    submit_with_enter(page)
    type_into(page, page.get_by_label("Statement"), "Tôi muốn kể câu chuyện về Hồ Gươm.")
    tab_to(page, page.get_by_label("Bộ poster Hồ Gươm"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Submit my application"))
    page.keyboard.press("Enter")
    page.get_by_text("Your application is submitted").wait_for()


@pytest.mark.usefixtures("live_app")
def test_reply_to_a_message_with_the_keyboard(live_server: LiveServer, page: Any) -> None:
    mai = make_user(handle="mai", email="mai@example.org", display_name="Nguyễn Thị Mai")
    duc = make_user(handle="duc", display_name="Trần Minh Đức")
    converse(duc, mai, "Chào Mai, hẹn gặp ở lễ hội nhé!")
    db.session.commit()
    keyboard_log_in(page, live_server.url, "mai@example.org")
    page.goto(live_server.url + "/messages")
    use_skip_link(page)
    tab_to(page, page.get_by_role("link", name="Trần Minh Đức").first)
    page.keyboard.press("Enter")
    page.get_by_text("hẹn gặp ở lễ hội").first.wait_for()
    type_into(page, page.get_by_role("textbox", name="Message"), "Chào Đức, hẹn gặp nhé!")
    tab_to(page, page.get_by_role("button", name="Send"))
    page.keyboard.press("Enter")
    page.get_by_text("Chào Đức, hẹn gặp nhé!").first.wait_for()


@pytest.mark.usefixtures("live_app")
def test_approve_a_member_with_the_keyboard(live_server: LiveServer, page: Any) -> None:
    make_user(handle="mod", email="moderator@example.org", staff_role=StaffRole.MODERATOR)
    make_user(
        handle="bich",
        display_name="Trương Thị Bích",
        status=UserStatus.PENDING,
        bio="Sinh viên năm cuối ngành thiết kế đồ hoạ.",
    )
    db.session.commit()
    keyboard_log_in(page, live_server.url, "moderator@example.org")
    page.goto(live_server.url + "/moderation/members")
    use_skip_link(page)
    card = page.get_by_role("listitem").filter(has_text="Trương Thị Bích")
    # The reject form unfolds from its summary and folds back; focus stays on the summary.
    summary = card.get_by_text("Reject…")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    assert summary.evaluate("el => el.parentElement.open")
    page.keyboard.press("Enter")
    assert summary.evaluate("el => el === document.activeElement")
    tab_to(page, card.get_by_role("button", name="Approve"), backwards=True)
    page.keyboard.press("Enter")
    page.get_by_text("Approved. The person was told by email.").wait_for()

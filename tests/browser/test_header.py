"""The header holds on one row at 1280 px in every language, for the person with the most links
(a designer who moderates, with unread messages and a long Vietnamese name)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from app.accounts.models import StaffRole
from app.extensions import db
from app.notifications.services import notify
from tests.browser.conftest import ARTIFACTS, LiveServer
from tests.factories import PASSWORD, make_user
from tests.messaging.factories import converse


def _rows(page: Any) -> list[int]:
    """The distinct rows (by vertical centre) of the header's brand, links and account area."""
    centres: list[float] = page.eval_on_selector_all(
        ".site-header .brand, .site-nav li, .site-account > *",
        "els => els.map(e => e.getBoundingClientRect()).filter(r => r.width > 0)"
        ".map(r => r.top + r.height / 2)",  # links folded behind the phone's menu have no box
    )
    rows: list[int] = []
    for centre in sorted(centres):
        if not rows or centre - rows[-1] > 12:
            rows.append(round(centre))
    return rows


def _free_pixels(page: Any) -> float:
    """Room left on the row between the links and the account area (the next link's room)."""
    return float(
        page.evaluate(
            """() => {
              const links = [...document.querySelectorAll('.site-nav li')];
              const last = links[links.length - 1].getBoundingClientRect();
              const account = document.querySelector('.site-account').getBoundingClientRect();
              return account.left - last.right;
            }"""
        )
    )


@pytest.mark.parametrize("language", ["vi", "fr", "en"])
def test_header_is_one_row_at_1280_px(
    live_server: LiveServer, live_app: Flask, page_factory: Any, language: str
) -> None:
    base = live_server.url
    with live_app.app_context():
        person = make_user(
            handle="minh-khai",
            email="minh-khai@example.org",
            display_name="Nguyễn Thị Minh Khai Phương Thảo",
            staff_role=StaffRole.MODERATOR,
        )
        person.locale = language
        other = make_user(handle="binh-header", display_name="Lê Bình")
        converse(other, person, "Chào bạn!", "Bạn rảnh không?")
        db.session.commit()

    visitor = page_factory(1280, locale=language)
    visitor.goto(base + "/")
    assert len(_rows(visitor)) == 1, "a visitor's header wraps"
    visitor.set_viewport_size({"width": 390, "height": 800})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    visitor.screenshot(path=str(ARTIFACTS / f"header-{language}-390-visitor.png"))

    page = page_factory(1280, locale="en-GB")
    page.goto(base + "/auth/login")
    page.locator("input[name=email]").fill("minh-khai@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(".site-nav li").count() >= 7  # with My portfolio, Messages, Moderation
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"header-{language}-1280.png"))

    assert len(_rows(page)) == 1, "the header wraps to two rows"
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] < 72
    # The notifications bell took the spare slot; room is left for a longer label ("My home" took
    # the place of "My applications", which read "Applications and jury" for a designer-juror).
    assert _free_pixels(page) >= 60

    # The account folds into a menu that names the person in full and logs out.
    menu = page.locator("details.account-menu")
    menu.locator("summary").click()
    page.screenshot(path=str(ARTIFACTS / f"header-{language}-1280-menu.png"))
    name = menu.get_by_role("paragraph")
    assert name.is_visible()
    assert name.inner_text() == "Nguyễn Thị Minh Khai Phương Thảo"
    assert menu.locator("button").is_visible()
    page.keyboard.press("Escape")
    assert not menu.locator("button").is_visible()

    # On a phone the open menu stays on the screen.
    page.set_viewport_size({"width": 390, "height": 800})
    menu.locator("summary").click()
    page.screenshot(path=str(ARTIFACTS / f"header-{language}-390-menu.png"))
    panel = menu.locator(".account-menu__panel").bounding_box()
    assert panel is not None
    assert panel["x"] >= 0
    assert panel["x"] + panel["width"] <= 390


def _log_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/auth/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_on_a_phone_the_links_fold_behind_a_menu_with_the_badges_on_the_row(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    base = live_server.url
    with live_app.app_context():
        person = make_user(
            handle="minh-khai",
            email="minh-khai@example.org",
            display_name="Nguyễn Thị Minh Khai Phương Thảo",
            staff_role=StaffRole.MODERATOR,
        )
        other = make_user(handle="binh-header", display_name="Lê Bình")
        converse(other, person, "Chào bạn!", "Bạn rảnh không?")
        notify(user=person, kind="test", text="Dự án của bạn đã được duyệt", url="/")
        db.session.commit()

    page = page_factory(390)
    _log_in(page, base, "minh-khai@example.org")
    page.goto(base + "/")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "header-en-390-folded.png"))
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] <= 80, header
    assert len(_rows(page)) == 1, "the folded header is one row"

    nav = page.get_by_role("navigation", name="Main")
    # The unread badges stay on the row: messages and the bell.
    messages = nav.get_by_role("link", name=re.compile(r"^Messages \d+ \(\d+ unread\)$"))
    assert messages.is_visible()
    bell = nav.get_by_role("link", name="Notifications (1 unread notification)")
    assert bell.is_visible()
    assert [badge.is_visible() for badge in nav.locator(".nav-count").all()] == [True, True]
    # The other links are folded, behind a "Menu" opened by keyboard.
    designers = nav.get_by_role("link", name="Designers")
    assert not designers.is_visible()
    menu = nav.locator("summary")
    assert menu.inner_text().strip() == "Menu"
    menu.focus()
    page.keyboard.press("Enter")
    page.screenshot(path=str(ARTIFACTS / "header-en-390-nav-open.png"))
    links = nav.locator("li a")
    assert links.count() >= 7
    for i in range(links.count()):
        link = links.nth(i)
        assert link.is_visible(), link.inner_text()
        box = link.bounding_box()
        assert box is not None
        assert box["x"] >= 0, link.inner_text()
        assert box["x"] + box["width"] <= 390, link.inner_text()
    # Tab goes from the menu into its links, then Escape folds it and returns to "Menu".
    page.keyboard.press("Tab")
    first = links.nth(0).inner_text().strip()
    assert page.evaluate("document.activeElement.textContent.trim()") == first
    page.keyboard.press("Escape")
    assert not designers.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    # Following a link from the open menu works.
    menu.click()
    designers.click()
    page.wait_for_url(base + "/designers")

    # The desktop layout has no menu: every link is on the row.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not menu.is_visible()
    assert designers.is_visible()
    assert len(_rows(page)) == 1


def test_the_phone_menu_works_without_javascript(
    live_server: LiveServer, page_factory: Any
) -> None:
    page = page_factory(390, javascript=False)
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Main")
    calls = nav.get_by_role("link", name="Calls")
    assert not calls.is_visible()
    nav.locator("summary").click()
    assert calls.is_visible()
    calls.click()
    page.wait_for_url(live_server.url + "/calls")

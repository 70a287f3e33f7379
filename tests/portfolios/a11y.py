"""Pages of the accessibility sweep in states that only a click reaches: the project page's
lightbox open, the phone's menu open, the folded filters open."""

from __future__ import annotations

from typing import Any

from tests.browser.world import SitePage


def open_lightbox(page: Any) -> None:
    page.locator("a[data-lightbox]").first.click()
    page.locator("dialog.lightbox[open]").wait_for()


def open_phone_menu(page: Any) -> None:
    toggle = page.locator("summary.nav-menu__toggle")
    if toggle.is_visible():  # only on a phone; on a desktop the links are on the row
        toggle.click()


def open_filters(page: Any) -> None:
    toggle = page.locator("summary.filters-toggle__summary")
    if toggle.is_visible():
        toggle.click()


A11Y_PAGES: list[SitePage] = [
    SitePage("project lightbox", "/designers/{designer}/projects/{project}", prepare=open_lightbox),
    SitePage("menu open", "/", "designer", prepare=open_phone_menu),
    SitePage("directory filters open", "/designers", prepare=open_filters),
]

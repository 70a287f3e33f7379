"""On a phone the filter forms fold behind one "Filters" control (open when a filter is active);
the call form picks countries by name, narrowed as one types."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.accounts.models import AccountType
from app.extensions import db
from tests.browser.conftest import LiveServer, screenshot
from tests.factories import PASSWORD, make_user


def test_filters_fold_on_a_phone(live_server: LiveServer, page_factory: Any) -> None:
    base = live_server.url
    for path, button in (("/calls", "Show calls"), ("/designers", "Show designers")):
        phone = page_factory(390, javascript=False)
        phone.goto(base + path)
        show = phone.get_by_role("button", name=button)
        assert not show.is_visible()
        phone.locator("summary", has_text="Filters").click()
        assert show.is_visible()
        desktop = page_factory(1280)
        desktop.goto(base + path)
        assert desktop.get_by_role("button", name=button).is_visible()
        assert not desktop.locator("summary", has_text="Filters").is_visible()
    # A filter in use: the form is open on arrival.
    phone = page_factory(390)
    phone.goto(base + "/calls?free=1")
    assert phone.get_by_role("button", name="Show calls").is_visible()
    assert phone.get_by_label("No entry fee").is_checked()


def test_the_call_form_finds_countries_by_name(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    with live_app.app_context():
        make_user(
            handle="hcdc",
            email="hcdc@example.org",
            account_type=AccountType.ORGANISER,
            organisation="Trung tâm Thiết kế",
        )
        db.session.commit()
    page = page_factory(390, locale="vi-VN")
    page.goto(live_server.url + "/auth/login")
    page.locator("input[name=email]").fill("hcdc@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/calls/new")
    find = page.get_by_label("Tìm quốc gia")
    find.fill("viet")
    vietnam = page.get_by_label("Việt Nam")
    assert vietnam.is_visible()
    assert not page.get_by_label("Pháp", exact=True).is_visible()  # France
    vietnam.check()
    find.fill("")
    assert page.get_by_label("Pháp", exact=True).is_visible()
    page.get_by_label("Thiết kế đồ hoạ").check()
    screenshot(page, "call-form")

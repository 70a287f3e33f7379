"""A new profile picture without JavaScript: saved at once, "processing" on the owner's form
while a background job makes its sizes (the previous picture shows meanwhile), then shown."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.extensions import db
from app.jobs import runner
from demo.artworks import draw
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.test_no_javascript import log_in
from tests.factories import give_avatar, make_user

# Nothing listens there: the job waits as its row until the test runs it, as a worker would.
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"


def test_a_new_avatar_shows_processing_then_the_picture(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    live_app.config.update(JOBS_BACKEND="rq", JOBS_REDIS_URL=DEAD_REDIS_URL)
    mai = make_user(handle="mai", email="mai@example.org", display_name="Nguyễn Thị Mai")
    old_key = give_avatar(mai)
    db.session.commit()
    page = page_factory(390, javascript=False)
    log_in(page, live_server.url, "mai@example.org")

    page.goto(live_server.url + "/me/profile")
    page.get_by_label("Portrait or logo").set_input_files(
        [{"name": "me.png", "mimeType": "image/png", "buffer": draw("truchet", 1, seed=3)[0]}]
    )
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/me/profile")

    note = page.get_by_role("status").filter(has_text="Processing…")
    note.wait_for()
    assert "your previous one shows until then" in note.inner_text()
    assert page.locator(f'img[src*="/media/{old_key}/"]').count() == 1
    screenshot(page, "profile-avatar-processing")

    assert runner.run_due() == 1
    page.get_by_role("link", name="Reload to see it").click()
    page.wait_for_load_state()

    assert page.get_by_text("Processing…").count() == 0
    assert page.locator(f'img[src*="/media/{old_key}/"]').count() == 0
    assert page.locator('img.avatar[src*="/media/a/"]').count() == 1

"""The public project page opens its images in a lightbox that works with the keyboard (and as
plain links to the full-size file without JavaScript); the editor reorders images by drag and
drop, shows previews of chosen images, and keeps its Move buttons without JavaScript."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.extensions import db
from app.portfolios import services
from app.portfolios.models import Project
from demo.artworks import draw
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.test_portfolios_journey import load_all_images
from tests.factories import PASSWORD, make_user

KINDS = ("poster", "arches", "truchet")


def _project(app: Flask) -> int:
    with app.app_context():
        mai = make_user(handle="mai", email="mai@example.org", display_name="Nguyễn Thị Mai")
        project = services.create_project(actor=mai, title="Gạch bông phố cổ")
        services.add_images(
            project,
            actor=mai,
            uploads=[
                services.Upload(f"{kind}.png", draw(kind, n, seed=n, size=(1200, 900))[0])
                for n, kind in enumerate(KINDS)
            ],
        )
        for image, kind in zip(project.images, KINDS, strict=True):
            image.alt_text = f"{kind} artwork"
            image.caption = f"Bản {kind}"
        services.publish_project(project, actor=mai)
        db.session.commit()
        return project.id


def _log_in(page: Any, base: str) -> None:
    page.goto(base + "/auth/login")
    page.get_by_label("Email").fill("mai@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def _focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.textContent.trim()"))


def test_the_lightbox_works_with_the_keyboard(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    _project(live_app)
    url = live_server.url + "/designers/mai/projects/gach-bong-pho-co"
    for width in (1280, 390):
        page = page_factory(width)
        page.goto(url)
        first = page.get_by_role("link", name="poster artwork (full size)")
        first.focus()
        page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog", name="Image viewer")
        dialog.wait_for()
        assert dialog.locator("img").get_attribute("alt") == "poster artwork"
        assert dialog.get_by_text("Image 1 of 3").is_visible()
        assert _focused(page) == "Close"
        dialog.locator("img").evaluate("img => img.decode()")
        screenshot(page, f"project-lightbox-{width}")
        page.keyboard.press("ArrowRight")
        assert dialog.get_by_text("Image 2 of 3").is_visible()
        assert dialog.get_by_text("Bản arches").is_visible()
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        assert dialog.get_by_text("Image 3 of 3").is_visible()
        # Focus is trapped among the lightbox's buttons.
        seen = set()
        for _ in range(4):
            page.keyboard.press("Tab")
            seen.add(_focused(page))
        assert seen == {"Previous image", "Next image", "Close"}
        page.keyboard.press("Escape")
        assert not dialog.is_visible()
        assert page.evaluate("document.activeElement.getAttribute('href')") == first.get_attribute(
            "href"
        )


def test_without_javascript_images_are_links_to_the_full_size_file(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    _project(live_app)
    page = page_factory(390, javascript=False)
    page.goto(live_server.url + "/designers/mai/projects/gach-bong-pho-co")
    page.get_by_role("link", name="arches artwork (full size)").click()
    page.wait_for_load_state()
    assert "/media/" in page.url
    assert page.url.endswith(".webp")
    size = page.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size[0] >= 1200


def test_drag_and_drop_reorders_and_previews_show_chosen_images(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    project_id = _project(live_app)
    page = page_factory(1280)
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/me/projects/{project_id}")
    assert page.get_by_text("Drag an image by its picture to reorder").is_visible()
    page.get_by_label("Description of image 1 (alt text)").fill("Áp phích đỏ")
    # Tall enough that the rows need no scrolling: Playwright's drag scrolls between its steps.
    page.set_viewport_size({"width": 1280, "height": 1800})
    rows = page.locator("ol.image-list > li")
    third = rows.nth(2).locator("[data-drag-handle]")
    third.drag_to(rows.nth(0).locator("[data-drag-handle]"), target_position={"x": 10, "y": 5})
    page.get_by_text("Images reordered.").wait_for()
    with live_app.app_context():
        saved = db.session.get(Project, project_id)
        assert saved is not None
        assert [i.alt_text for i in saved.images] == [
            "truchet artwork",
            "Áp phích đỏ",
            "arches artwork",
        ]

    page.get_by_label("Add images").set_input_files(
        [
            {
                "name": f"{kind}.png",
                "mimeType": "image/png",
                "buffer": draw(kind, 1, seed=1, size=(600, 450))[0],
            }
            for kind in ("weave", "vessel")
        ]
    )
    previews = page.locator("#upload-previews img")
    assert previews.count() == 2
    for preview in previews.all():  # drawn, not a broken image
        preview.evaluate("img => img.complete && img.naturalWidth || img.decode()")
        assert preview.evaluate("img => img.naturalWidth") == 600
    assert page.locator("#upload-previews").get_by_text("weave.png").is_visible()
    load_all_images(page)
    screenshot(page, "project-editor")
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("2 images added.").wait_for()


def test_without_javascript_the_move_buttons_reorder(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    project_id = _project(live_app)
    page = page_factory(390, javascript=False)
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/me/projects/{project_id}")
    assert not page.get_by_text("Drag an image by its picture to reorder").is_visible()
    page.get_by_role("button", name="Move image 2 up").click()
    page.get_by_text("Image moved.").wait_for()
    assert page.get_by_label("Description of image 1 (alt text)").input_value() == (
        "arches artwork"
    )

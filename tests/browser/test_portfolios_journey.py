"""Journey 2 (show work): log in, create a project with three images, reorder them, choose the
cover, describe them, publish, and see it logged out; screenshots of the public pages."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.extensions import db
from app.portfolios import services
from app.profiles.models import Discipline
from demo.artworks import draw
from tests.browser.conftest import LiveServer, screenshot
from tests.factories import PASSWORD, make_user


def artwork(kind: str, palette: int) -> bytes:
    return draw(kind, palette, seed=palette, size=(1200, 900))[0]


def populate(app: Flask) -> None:
    """A few designers with published work, so that the directory looks like the network."""
    with app.app_context():
        disciplines = list(db.session.scalars(db.select(Discipline).order_by(Discipline.position)))
        people = [
            ("tran-duc", "Trần Minh Đức", "Hà Nội", "VN", ["poster", "arches"]),
            ("camille", "Camille Lefèvre", "Lyon", "FR", ["lacquer", "concentric"]),
            ("sato-yui", "Sato Yui", "Kobe", "JP", ["weave", "vessel"]),
        ]
        for n, (handle, name, city, country, kinds) in enumerate(people):
            user = make_user(handle=handle, display_name=name, city=city, country=country)
            user.designer_profile.disciplines = disciplines[n * 2 : n * 2 + 2]
            user.designer_profile.available_for_work = n != 1
            user.designer_profile.bio = "Thiết kế cho những thành phố đông đúc và ấm áp."
            for i, kind in enumerate(kinds):
                project = services.create_project(actor=user, title=f"{name.split()[0]} {kind}")
                services.add_images(
                    project,
                    actor=user,
                    uploads=[services.Upload(f"{kind}.png", artwork(kind, n + i))],
                )
                project.images[0].alt_text = f"{kind} artwork"
                services.publish_project(project, actor=user)
        make_user(
            handle="mai",
            email="mai@example.org",
            display_name="Nguyễn Thị Mai",
            city="Hà Nội",
            country="VN",
        )
        db.session.commit()


def load_all_images(page: Any) -> None:
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    page.wait_for_load_state("networkidle")


def test_create_reorder_describe_publish_and_view(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    populate(live_app)
    page = page_factory()
    page.goto(live_server.url + "/auth/login")
    page.get_by_label("Email").fill("mai@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(live_server.url + "/me/projects/new")
    page.get_by_label("Title").fill("Gạch bông phố cổ")
    page.get_by_label("Description").fill("Hoa văn **gạch bông** từ những ngôi nhà ống.")
    page.get_by_label("Tags").fill("gạch bông, pattern")
    page.get_by_label("Images").set_input_files(
        [
            {"name": "one.png", "mimeType": "image/png", "buffer": artwork("truchet", 0)},
            {"name": "two.png", "mimeType": "image/png", "buffer": artwork("poster", 3)},
            {"name": "three.png", "mimeType": "image/png", "buffer": artwork("arches", 2)},
        ]
    )
    page.get_by_role("button", name="Create the project").click()
    page.get_by_text("3 images still need a description").wait_for()

    page.get_by_label("Description of image 1 (alt text)").fill("Gạch bông đỏ và đen")
    page.get_by_role("button", name="Move image 3 up").click()
    page.get_by_text("Image moved.").wait_for()
    # What was typed before moving is kept.
    assert page.get_by_label("Description of image 1 (alt text)").input_value() == (
        "Gạch bông đỏ và đen"
    )
    page.get_by_role("button", name="Make image 2 the cover").click()
    page.get_by_text("Cover chosen.").wait_for()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Describe every image (alt text) before publishing: 2 missing.").wait_for()
    page.get_by_label("Description of image 2 (alt text)").fill("Dãy vòm cửa phố cổ")
    page.get_by_label("Description of image 3 (alt text)").fill("Áp phích vầng tròn đỏ")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Your project is saved.").wait_for()
    load_all_images(page)
    screenshot(page, "portfolios-editor")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Your project is published.").wait_for()
    project_url = page.url

    visitor = page_factory()
    visitor.goto(project_url)
    assert visitor.get_by_role("heading", name="Gạch bông phố cổ").is_visible()
    names = visitor.locator(".project__figure img").evaluate_all("els => els.map(e => e.alt)")
    assert names == ["Gạch bông đỏ và đen", "Dãy vòm cửa phố cổ", "Áp phích vầng tròn đỏ"]
    load_all_images(visitor)
    screenshot(visitor, "portfolios-project")

    visitor.goto(live_server.url + "/designers/mai")
    cover = visitor.locator(".project-card img").first
    assert "/media/p/" in (cover.get_attribute("src") or "")
    load_all_images(visitor)
    screenshot(visitor, "portfolios-portfolio")

    visitor.goto(live_server.url + "/designers")
    assert visitor.get_by_role("heading", name="Nguyễn Thị Mai").is_visible()
    load_all_images(visitor)
    screenshot(visitor, "portfolios-directory")

    visitor.goto(live_server.url + "/search?q=gach+bong")
    assert visitor.get_by_role("link", name="Gạch bông phố cổ").is_visible()
    screenshot(visitor, "portfolios-search")

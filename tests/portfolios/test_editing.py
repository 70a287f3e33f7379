"""The designer's editors: profile, projects, images, publishing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.accounts.models import User
from app.extensions import db
from app.portfolios.models import Project, ProjectImage
from app.profiles.models import DesignerProfile
from tests.conftest import Client
from tests.factories import make_user
from tests.portfolios.factories import image_bytes, make_project


def files_under(root: str) -> set[Path]:
    return {p for p in Path(root).rglob("*") if p.is_file()}


def file(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return (io.BytesIO(data), name)


def new_project(client: Client, images: list[Any], **fields: Any) -> Any:
    data = {"title": "Đèn lồng Hội An", "description": "Lanterns.", "year": "2025", **fields}
    data["images"] = images
    return client.post_form("/me/projects/new", data, content_type="multipart/form-data")


# ---------- Profile ----------


def test_profile_saved_and_bio_sanitised(client: Client, designer: User) -> None:
    client.login_as(designer)
    response = client.post_form(
        "/me/profile",
        {
            "display_name": "Nguyễn Thị Mai",
            "bio": "Tôi vẽ **áp phích**. <script>alert(1)</script> [x](javascript:alert(1))",
            "city": "Hà Nội",
            "country": "VN",
            "birth_date": "1998-04-12",
            "links": "https://mai.example.org\nhttps://www.behance.net/mai",
            "available_for_work": "y",
        },
    )
    assert response.status_code == 302
    page = client.get("/designers/mai-nguyen").get_data(as_text=True)
    assert "<strong>áp phích</strong>" in page
    assert "<script>alert" not in page
    assert 'href="javascript' not in page
    assert "Available for work" in page
    assert "Vietnam" in page
    assert "1998" not in page  # the birth date is private
    profile = db.session.scalar(db.select(DesignerProfile).filter_by(user_id=designer.id))
    assert profile is not None
    assert profile.links == [
        "https://mai.example.org",
        "https://www.behance.net/mai",
    ]


def test_profile_refuses_bad_links_and_keeps_typed_text(client: Client, designer: User) -> None:
    client.login_as(designer)
    response = client.post_form(
        "/me/profile",
        {"display_name": "Mai", "bio": "Giữ nguyên chữ này", "links": "javascript:alert(1)"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "is not a web address" in page
    assert "Giữ nguyên chữ này" in page


def test_profile_refuses_a_huge_bio(client: Client, designer: User) -> None:
    client.login_as(designer)
    response = client.post_form("/me/profile", {"display_name": "Mai", "bio": "a" * 100_000})
    assert response.status_code == 422
    assert "Field cannot be longer than 5000 characters" in response.get_data(as_text=True)


@pytest.mark.usefixtures("app")
def test_avatar_goes_through_the_pipeline(client: Client, designer: User) -> None:
    client.login_as(designer)
    bad = client.post_form(
        "/me/profile",
        {"display_name": "Mai", "avatar": file(b"not an image at all", "me.jpg")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert "“me.jpg” is not a JPEG, PNG, WebP or GIF image" in bad.get_data(as_text=True)
    good = client.post_form(
        "/me/profile",
        {"display_name": "Mai", "avatar": file(image_bytes(500, 300, "JPEG"), "me.jpg")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 302
    profile = db.session.scalar(db.select(DesignerProfile).filter_by(user_id=designer.id))
    assert profile is not None
    assert profile.avatar_key
    avatar = client.get(f"/media/{profile.avatar_key}/160.webp")
    assert avatar.status_code == 200
    assert avatar.mimetype == "image/webp"


def test_a_small_avatar_still_shows_at_every_size_pages_ask_for(
    client: Client, designer: User
) -> None:
    client.login_as(designer)
    client.post_form(
        "/me/profile",
        {"display_name": "Mai", "avatar": file(image_bytes(90, 120, "PNG"), "tiny.png")},
        content_type="multipart/form-data",
    )
    profile = db.session.scalar(db.select(DesignerProfile).filter_by(user_id=designer.id))
    assert profile is not None
    assert profile.avatar_key
    page = client.get("/designers/mai-nguyen").get_data(as_text=True)
    assert f"/media/{profile.avatar_key}/" in page
    for width in (160, 400):
        avatar = client.get(f"/media/{profile.avatar_key}/{width}.webp")
        assert avatar.status_code == 200, f"the {width} px avatar is a broken image"
        assert avatar.mimetype == "image/webp"


# ---------- Projects ----------


def test_create_project_with_several_images(client: Client, designer: User) -> None:
    client.login_as(designer)
    response = new_project(
        client,
        [file(image_bytes(800, 600, "JPEG", colour=(c, 10, 10)), f"{c}.jpg") for c in (1, 2, 3)],
        tags="Lantern, #craft, lantern, Hội An",
    )
    assert response.status_code == 302
    project = db.session.scalar(db.select(Project).filter_by(owner_id=designer.id))
    assert project is not None
    assert len(project.images) == 3
    assert project.slug == "den-long-hoi-an"
    assert not project.is_published
    assert project.tags == ["lantern", "craft", "hội an"]
    editor = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 images still need a description" in editor


def test_svg_refused_nothing_half_written_and_form_kept(
    client: Client, designer: User, app: Flask
) -> None:
    client.login_as(designer)
    before = files_under(app.config["MEDIA_ROOT"])
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = new_project(
        client,
        [file(image_bytes(300, 200, colour=(9, 9, 9)), "ok.png"), file(svg, "logo.svg")],
        title="Bộ nhận diện ‏עברית‏",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“logo.svg” is not a JPEG, PNG, WebP or GIF image" in page
    assert "Bộ nhận diện ‏עברית‏" in page
    assert db.session.query(Project).count() == 0
    assert files_under(app.config["MEDIA_ROOT"]) == before


@pytest.mark.usefixtures("app")
def test_twenty_one_images_refused(client: Client, designer: User) -> None:
    project = make_project(designer, images=19, published=False)
    db.session.commit()
    client.login_as(designer)
    response = client.post_form(
        f"/me/projects/{project.id}/images",
        {"images": [file(image_bytes(40, 40, colour=(c, 1, 1)), f"{c}.png") for c in (1, 2)]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "at most 20 images; there is room for 1 more" in response.get_data(as_text=True)
    assert db.session.query(ProjectImage).count() == 19


def test_duplicate_slug_refused(client: Client, designer: User) -> None:
    make_project(designer, title="Poster", published=False)
    db.session.commit()
    client.login_as(designer)
    response = new_project(client, [], title="Another", slug="poster")
    assert response.status_code == 422
    assert "You already have a project at this web address" in response.get_data(as_text=True)


def test_another_designers_project_is_404(client: Client, designer: User) -> None:
    other = make_user(handle="other")
    project = make_project(other)
    db.session.commit()
    client.login_as(designer)
    for path in ["", "/images/manage", "/publish", "/unpublish", "/delete"]:
        method = client.get if path == "" else client.post_form
        assert method(f"/me/projects/{project.id}{path}").status_code == 404
    db.session.refresh(project)
    assert project.is_published


def test_reorder_cover_and_alt_texts_without_javascript(client: Client, designer: User) -> None:
    project = make_project(designer, images=3, published=False)
    for image in project.images:
        image.alt_text = ""
    db.session.commit()
    first, second, third = (i.id for i in project.images)
    client.login_as(designer)
    # Moving keeps what was typed in the same form.
    client.post_form(
        f"/me/projects/{project.id}/images/manage",
        {f"alt-{first}": "Bản phác thảo", "action": f"up:{third}"},
    )
    client.post_form(f"/me/projects/{project.id}/images/manage", {"action": f"cover:{third}"})
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert project is not None
    assert [i.id for i in project.images] == [first, third, second]
    assert project.images[0].alt_text == "Bản phác thảo"
    assert project.cover is not None
    assert project.cover.id == third
    refused = client.post_form(f"/me/projects/{project.id}/publish")
    assert "2 missing" in client.get(refused.headers["Location"]).get_data(as_text=True)
    client.post_form(
        f"/me/projects/{project.id}/images/manage",
        {f"alt-{second}": "Đèn đỏ", f"alt-{third}": "Đèn xanh", "action": "save"},
    )
    published = client.post_form(f"/me/projects/{project.id}/publish")
    assert published.headers["Location"] == f"/designers/mai-nguyen/projects/{project.slug}"
    client.post_form("/auth/logout")
    page = client.get(published.headers["Location"]).get_data(as_text=True)
    assert "Bản phác thảo" in page
    assert "Đèn xanh" in page


def test_pending_designer_edits_but_cannot_publish(client: Client, pending_designer: User) -> None:
    project = make_project(pending_designer, published=False)
    db.session.commit()
    client.login_as(pending_designer)
    response = client.post_form(f"/me/projects/{project.id}/publish")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You can publish once a moderator has approved your profile" in page
    db.session.refresh(project)
    assert not project.is_published


def test_delete_project_removes_rows_and_files(client: Client, designer: User, app: Flask) -> None:
    before = files_under(app.config["MEDIA_ROOT"])
    project = make_project(designer, stored=True, images=2, title="Bye")
    db.session.commit()
    # Per image: its private original and two sizes; all go with the project.
    assert len(files_under(app.config["MEDIA_ROOT"]) - before) == 6
    client.login_as(designer)
    response = client.post_form(f"/me/projects/{project.id}/delete")
    assert "“Bye” is deleted." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.query(ProjectImage).count() == 0
    assert files_under(app.config["MEDIA_ROOT"]) == before


def test_organiser_cannot_create_projects(client: Client, organiser: User) -> None:
    client.login_as(organiser)
    assert client.get("/me/projects/new").status_code == 403


def test_editors_show_saved_values(client: Client, designer: User) -> None:
    project = make_project(designer, title="Tem", tags=["stamp", "tem thư"], published=False)
    db.session.commit()
    client.login_as(designer)
    page = client.get(f"/me/projects/{project.id}").get_data(as_text=True)
    assert 'value="stamp, tem thư"' in page
    assert "<option" not in page.split("Disciplines")[1][:2000]
    profile_page = client.get("/me/profile").get_data(as_text=True)
    assert 'value="Nguyễn Thị Mai"' in profile_page
    assert 'type="checkbox" name="disciplines"' in profile_page

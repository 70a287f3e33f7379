"""Uploads are metered per person: an image rate and a storage quota, refused in the form."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.portfolios.models import Project, ProjectImage
from tests.conftest import Client
from tests.factories import make_user
from tests.portfolios.factories import image_bytes, make_project


def file(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return (io.BytesIO(data), name)


def images(n: int, start: int = 0) -> list[tuple[io.BytesIO, str]]:
    return [
        file(image_bytes(40, 30, colour=(c, 9, 9)), f"{c}.png") for c in range(start, start + n)
    ]


def image_count() -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(ProjectImage)) or 0)


@pytest.fixture
def limited(make_app: Any) -> Iterator[Flask]:
    application = make_app(RATELIMIT_ENABLED=True, UPLOAD_RATE_LIMIT="5 per hour")
    application.test_client_class = Client
    with application.app_context():
        yield application
        db.session.remove()


def owner_client(app: Flask) -> tuple[Client, User]:
    user = make_user(handle="uploader")
    db.session.commit()
    client: Client = app.test_client()  # type: ignore[assignment]
    client.login_as(user)
    return client, user


def test_stored_size_is_recorded(client: Client, designer: User) -> None:
    project = make_project(designer, images=0, published=False)
    db.session.commit()
    client.login_as(designer)
    client.post_form(
        f"/me/projects/{project.id}/images",
        {"images": images(1)},
        content_type="multipart/form-data",
    )
    row = db.session.scalar(select(ProjectImage))
    assert row is not None
    assert row.stored_bytes > 100


def test_uploads_per_person_are_rate_limited_with_the_form_kept(limited: Flask) -> None:
    client, user = owner_client(limited)
    project = make_project(user, images=0, published=False)
    db.session.commit()
    url = f"/me/projects/{project.id}/images"
    assert (
        client.post_form(url, {"images": images(4)}, content_type="multipart/form-data").status_code
        == 302
    )

    refused = client.post_form(url, {"images": images(2, 4)}, content_type="multipart/form-data")

    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "You have uploaded many images in a short time" in page
    assert image_count() == 4
    # Another person is not affected by this one's uploads.
    other = make_user(handle="other-uploader")
    mine = make_project(other, images=0, published=False)
    db.session.commit()
    second: Client = limited.test_client()  # type: ignore[assignment]
    second.login_as(other)
    ok = second.post_form(
        f"/me/projects/{mine.id}/images", {"images": images(2)}, content_type="multipart/form-data"
    )
    assert ok.status_code == 302


def test_a_new_project_refused_for_the_rate_keeps_what_was_typed(limited: Flask) -> None:
    client, _user = owner_client(limited)
    data = {"title": "Đèn lồng Hội An", "description": "Đèn lồng giấy dó.", "year": "2025"}
    refused = client.post_form(
        "/me/projects/new", {**data, "images": images(6)}, content_type="multipart/form-data"
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "You have uploaded many images in a short time" in page
    assert "Đèn lồng Hội An" in page
    assert "Đèn lồng giấy dó." in page
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0


def test_the_storage_quota_refuses_with_a_message_and_keeps_nothing(make_app: Any) -> None:
    app = make_app(UPLOAD_QUOTA_BYTES=3 * 1024 * 1024)
    app.test_client_class = Client
    with app.app_context():
        client, user = owner_client(app)
        project = make_project(user, images=1, published=False)
        # Room for less than the original of the upload (the original counts at once).
        project.images[0].stored_bytes = 3 * 1024 * 1024 - 20
        db.session.commit()
        before = {p for p in Path(app.config["MEDIA_ROOT"]).rglob("*.webp")}
        originals = set(Path(app.config["MEDIA_ROOT"]).glob("u/*/*"))

        refused = client.post_form(
            f"/me/projects/{project.id}/images",
            {"images": images(1)},
            content_type="multipart/form-data",
        )

        page = refused.get_data(as_text=True)
        assert refused.status_code == 422
        assert "Your images would take more than your 3 MB of storage" in page
        assert image_count() == 1
        after = {p for p in Path(app.config["MEDIA_ROOT"]).rglob("*.webp")}
        assert after == before  # the files stored for the refused image were removed
        assert set(Path(app.config["MEDIA_ROOT"]).glob("u/*/*")) == originals  # its original too
        db.session.remove()


def test_a_strip_too_long_for_webp_is_refused_in_the_form(client: Client, designer: User) -> None:
    project = make_project(designer, images=0, published=False)
    db.session.commit()
    client.login_as(designer)
    response = client.post_form(
        f"/me/projects/{project.id}/images",
        {"images": [file(image_bytes(100, 20_000), "strip.png")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "“strip.png” is too long and narrow" in response.get_data(as_text=True)
    assert image_count() == 0


def test_an_avatar_counts_against_the_same_upload_limit_with_the_form_kept(
    limited: Flask,
) -> None:
    """Every image a person sends is decoded in the request: project images and an avatar draw
    on one allowance, and the avatar over it is refused with what was typed kept."""
    client, user = owner_client(limited)
    project = make_project(user, images=0, published=False)
    db.session.commit()
    url = f"/me/projects/{project.id}/images"
    assert (
        client.post_form(url, {"images": images(5)}, content_type="multipart/form-data").status_code
        == 302
    )

    refused = client.post_form(
        "/me/profile",
        {"display_name": "Trần Thị Hoa", "avatar": file(image_bytes(300, 300), "me.png")},
        content_type="multipart/form-data",
    )

    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "you have sent many images in a short time" in page
    assert 'value="Trần Thị Hoa"' in page
    db.session.expire_all()
    assert user.designer_profile.avatar_original_key is None
    assert user.display_name != "Trần Thị Hoa"  # nothing half-written

"""A designer's profile picture on every page that shows them (issue 11, defect 1: once an
approved designer had an avatar, the avatar macro, imported without context, answered 500)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.accounts.models import User
from app.extensions import db
from tests.conftest import Client
from tests.factories import give_avatar, make_user
from tests.portfolios.factories import make_project


@pytest.fixture
def pictured(designer: User) -> tuple[User, str, str]:
    """The designer (who has an avatar) with a published project; returns (user, key, slug)."""
    key = designer.designer_profile.avatar_key or give_avatar(designer)
    project = make_project(designer, title="Đèn lồng Hội An", images=1)
    db.session.commit()
    return designer, key, project.slug


@pytest.mark.parametrize(
    "path",
    ["/", "/designers", "/designers/mai-nguyen", "/designers/mai-nguyen/projects/{slug}"],
)
def test_every_visitor_sees_the_avatar_on_public_pages(
    client: Client, pictured: tuple[User, str, str], path: str
) -> None:
    _, key, slug = pictured

    response = client.get(path.format(slug=slug))

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nguyễn Thị Mai" in page
    assert f'src="/media/{key}/' in page


def test_the_owner_sees_the_avatar_in_the_profile_editor(
    client: Client, pictured: tuple[User, str, str]
) -> None:
    designer, key, _ = pictured
    client.login_as(designer)

    page = client.get("/me/profile").get_data(as_text=True)

    assert f'src="/media/{key}/400.webp"' in page


def test_the_avatar_urls_on_pages_serve_images(
    client: Client, pictured: tuple[User, str, str]
) -> None:
    _, key, _ = pictured
    viewer = make_user(handle="a-viewer")
    db.session.commit()
    client.login_as(viewer)

    for width in (160, 400):
        response = client.get(f"/media/{key}/{width}.webp")
        assert response.status_code == 200
        with Image.open(io.BytesIO(response.get_data())) as image:
            assert image.format == "WEBP"
            assert image.width == width

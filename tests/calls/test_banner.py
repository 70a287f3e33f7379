"""A call's banner goes through the image pipeline; bad files are refused with the form kept."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from app.accounts.models import User
from app.calls.models import OpenCall
from app.extensions import db
from app.media.storage import get_storage
from tests.conftest import Client

FORM = {
    "kind": "festival",
    "title": "Lễ hội Thiết kế Sáng tạo Hà Nội 2026",
    "summary": "Show your work at the festival.",
    "description": "Hello",
    "timezone": "Asia/Ho_Chi_Minh",
    "deadline_date": "2030-06-30",
    "deadline_time": "23:59",
    "fee": "none",
    "max_projects": "3",
}


def jpeg(width: int = 1800, height: int = 700) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (176, 48, 42)).save(buffer, "JPEG")
    return buffer.getvalue()


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post_form(url, data, content_type="multipart/form-data")


@pytest.mark.usefixtures("app")
def test_a_banner_is_stored_shown_with_its_alt_text_and_public_with_the_call(
    client: Client, organiser: User
) -> None:
    client.login_as(organiser)
    response = post(
        client,
        "/calls/new",
        {
            **FORM,
            "banner": (io.BytesIO(jpeg()), "banner.jpg"),
            "banner_alt": "Đèn lồng đỏ ở phố cổ",
        },
    )
    assert response.status_code == 302
    call = db.session.scalar(select(OpenCall))
    assert call is not None
    assert call.banner_key
    assert call.banner_key.startswith("b/")
    assert call.banner_widths == [800, 1600, 1800]  # never upscaled past the 1,800 px original
    draft = client.get(f"/calls/{call.slug}").get_data(as_text=True)
    assert 'alt="Đèn lồng đỏ ở phố cổ"' in draft
    visitor = client.application.test_client()
    assert visitor.get(f"/media/{call.banner_key}/800.webp").status_code == 404  # a draft's banner
    client.post_form(f"/calls/{call.slug}/publish")
    with visitor.get(f"/media/{call.banner_key}/800.webp") as image:
        assert image.status_code == 200
        assert image.mimetype == "image/webp"


def test_an_svg_banner_is_refused_with_a_clear_message_and_the_form_kept(
    client: Client, organiser: User
) -> None:
    client.login_as(organiser)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = post(
        client,
        "/calls/new",
        {**FORM, "banner": (io.BytesIO(svg), "poster.jpg"), "banner_alt": "Poster"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "“poster.jpg” is not a JPEG, PNG, WebP or GIF image" in page
    assert 'value="Lễ hội Thiết kế Sáng tạo Hà Nội 2026"' in page
    assert db.session.scalar(select(db.func.count()).select_from(OpenCall)) == 0


def test_a_banner_needs_a_description(client: Client, organiser: User) -> None:
    client.login_as(organiser)
    response = post(client, "/calls/new", {**FORM, "banner": (io.BytesIO(jpeg()), "banner.jpg")})
    assert response.status_code == 422
    assert "Describe the image for people who cannot see it." in response.get_data(as_text=True)


def test_replacing_the_banner_removes_the_old_files_after_commit(
    client: Client, organiser: User
) -> None:
    client.login_as(organiser)
    post(
        client, "/calls/new", {**FORM, "banner": (io.BytesIO(jpeg()), "a.jpg"), "banner_alt": "Một"}
    )
    call = db.session.scalar(select(OpenCall))
    assert call is not None
    old = call.banner_key
    post(
        client,
        f"/calls/{call.slug}/edit",
        {**FORM, "banner": (io.BytesIO(jpeg(1000, 400)), "b.jpg"), "banner_alt": "Hai"},
    )
    db.session.refresh(call)
    assert call.banner_key != old
    assert call.banner_alt == "Hai"
    assert not get_storage().exists(f"{old}/fallback.jpg")
    assert get_storage().exists(f"{call.banner_key}/fallback.jpg")

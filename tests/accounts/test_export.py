"""The data export of a person with images (issue 11, defect 2: the stream died outside the
application context as soon as there was an image, and the archive spoke of originals)."""

from __future__ import annotations

import io
import json
import zipfile

from PIL import Image

from app.accounts.models import User
from app.extensions import db
from app.media.services import store_image
from app.portfolios.services import AVATAR_WIDTHS
from tests.conftest import Client
from tests.factories import make_full_designer
from tests.portfolios.factories import image_bytes


def _archive(client: Client) -> zipfile.ZipFile:
    response = client.get("/account/data/export.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def _image(archive: zipfile.ZipFile, name: str) -> Image.Image:
    data = archive.read(name)
    assert data, f"{name} is empty"
    image = Image.open(io.BytesIO(data))
    image.verify()
    return Image.open(io.BytesIO(data))


def test_the_archive_holds_every_project_image_and_the_avatar(client: Client) -> None:
    person = make_full_designer(handle="thao-nguyen-hoang", projects=2, images=2)
    db.session.commit()
    client.login_as(person)

    archive = _archive(client)

    assert archive.testzip() is None
    rows = json.loads(archive.read("images.json"))
    assert len(rows) == 4
    for row in rows:
        image = _image(archive, row["file"])
        assert image.format == "WEBP"
        assert (image.width, image.height) == (row["width"], row["height"])
        assert row["alt_text"].startswith("Image ")
    avatars = [n for n in archive.namelist() if n.startswith("files/avatar.")]
    assert len(avatars) == 1
    avatar = _image(archive, avatars[0])
    assert avatar.format == "WEBP"
    assert avatar.width == avatar.height == 400
    profile = json.loads(archive.read("profile.json"))
    assert profile["display_name"] == "Tôn Nữ Thị Phương Thảo Nguyễn-Hoàng"
    assert "**Nhà thiết kế đồ hoạ**" in profile["designer_profile"]["bio"]


def test_the_archive_and_the_page_say_the_images_are_copies_not_originals(
    client: Client, designer: User
) -> None:
    client.login_as(designer)

    page = client.get("/account/data").get_data(as_text=True)
    readme = _archive(client).read("README.txt").decode()

    for text in (page, readme):
        assert "original" not in text
        assert "the largest copy" in text
    assert "re-encoded" in readme


def test_the_archive_of_a_vietnamese_speaker_has_a_vietnamese_readme(client: Client) -> None:
    person = make_full_designer(handle="thao-vi", projects=1, images=1)
    db.session.commit()
    client.login_as(person)

    readme = _archive(client).read("README.txt").decode()

    assert "bản lớn nhất" in readme


def test_a_small_avatar_is_exported_whole(client: Client, designer: User) -> None:
    # A 120 px upload is stored under every name pages ask for (never a broken image there), at
    # its own size: the archive holds that copy, a valid image of the size it was sent.
    stored = store_image(image_bytes(120, 120), kind="a", widths=AVATAR_WIDTHS, square=True)
    designer.designer_profile.avatar_key = stored.key
    db.session.commit()
    client.login_as(designer)

    archive = _archive(client)

    avatar = _image(archive, "files/avatar.webp")
    assert avatar.format == "WEBP"
    assert avatar.size == (120, 120)

"""The data export of a person with images (issue 11, defect 2: the stream died outside the
application context as soon as there was an image, and the archive spoke of originals)."""

from __future__ import annotations

import io
import json
import zipfile

from flask import g
from PIL import Image
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.media.services import store_image
from app.media.storage import get_storage
from app.portfolios.models import Project
from app.portfolios.services import AVATAR_WIDTHS, Upload, add_images
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


def test_images_not_resized_yet_come_as_the_uploaded_file(client: Client) -> None:
    # One image waits for its resize job, one could not be prepared (its file is damaged): the
    # person gets the file they uploaded for both, not a row without a file.
    person = make_full_designer(handle="thao-pending", projects=1, images=1)
    project = db.session.scalars(select(Project).where(Project.owner_id == person.id)).one()
    waiting = image_bytes(320, 200, fmt="JPEG", colour=(200, 30, 90))
    added = add_images(
        project,
        actor=person,
        uploads=[Upload("chờ.jpg", waiting), Upload("hỏng.png", image_bytes(90, 60))],
    )
    added[0].alt_text = "Áp phích **Tết** đang xử lý"
    added[1].processing_error = "damaged"
    db.session.commit()
    g.pop("jobs_woken", None)  # the workers are busy: the resize job waits in the queue
    client.login_as(person)

    archive = _archive(client)

    assert archive.testzip() is None
    rows = {r["position"]: r for r in json.loads(archive.read("images.json"))}
    assert len(rows) == 3
    assert rows[1]["resized"] is True
    assert _image(archive, rows[1]["file"]).format == "WEBP"
    pending, damaged = rows[2], rows[3]
    assert pending["file"].endswith("-uploaded.jpg")
    assert pending["resized"] is False
    assert pending["alt_text"] == "Áp phích **Tết** đang xử lý"
    assert archive.read(pending["file"]) == waiting
    assert _image(archive, pending["file"]).size == (320, 200)
    assert damaged["file"].endswith("-uploaded.png")
    assert damaged["processing_error"] == "damaged"
    assert _image(archive, damaged["file"]).size == (90, 60)


def test_an_image_whose_uploaded_file_is_gone_is_listed_without_a_file(client: Client) -> None:
    person = make_full_designer(handle="thao-missing", projects=1, images=0)
    project = db.session.scalars(select(Project).where(Project.owner_id == person.id)).one()
    (image,) = add_images(project, actor=person, uploads=[Upload("a.png", image_bytes(80, 80))])
    assert image.original_key is not None
    get_storage().delete(image.original_key)
    image.processing_error = "missing"
    db.session.commit()
    client.login_as(person)

    archive = _archive(client)

    assert archive.testzip() is None
    (row,) = json.loads(archive.read("images.json"))
    assert row["file"] is None
    assert row["processing_error"] == "missing"

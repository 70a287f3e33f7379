"""The bucket under failure: it stops answering, or answers for some variants and not the rest.

An upload is refused with a clear message and the form kept; nothing is half-written (no row,
no object); an image that cannot be read is a 503 for the browser to retry, never a crash."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask

from app.accounts.models import User
from app.extensions import db
from app.media.s3 import S3Storage, StorageUnavailable, storage_from_config
from app.media.storage import get_storage
from app.portfolios.models import Project
from tests.conftest import Client
from tests.faults.conftest import closed_port
from tests.portfolios.factories import image_bytes, make_project


class FailsAfter(S3Storage):
    """The bucket, no longer answering after `allowed` writes."""

    def __init__(self, inner: S3Storage, allowed: int) -> None:
        super().__init__(inner.client, inner.bucket, inner.prefix)
        self.allowed = allowed

    def save(self, key: str, data: bytes) -> bool:
        if self.allowed == 0:
            raise StorageUnavailable("connection reset")
        self.allowed -= 1
        return super().save(key, data)


@pytest.fixture
def on_s3(app: Flask, s3_config: dict[str, Any]) -> S3Storage:
    app.config.update(s3_config, S3_PRESIGNED_SECONDS=0, S3_TIMEOUT_SECONDS=1)
    app.extensions.pop("media_storage", None)
    storage = get_storage()
    assert isinstance(storage, S3Storage)
    return storage


def bucket_down(app: Flask) -> None:
    app.config["S3_ENDPOINT_URL"] = f"http://127.0.0.1:{closed_port()}"
    app.extensions.pop("media_storage", None)


def new_project(client: Client, images: int = 1) -> Any:
    names = ["lua.jpg", "may.jpg", "tre.jpg"][:images]
    return client.post_form(
        "/me/projects/new",
        {
            "title": "Áo dài lụa Hà Đông",
            "description": "Lụa và ánh sáng.",
            "year": "2025",
            "images": [
                (io.BytesIO(image_bytes(900, 700, "JPEG", colour=(5, 6, 7 + i))), name)
                for i, name in enumerate(names)
            ],
        },
        content_type="multipart/form-data",
    )


def test_a_bucket_that_does_not_answer_refuses_the_upload_clearly(
    on_s3: S3Storage, app: Flask, client: Client, designer: User
) -> None:
    before = on_s3.stored_keys()
    bucket_down(app)
    client.login_as(designer)

    response = new_project(client)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“lua.jpg” could not be stored: our image storage is not answering." in page
    assert "Áo dài lụa Hà Đông" in page  # what was typed is kept
    assert "Lụa và ánh sáng." in page
    assert db.session.query(Project).count() == 0
    assert on_s3.stored_keys() == before


def test_a_bucket_lost_midway_leaves_no_object_and_no_row(
    on_s3: S3Storage, app: Flask, client: Client, designer: User
) -> None:
    before = on_s3.stored_keys()
    # The request keeps each upload's original (its sizes are made by a background job): the
    # bucket goes away after two of the three.
    app.extensions["media_storage"] = FailsAfter(on_s3, allowed=2)
    client.login_as(designer)

    response = new_project(client, images=3)

    assert response.status_code == 422
    assert "our image storage is not answering" in response.get_data(as_text=True)
    assert db.session.query(Project).count() == 0
    # The two originals written before the failure went with the rollback.
    assert on_s3.stored_keys() == before


@pytest.mark.usefixtures("on_s3")
def test_an_image_the_bucket_cannot_give_is_a_503(
    app: Flask, client: Client, designer: User
) -> None:
    project = make_project(designer, stored=True, title="Tranh sơn mài")
    db.session.commit()
    url = project.images[0].url(400)
    assert client.get(url).status_code == 200
    bucket_down(app)
    unavailable = client.get(url)
    assert unavailable.status_code == 503
    assert unavailable.headers["Retry-After"] == "30"
    assert unavailable.headers["Cache-Control"] == "no-store"
    with pytest.raises(StorageUnavailable):
        storage_from_config(app.config).exists(url.removeprefix("/media/"))

"""The storage interface and the serving view, on both backends: files on disk and an
S3-compatible bucket (a real S3 protocol server, moto's, started by the tests)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask, url_for

from app.accounts.models import User
from app.config import ConfigError, load_config
from app.extensions import db
from app.media.s3 import S3Storage, storage_from_config
from app.media.services import discard_image
from app.media.storage import FileSystemStorage, Storage, get_storage, valid_key
from app.portfolios.models import ProjectImage
from tests.conftest import Client
from tests.portfolios.factories import make_project

BACKENDS = ["filesystem", "s3"]
KEY = "p/ab/abcdef0123456789/400.webp"


def files_under(root: str) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


@pytest.fixture(params=BACKENDS)
def media(request: pytest.FixtureRequest, app: Flask) -> Storage:
    """The shared app, storing its images on the backend of this run (put back afterwards)."""
    if request.param == "s3":
        app.config.update(request.getfixturevalue("s3_config"))
    app.extensions.pop("media_storage", None)
    return get_storage()


@pytest.fixture(params=BACKENDS)
def bare(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    """A storage of each kind, outside any app."""
    if request.param == "s3":
        return storage_from_config(request.getfixturevalue("s3_config"))
    return FileSystemStorage(tmp_path)


def read(storage: Storage, key: str) -> bytes | None:
    stream = storage.open(key)
    if stream is None:
        return None
    with stream:
        return stream.read()


def test_storage_writes_atomically_and_refuses_odd_keys(bare: Storage, tmp_path: Path) -> None:
    assert bare.save(KEY, b"one") is True
    assert bare.save(KEY, b"two") is False  # content-hash names: the first write stands
    assert read(bare, KEY) == b"one"
    assert bare.exists(KEY)
    # Only the finished file is there: no temporary file on disk, no other object in the bucket.
    assert bare.stored_keys() == [KEY]
    assert not list(tmp_path.rglob(".upload-*"))
    bare.delete(KEY)
    assert not bare.exists(KEY)
    assert read(bare, KEY) is None
    assert bare.stored_keys() == []
    bare.delete(KEY)  # deleting what is gone is not an error (deletion after commit may repeat)
    for bad in ["../etc/passwd", "p/ab/../../x", "/abs/path", "p/ab/ABCDEF0123456789/400.webp"]:
        assert not valid_key(bad)
        assert not bare.exists(bad)
        assert read(bare, bad) is None
        with pytest.raises(ValueError, match="invalid media key"):
            bare.save(bad, b"x")


def test_only_the_s3_backend_gives_links_and_they_read_the_one_object(
    bare: Storage, s3_server: str
) -> None:
    bare.save(KEY, b"RIFF-bytes")
    link = bare.presigned_url(KEY, 60)
    if isinstance(bare, FileSystemStorage):
        assert link is None
        return
    assert link is not None
    assert link.startswith(s3_server)
    assert "Expires=60" in link or "X-Amz-Expires=60" in link
    answer = requests.get(link, timeout=5)
    assert answer.status_code == 200
    assert answer.content == b"RIFF-bytes"
    assert answer.headers["Content-Type"] == "image/webp"
    # The bucket is private: the same object without the signature is refused.
    assert requests.get(link.split("?", 1)[0], timeout=5).status_code == 403


@pytest.mark.usefixtures("app")
def test_public_image_served_with_safe_headers(
    media: Storage, client: Client, designer: User
) -> None:
    project = make_project(designer, stored=True)
    db.session.commit()
    image = project.images[0]
    client.application.config["S3_PRESIGNED_SECONDS"] = 0  # the app sends the bytes itself
    response = client.get(image.url(400))
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.data == read(media, image.url(400).removeprefix("/media/"))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "immutable" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    again = client.get(image.url(400), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get(image.fallback_url).mimetype == "image/jpeg"


@pytest.mark.usefixtures("app")
def test_public_image_on_s3_redirects_to_a_short_lived_link(
    media: Storage, client: Client, designer: User
) -> None:
    project = make_project(designer, stored=True)
    db.session.commit()
    image = project.images[0]
    stable = image.url(400)
    assert stable.startswith("/media/")  # what pages, feeds and Open Graph tags name
    with client.application.test_request_context():
        page_url = url_for("portfolios.project", handle=designer.handle, slug=project.slug)
    page = client.get(page_url).get_data(as_text=True)
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', page)
    assert og_image
    assert og_image.group(1).startswith("https://ydn.example/media/")
    assert "X-Amz" not in page  # no expiring link in the page, whatever the backend
    response = client.get(stable)
    if isinstance(media, FileSystemStorage):
        assert response.status_code == 200  # on disk there is no link: the app sends the bytes
        return
    assert response.status_code == 302
    link = response.headers["Location"]
    assert urlsplit(link).netloc != "localhost"
    assert "X-Amz-Expires=300" in link
    assert response.headers["Cache-Control"] == "public, max-age=150"
    assert requests.get(link, timeout=5).content == read(media, stable.removeprefix("/media/"))


@pytest.mark.usefixtures("app")
def test_draft_image_only_for_its_owner_and_never_as_a_link(
    media: Storage, client: Client, designer: User, organiser: User
) -> None:
    project = make_project(designer, stored=True, published=False)
    db.session.commit()
    url = project.images[0].url(400)
    assert client.get(url).status_code == 404
    client.login_as(organiser)
    assert client.get(url).status_code == 404
    client.login_as(designer)
    response = client.get(url)
    # The owner gets the bytes from the app, never a redirect to the bucket.
    assert response.status_code == 200
    assert response.data == read(media, url.removeprefix("/media/"))
    assert response.headers["Cache-Control"].startswith("private")
    assert "Location" not in response.headers


@pytest.mark.usefixtures("app")
@pytest.mark.usefixtures("media")
def test_unknown_and_malformed_keys_are_404(client: Client) -> None:
    assert client.get("/media/p/ab/abcdef0123456789/400.webp").status_code == 404
    assert client.get("/media/../../etc/passwd").status_code == 404
    assert client.get("/media/x/ab/abcdef0123456789/400.webp").status_code == 404


@pytest.mark.usefixtures("app")
def test_rollback_removes_files_written_in_the_transaction(media: Storage, designer: User) -> None:
    before = media.stored_keys()
    project = make_project(designer, stored=True, images=2, title="Rolled back")
    # Per image: its private original and two sizes.
    assert len(media.stored_keys()) == len(before) + 6
    assert project.images
    db.session.rollback()
    assert media.stored_keys() == before
    assert db.session.query(ProjectImage).count() == 0


@pytest.mark.usefixtures("app")
def test_deletion_waits_for_the_commit(media: Storage, designer: User) -> None:
    project = make_project(designer, stored=True, title="Deleted later")
    db.session.commit()
    image = project.images[0]
    files = [k for k in media.stored_keys() if k.startswith(image.storage_key)]
    assert len(files) == 2
    discard_image(image.storage_key, image.widths)
    assert all(media.exists(k) for k in files)  # nothing goes before the commit
    db.session.rollback()
    assert all(media.exists(k) for k in files)  # nor when the transaction is abandoned
    discard_image(image.storage_key, image.widths)
    db.session.commit()
    assert not any(media.exists(k) for k in files)


def test_config_refuses_s3_without_a_bucket_and_unknown_kinds(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="S3_BUCKET"):
        load_config({"MEDIA_STORAGE": "s3", "S3_BUCKET": "", "INSTANCE_PATH": str(tmp_path)})
    with pytest.raises(ConfigError, match="MEDIA_STORAGE"):
        load_config({"MEDIA_STORAGE": "ftp", "INSTANCE_PATH": str(tmp_path)})


class Blind(S3Storage):
    """A bucket whose existence check always misses: two workers racing on one image."""

    def exists(self, _key: str) -> bool:
        return False


def test_two_workers_storing_the_same_image_on_s3_do_not_both_create_it(
    s3_config: dict[str, Any],
) -> None:
    bucket = storage_from_config(s3_config)
    racing = Blind(bucket.client, bucket.bucket, bucket.prefix)
    assert racing.save(KEY, b"same bytes") is True
    # The conditional PUT (If-None-Match: *) refuses the second: this worker did not create
    # the object, so its rollback will not delete what the other worker's row uses.
    assert racing.save(KEY, b"same bytes") is False
    assert read(bucket, KEY) == b"same bytes"

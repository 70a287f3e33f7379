from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.accounts.models import User
from app.extensions import db
from app.media.storage import FileSystemStorage, valid_key
from app.portfolios.models import ProjectImage
from tests.conftest import Client
from tests.portfolios.factories import make_project


def files_under(root: str) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def test_storage_writes_atomically_and_refuses_odd_keys(tmp_path: Path) -> None:
    storage = FileSystemStorage(tmp_path)
    key = "p/ab/abcdef0123456789/400.webp"
    assert storage.save(key, b"one") is True
    assert storage.save(key, b"two") is False  # content-hash names: the first write stands
    stream = storage.open(key)
    assert stream is not None
    assert stream.read() == b"one"
    stream.close()
    assert not list(tmp_path.rglob(".upload-*"))
    storage.delete(key)
    assert not storage.exists(key)
    for bad in ["../etc/passwd", "p/ab/../../x", "/abs/path", "p/ab/ABCDEF0123456789/400.webp"]:
        assert not valid_key(bad)
        with pytest.raises(ValueError, match="invalid media key"):
            storage.save(bad, b"x")


@pytest.mark.usefixtures("app")
def test_public_image_served_with_safe_headers(client: Client, designer: User) -> None:
    project = make_project(designer, stored=True)
    db.session.commit()
    image = project.images[0]
    response = client.get(image.url(400))
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "immutable" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    again = client.get(image.url(400), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get(image.fallback_url).mimetype == "image/jpeg"


@pytest.mark.usefixtures("app")
def test_draft_image_only_for_its_owner(client: Client, designer: User, organiser: User) -> None:
    project = make_project(designer, stored=True, published=False)
    db.session.commit()
    url = project.images[0].url(400)
    assert client.get(url).status_code == 404
    client.login_as(organiser)
    assert client.get(url).status_code == 404
    client.login_as(designer)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private")


@pytest.mark.usefixtures("app")
def test_unknown_and_malformed_keys_are_404(client: Client) -> None:
    assert client.get("/media/p/ab/abcdef0123456789/400.webp").status_code == 404
    assert client.get("/media/../../etc/passwd").status_code == 404
    assert client.get("/media/x/ab/abcdef0123456789/400.webp").status_code == 404


def test_rollback_removes_files_written_in_the_transaction(app: Flask, designer: User) -> None:
    before = files_under(app.config["MEDIA_ROOT"])
    project = make_project(designer, stored=True, images=2, title="Rolled back")
    # Per image: its private original and two sizes.
    assert len(files_under(app.config["MEDIA_ROOT"])) == len(before) + 6
    assert project.images
    db.session.rollback()
    assert files_under(app.config["MEDIA_ROOT"]) == before
    assert db.session.query(ProjectImage).count() == 0

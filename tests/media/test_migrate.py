"""`flask media migrate --to s3`: every stored image copied to the bucket, byte for byte; an
interrupted run is carried on by the next one, and a second run copies nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.accounts.models import User
from app.extensions import db
from app.media.cli import migrate
from app.media.s3 import S3Storage, storage_from_config
from app.media.storage import FileSystemStorage, Storage
from tests.portfolios.factories import make_project


def read(storage: Storage, key: str) -> bytes:
    stream = storage.open(key)
    assert stream is not None, key
    with stream:
        return stream.read()


class CutOff(S3Storage):
    """The bucket, with the connection lost after `allowed` writes (a run killed midway)."""

    def __init__(self, inner: S3Storage, allowed: int) -> None:
        super().__init__(inner.client, inner.bucket, inner.prefix)
        self.allowed = allowed

    def save(self, key: str, data: bytes) -> bool:
        if self.allowed == 0:
            raise ConnectionError("connection lost")
        self.allowed -= 1
        return super().save(key, data)


def test_an_interrupted_migration_is_finished_by_running_it_again(
    tmp_path: Path, s3_config: dict[str, Any]
) -> None:
    disk = FileSystemStorage(tmp_path)
    keys = [f"p/{d}{d}/{d * 20}/{n}" for d in "abc" for n in ("400.webp", "fallback.jpg")]
    for i, key in enumerate(keys):
        disk.save(key, f"image {i}".encode())
    (tmp_path / "p" / "aa" / ".upload-half").write_bytes(b"never copied")
    bucket = storage_from_config(s3_config)

    with pytest.raises(ConnectionError):
        migrate(disk, CutOff(bucket, allowed=2))
    assert len(bucket.stored_keys()) == 2  # two whole files, nothing partial

    assert migrate(disk, bucket) == (4, 2)
    assert bucket.stored_keys() == sorted(keys)
    assert all(read(bucket, key) == read(disk, key) for key in keys)
    assert migrate(disk, bucket) == (0, 6)  # idempotent
    assert disk.stored_keys() == sorted(keys)  # the source is left as it was


def test_the_command_copies_the_sites_images_and_the_site_then_serves_them_from_s3(
    app: Flask, designer: User, s3_config: dict[str, Any]
) -> None:
    project = make_project(designer, stored=True, images=2, title="Đèn lồng")
    db.session.commit()
    url = project.images[0].url(400)
    disk = FileSystemStorage(app.config["MEDIA_ROOT"])
    on_disk = disk.stored_keys()
    assert len(on_disk) >= 4  # the two images' variants and the designer's avatar
    # The private originals kept for the background resizing move too.
    originals = [image.original_key for image in project.images]
    assert all(originals)
    assert set(originals) <= set(on_disk)
    app.config.update({k: v for k, v in s3_config.items() if k != "MEDIA_STORAGE"})

    result = app.test_cli_runner().invoke(args=["media", "migrate", "--to", "s3"])
    assert result.exit_code == 0, result.output
    assert f"copied {len(on_disk)} file(s), 0 already there" in result.output
    assert "Now set MEDIA_STORAGE=s3" in result.output
    again = app.test_cli_runner().invoke(args=["media", "migrate", "--to", "s3"])
    assert f"copied 0 file(s), {len(on_disk)} already there" in again.output

    bucket = storage_from_config(s3_config)
    assert bucket.stored_keys() == on_disk
    app.config.update(MEDIA_STORAGE="s3", S3_PRESIGNED_SECONDS=0)
    app.extensions.pop("media_storage", None)
    for path in Path(app.config["MEDIA_ROOT"]).rglob("*.webp"):
        path.unlink()  # the disk is gone: the page's image must come from the bucket
    response = app.test_client().get(url)
    assert response.status_code == 200
    assert response.data == read(bucket, url.removeprefix("/media/"))


def test_the_command_asks_for_a_bucket_first(app: Flask) -> None:
    app.config["S3_BUCKET"] = ""
    result = app.test_cli_runner().invoke(args=["media", "migrate", "--to", "s3"])
    assert result.exit_code != 0
    assert "Set S3_BUCKET" in result.output


def test_migrating_back_to_the_disk(app: Flask, tmp_path: Path, s3_config: dict[str, Any]) -> None:
    bucket = storage_from_config(s3_config)
    keys = ["a/0f/" + "0f" * 20 + "/160.webp", "a/0f/" + "0f" * 20 + "/fallback.jpg"]
    for key in keys:
        bucket.save(key, key.encode())
    app.config.update(s3_config, MEDIA_ROOT=str(tmp_path / "back"))

    result = app.test_cli_runner().invoke(args=["media", "migrate", "--to", "filesystem"])

    assert "copied 2 file(s), 0 already there" in result.output
    disk = FileSystemStorage(tmp_path / "back")
    assert disk.stored_keys() == sorted(keys)
    assert all(read(disk, key) == key.encode() for key in keys)

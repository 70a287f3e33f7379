"""Media under failure: a worker killed mid-upload (SIGKILL) and a full disk.

Neither leaves a partial file under a real key nor a row naming a missing file."""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image

from app.accounts.models import User
from app.extensions import db
from app.media import services, storage
from app.media.storage import TEMP_PREFIX, FileSystemStorage
from app.portfolios.models import Project, ProjectImage
from tests.conftest import Client
from tests.portfolios.factories import image_bytes, make_project

ROOT = Path(__file__).resolve().parents[2]
KEY = "p/ab/" + "ab" * 16 + "/1200.webp"


def files_under(root: str | Path) -> set[Path]:
    return {p for p in Path(root).rglob("*") if p.is_file()}


def run_killed(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter that SIGKILLs itself at the hook the code installs."""
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


KILL_BEFORE_RENAME = """
import os, signal, sys
from app.media import storage

def killed(src, dst):  # the worker dies between writing the temporary file and renaming it
    os.kill(os.getpid(), signal.SIGKILL)

storage.os.replace = killed
storage.FileSystemStorage(sys.argv[1]).save(sys.argv[2], b"RIFF" + b"x" * 100_000)
"""


def test_killed_between_write_and_rename_leaves_no_file_under_the_key(tmp_path: Path) -> None:
    done = run_killed(KILL_BEFORE_RENAME, str(tmp_path), KEY)

    assert done.returncode == -signal.SIGKILL
    assert not (tmp_path / KEY).exists()
    left = files_under(tmp_path)
    assert len(left) == 1
    assert next(iter(left)).name.startswith(TEMP_PREFIX)
    assert not FileSystemStorage(tmp_path).exists(KEY)

    # `flask media sweep` removes it once it is old enough never to be a write in progress.
    storage = FileSystemStorage(tmp_path)
    assert storage.sweep_partial(older_than=3600) == []
    old = time.time() - 7200
    for path in left:
        os.utime(path, (old, old))
    assert storage.sweep_partial(older_than=3600) == list(left)
    assert files_under(tmp_path) == set()


def test_writes_are_fsynced_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(storage.os, "fsync", lambda fd: steps.append("fsync") or real_fsync(fd))
    monkeypatch.setattr(
        storage.os,
        "replace",
        lambda a, b: steps.append(f"rename {Path(a).name[:8]}") or real_replace(a, b),
    )
    assert FileSystemStorage(tmp_path).save(KEY, b"data")
    assert steps == ["fsync", f"rename {TEMP_PREFIX}"]
    assert (tmp_path / KEY).read_bytes() == b"data"


KILL_BEFORE_COMMIT = """
import os, signal, sys
from app import create_app
from app.extensions import db
from app.portfolios import services
from app.portfolios.models import Project
from tests.conftest import test_config
from tests.portfolios.factories import image_bytes
from pathlib import Path

app = create_app(test_config(Path(sys.argv[1]), SQLALCHEMY_DATABASE_URI=sys.argv[2],
                             MEDIA_ROOT=sys.argv[3]))
with app.app_context():
    project = db.session.get(Project, int(sys.argv[4]))
    uploads = [services.Upload(filename=f"{c}.png", data=image_bytes(900, 700, colour=(c, 80, 90)))
               for c in (1, 2)]
    services.add_images(project, actor=project.owner, uploads=uploads)
    db.session.flush()
    os.kill(os.getpid(), signal.SIGKILL)  # files written, rows flushed, commit never reached
"""


def test_killed_before_the_commit_leaves_no_row_and_only_whole_files(
    app: Flask, designer: User, tmp_path: Path
) -> None:
    project = make_project(designer, images=0, published=False)
    db.session.commit()
    media = app.config["MEDIA_ROOT"]
    before = files_under(media)

    done = run_killed(
        KILL_BEFORE_COMMIT,
        str(tmp_path),
        app.config["SQLALCHEMY_DATABASE_URI"],
        media,
        str(project.id),
    )

    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    db.session.expire_all()
    assert db.session.query(ProjectImage).filter_by(project_id=project.id).count() == 0
    new = files_under(media) - before
    assert new, "the worker was killed after writing the files"
    for path in new:  # whatever is under a real key is a whole image, never a partial one
        assert not path.name.startswith(TEMP_PREFIX)
        with Image.open(path) as image:
            image.load()


def file(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def test_disk_full_gives_a_clear_message_keeps_the_form_and_writes_nothing(
    client: Client, designer: User, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.login_as(designer)
    before = files_under(app.config["MEDIA_ROOT"])
    calls = {"n": 0}
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] > 2:  # the first two originals fit, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(storage.os, "fsync", fsync)
    response = client.post_form(
        "/me/projects/new",
        {
            "title": "Áo dài lụa Hà Đông",
            "description": "Lụa và ánh sáng.",
            "year": "2025",
            "images": [
                file(image_bytes(900, 700, "JPEG", colour=(1, 6, 7)), "to.jpg"),
                file(image_bytes(900, 700, "JPEG", colour=(3, 6, 7)), "gam.jpg"),
                file(image_bytes(900, 700, "JPEG", colour=(5, 6, 7)), "lua.jpg"),
            ],
        },
        content_type="multipart/form-data",
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“lua.jpg” could not be stored: our storage is full" in page
    assert "Áo dài lụa Hà Đông" in page
    assert "Lụa và ánh sáng." in page
    assert db.session.query(Project).count() == 0
    # Neither the two originals that fitted nor a temporary file is left.
    assert files_under(app.config["MEDIA_ROOT"]) == before


@pytest.mark.usefixtures("tmp_path")
def test_other_storage_errors_are_not_disguised(
    monkeypatch: pytest.MonkeyPatch, app: Flask
) -> None:
    def broken(_fd: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(storage.os, "fsync", broken)
    with pytest.raises(OSError, match="I/O error"):
        services.store_image(image_bytes(50, 50), kind="p")
    db.session.rollback()
    assert not any(p.name.startswith(TEMP_PREFIX) for p in files_under(app.config["MEDIA_ROOT"]))

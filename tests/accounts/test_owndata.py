"""Own your data: the streamed archive and account deletion."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts import owndata
from app.accounts.models import StaffRole, User, UserSession, UserStatus
from app.accounts.services import sign_up
from app.extensions import db
from app.media.services import variant_keys
from app.media.storage import get_storage
from app.moderation.models import ActionKind, ModerationAction
from app.portfolios.models import Project
from app.portfolios.services import AVATAR_WIDTHS
from app.profiles.models import DesignerProfile
from tests.conftest import Client
from tests.factories import PASSWORD, give_avatar, make_user
from tests.moderation.factories import make_action, make_project


def test_the_archive_holds_profile_settings_projects_and_decisions(
    client: Client, designer: User
) -> None:
    make_project(designer, title="Áo dài tái chế")
    make_action(designer, kind=ActionKind.WARN, actor=make_user(display_name="Mod Name"))
    db.session.commit()
    client.login_as(designer)

    # Read lazily, the way a WSGI server sends it: the body is a stream, not one bytes object.
    response = client.get("/account/data/export.zip", buffered=False)

    assert response.mimetype == "application/zip"
    assert response.is_streamed
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    names = set(archive.namelist())
    assert {"README.txt", "profile.json", "settings.json", "projects.json"} <= names
    profile = json.loads(archive.read("profile.json"))
    assert profile["display_name"] == "Nguyễn Thị Mai"
    assert profile["designer_profile"]["city"] == "Hà Nội"
    assert json.loads(archive.read("projects.json"))[0]["title"] == "Áo dài tái chế"
    assert json.loads(archive.read("settings.json"))["email"] == designer.email
    moderation = archive.read("moderation.json").decode()
    assert "Be kind in messages." in moderation
    assert "Mod Name" not in moderation


@pytest.fixture
def many_files(tmp_path: Path) -> Iterator[int]:
    # A portfolio of 200 images, each 64 KiB, registered the way the portfolios domain will.
    image = tmp_path / "image.jpg"
    image.write_bytes(b"\xff\xd8" + bytes(64 * 1024))

    def export_images(_user: User) -> owndata.ExportPart:
        return owndata.ExportPart(
            "test-images",
            [],
            files=[(f"test-images/{n}.jpg", lambda: image.open("rb")) for n in range(200)],
        )

    owndata.EXPORTERS.append(export_images)
    yield 200
    owndata.EXPORTERS.remove(export_images)


def test_the_archive_streams_files_chunk_by_chunk(
    client: Client, designer: User, many_files: int
) -> None:
    client.login_as(designer)

    response = client.get("/account/data/export.zip", buffered=False)
    biggest = 0
    data = io.BytesIO()
    for chunk in response.response:
        biggest = max(biggest, len(chunk))
        data.write(chunk)

    # No chunk is bigger than one file's copy buffer: never all images in memory at once.
    assert biggest < 2 * owndata.CHUNK
    assert len(zipfile.ZipFile(data).namelist()) > many_files


def test_deleting_an_account_needs_the_password(client: Client, designer: User) -> None:
    client.login_as(designer)

    response = client.post_form("/account/delete", {"password": "wrong", "confirm": "y"})

    assert response.status_code == 422
    assert "Your password is not correct." in response.get_data(as_text=True)
    db.session.refresh(designer)
    assert designer.status == UserStatus.ACTIVE


def test_deleting_an_account_removes_the_work_and_keeps_the_log_anonymised(
    client: Client, designer: User
) -> None:
    make_project(designer)
    make_action(designer, kind=ActionKind.WARN, actor=make_user())
    db.session.commit()
    designer_id, email = designer.id, designer.email
    client.login_as(designer)

    response = client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})

    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, designer_id)
    assert person is not None
    assert person.status == UserStatus.DELETED
    assert person.email != email
    assert person.display_name == owndata.FORMER_MEMBER
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(DesignerProfile)
            .where(DesignerProfile.user_id == designer_id)
        )
        == 0
    )
    assert (
        db.session.scalar(
            select(func.count()).select_from(UserSession).where(UserSession.user_id == designer_id)
        )
        == 0
    )
    kinds = db.session.scalars(
        select(ModerationAction.kind).where(ModerationAction.subject_id == designer_id)
    ).all()
    assert list(kinds) == [ActionKind.WARN, ActionKind.DELETE_ACCOUNT]
    assert client.get("/auth/settings").status_code == 302


def test_deleting_an_account_removes_the_avatar_files(client: Client, designer: User) -> None:
    key = give_avatar(designer)
    db.session.commit()
    storage = get_storage()
    files = variant_keys(key, list(AVATAR_WIDTHS))
    assert files
    assert all(storage.exists(name) for name in files)
    client.login_as(designer)

    response = client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})

    assert response.status_code == 302
    assert [name for name in files if storage.exists(name)] == []


def test_the_handle_of_a_deleted_account_is_not_reused(client: Client, designer: User) -> None:
    client.login_as(designer)
    client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})

    def sign_up_with_the_same_handle() -> None:
        with client.application.test_request_context():
            sign_up(
                email="new@example.org",
                password=PASSWORD,
                handle="mai-nguyen",
                display_name="Someone else",
                account_type=designer.account_type,
            )
            db.session.commit()

    with pytest.raises(IntegrityError):
        sign_up_with_the_same_handle()
    db.session.rollback()


def test_the_last_admin_cannot_delete_their_account(client: Client, admin: User) -> None:
    client.login_as(admin)

    response = client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})

    assert response.status_code == 422
    assert "You are the last admin" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.staff_role == StaffRole.ADMIN


def test_files_are_removed_only_after_the_commit(client: Client, designer: User) -> None:
    removed: list[str] = []

    def erase_files(user: User) -> list[Any]:
        return [lambda: removed.append(f"avatar-{user.id}")]

    owndata.ERASERS.append(erase_files)
    try:
        client.login_as(designer)
        client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})
    finally:
        owndata.ERASERS.remove(erase_files)

    assert removed == [f"avatar-{designer.id}"]

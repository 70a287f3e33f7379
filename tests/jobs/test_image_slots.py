"""Avatars, organisation logos and call banners are judged in the request and resized by a
background job (app.media.deferred), as project images are: until the sizes exist every page
keeps working with the previous image or the initial, and the owner's own form says
"processing"; a resizing that fails ends in the admin's failed jobs, the pages still render."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select

from app.accounts.models import AccountType, StaffRole, User
from app.calls.models import OpenCall
from app.extensions import db
from app.jobs import runner
from app.jobs.models import BackgroundJob, JobStatus
from app.profiles.models import DesignerProfile, OrganiserProfile
from tests.calls.test_banner import FORM as CALL_FORM
from tests.conftest import Client
from tests.factories import PASSWORD, make_user
from tests.portfolios.factories import image_bytes, make_project

# Nothing listens there: the queue is down, so each job waits as its row until the test runs
# it, as a worker would (`runner.run_due`), deterministically.
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"
PROCESSING = "Processing…"


@pytest.fixture
def held(make_app: Any) -> Iterator[Flask]:
    app: Flask = make_app(JOBS_BACKEND="rq", JOBS_REDIS_URL=DEAD_REDIS_URL, JOBS_QUEUE="slots")
    with app.app_context():
        yield app
        db.session.remove()


def _client(app: Flask, user: User | None = None) -> Client:
    client: Client = app.test_client()  # type: ignore[assignment]
    if user is not None:
        client.login_as(user)
    return client


def _upload(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post_form(url, data, content_type="multipart/form-data")


def _file(data: bytes, name: str = "me.png") -> tuple[io.BytesIO, str]:
    return (io.BytesIO(data), name)


def _damaged_jpeg() -> bytes:
    """Its header reads well (the checks in the request pass); half its pixels are missing."""
    out = io.BytesIO()
    Image.effect_noise((300, 200), 50).convert("RGB").save(out, "JPEG")
    return out.getvalue()[: len(out.getvalue()) // 2]


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    text: str = response.get_data(as_text=True)
    return text


def _jobs() -> list[BackgroundJob]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(BackgroundJob).where(BackgroundJob.kind == "media.resize"))
    )


def _person(**fields: Any) -> User:
    user = make_user(**fields)
    if user.is_designer:
        make_project(user, title="Đèn lồng Hội An", images=1)
    db.session.commit()
    return user


def _designer() -> User:
    return _person(handle="slot-mai", display_name="Nguyễn Thị Mai")


def _profile_of(user: User, model: Any) -> Any:
    db.session.expire_all()
    return db.session.scalar(select(model).where(model.user_id == user.id))


def _avatar(user: User) -> DesignerProfile:
    profile: DesignerProfile = _profile_of(user, DesignerProfile)
    return profile


def test_an_avatar_is_resized_after_the_response_and_pages_work_meanwhile(held: Flask) -> None:
    designer = _designer()
    owner, visitor = _client(held, designer), _client(held)
    root = Path(held.config["MEDIA_ROOT"])

    sent = _upload(
        owner, "/me/profile", {"display_name": "Mai", "avatar": _file(image_bytes(500, 300))}
    )

    assert sent.status_code == 302
    profile = _avatar(designer)
    original = profile.avatar_original_key
    assert profile.avatar_key is None
    assert original is not None
    assert original.startswith("u/")
    assert (root / original).exists()
    assert [job.status for job in _jobs()] == [JobStatus.PENDING]
    # The owner sees it is on its way, without JavaScript; the initial shows meanwhile.
    form = _page(owner, "/me/profile")
    assert PROCESSING in form
    assert "Reload to see it" in form
    assert "/media/a/" not in form
    # Every page that shows the designer still works, with the initial.
    for path in ["/", "/designers", "/designers/slot-mai"]:
        assert "/media/a/" not in _page(visitor, path)
    # The original is never served, to its owner neither.
    assert owner.get(f"/media/{original}").status_code == 404
    # The person's archive holds it as they uploaded it, meanwhile.
    exported = owner.get("/account/data/export.zip")
    assert (
        "files/avatar-uploaded.png" in zipfile.ZipFile(io.BytesIO(exported.get_data())).namelist()
    )

    assert runner.run_due() == 1

    profile = _avatar(designer)
    key = profile.avatar_key
    assert key is not None
    assert key.startswith("a/")
    assert profile.avatar_original_key is None
    assert not (root / original).exists()  # its sizes made, the private original goes
    form = _page(owner, "/me/profile")
    assert PROCESSING not in form
    assert f'src="/media/{key}/400.webp"' in form
    assert f"/media/{key}/" in _page(visitor, "/designers/slot-mai")
    assert f"/media/{key}/" in _page(visitor, "/designers")
    for width in (160, 400):
        assert visitor.get(f"/media/{key}/{width}.webp").status_code == 200

    # Replacing it: the previous avatar shows until the new one is ready, then its files go.
    _upload(owner, "/me/profile", {"display_name": "Mai", "avatar": _file(image_bytes(640, 480))})
    assert f"/media/{key}/" in _page(visitor, "/designers/slot-mai")
    assert PROCESSING in _page(owner, "/me/profile")
    assert (root / key / "160.webp").exists()
    runner.run_due()
    new_key = _avatar(designer).avatar_key
    assert new_key not in (None, key)
    assert not (root / key / "160.webp").exists()
    assert f"/media/{new_key}/" in _page(visitor, "/designers/slot-mai")


def test_a_hostile_avatar_is_refused_in_the_request_with_the_form_kept(held: Flask) -> None:
    designer = _designer()
    owner = _client(held, designer)

    refused = _upload(
        owner,
        "/me/profile",
        {"display_name": "Mai Hoa", "avatar": _file(b"<svg onload=alert(1)>", "me.png")},
    )

    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "“me.png” is not a JPEG, PNG, WebP or GIF image" in page
    assert 'value="Mai Hoa"' in page
    assert _jobs() == []
    assert _avatar(designer).avatar_original_key is None


def test_an_avatar_whose_resizing_fails_ends_in_failed_jobs_and_pages_render(
    held: Flask,
) -> None:
    designer = _designer()
    admin = make_user(handle="slot-admin", staff_role=StaffRole.ADMIN)
    db.session.commit()
    owner, visitor = _client(held, designer), _client(held)
    assert (
        _upload(
            owner,
            "/me/profile",
            {"display_name": "Mai", "avatar": _file(_damaged_jpeg(), "me.jpg")},
        ).status_code
        == 302
    )

    runner.run_due()

    (job,) = _jobs()
    assert job.status == JobStatus.FAILED  # an image that cannot be decoded is never retried
    assert "damaged" in (job.last_error or "")
    assert _avatar(designer).avatar_key is None
    for path in ["/", "/designers", "/designers/slot-mai"]:
        assert "/media/a/" not in _page(visitor, path)
    form = _page(owner, "/me/profile")
    assert "Your new image could not be prepared" in form  # no longer "processing"
    assert PROCESSING not in form
    assert "media.resize" in _page(_client(held, admin), "/admin/jobs")
    # The person replaces it with a good one.
    _upload(owner, "/me/profile", {"display_name": "Mai", "avatar": _file(image_bytes(300, 300))})
    runner.run_due()
    assert _avatar(designer).avatar_key is not None
    assert PROCESSING not in _page(owner, "/me/profile")


def _organiser() -> User:
    return _person(
        handle="slot-centre",
        account_type=AccountType.ORGANISER,
        organisation="Hanoi Creative Design Centre",
    )


def _logo(user: User) -> OrganiserProfile:
    profile: OrganiserProfile = _profile_of(user, OrganiserProfile)
    return profile


ORGANISATION = {
    "organisation": "Hanoi Creative Design Centre",
    "website": "https://example.org",
    "description": "",
    "city": "Hà Nội",
    "country": "VN",
    "logo_alt": "Chữ H đỏ",
    "contact_email": "",
}


def test_a_logo_is_resized_after_the_response_and_pages_work_meanwhile(held: Flask) -> None:
    organiser = _organiser()
    owner, visitor = _client(held, organiser), _client(held)
    root = Path(held.config["MEDIA_ROOT"])

    sent = _upload(
        owner, "/me/organisation", {**ORGANISATION, "logo": _file(image_bytes(300, 200))}
    )

    assert sent.status_code == 302
    profile = _logo(organiser)
    original = profile.logo_original_key
    assert (profile.logo_key, profile.logo_alt) == (None, "Chữ H đỏ")
    assert original is not None
    form = _page(owner, "/me/organisation")
    assert PROCESSING in form
    assert "/media/o/" not in form
    assert "/media/o/" not in _page(visitor, "/organisers/slot-centre")

    assert runner.run_due() == 1

    profile = _logo(organiser)
    assert profile.logo_key is not None
    assert profile.logo_original_key is None
    assert not (root / original).exists()
    assert PROCESSING not in _page(owner, "/me/organisation")
    assert f"/media/{profile.logo_key}/" in _page(visitor, "/organisers/slot-centre")
    assert visitor.get(f"/media/{profile.logo_file(400)}").status_code == 200

    # A hostile file is refused on the page, the rest of the form kept, the logo unchanged.
    refused = _upload(
        owner,
        "/me/organisation",
        {**ORGANISATION, "city": "Đà Nẵng", "logo": _file(b"<svg onload=alert(1)>", "logo.png")},
    )
    assert refused.status_code == 422
    assert "“logo.png” is not a JPEG, PNG, WebP or GIF image" in refused.get_data(as_text=True)
    assert "Đà Nẵng" in refused.get_data(as_text=True)
    assert _logo(organiser).logo_original_key is None


def test_a_banner_is_resized_after_the_response_and_pages_work_meanwhile(held: Flask) -> None:
    organiser = _organiser()
    owner, visitor = _client(held, organiser), _client(held)
    root = Path(held.config["MEDIA_ROOT"])
    sent = _upload(
        owner,
        "/calls/new",
        {**CALL_FORM, "banner": _file(image_bytes(1800, 700), "b.png"), "banner_alt": "Đèn lồng"},
    )
    assert sent.status_code == 302
    call = db.session.scalars(select(OpenCall)).one()
    owner.post_form(f"/calls/{call.slug}/publish")
    db.session.expire_all()
    call = db.session.scalars(select(OpenCall)).one()
    original = call.banner_original_key
    assert (call.banner_key, call.banner_alt) == (None, "Đèn lồng")
    assert original is not None
    assert PROCESSING in _page(owner, f"/calls/{call.slug}/edit")
    for path in [f"/calls/{call.slug}", "/calls", "/organisers/slot-centre"]:
        assert "/media/b/" not in _page(visitor, path)

    assert runner.run_due() == 1

    db.session.expire_all()
    call = db.session.scalars(select(OpenCall)).one()
    assert call.banner_key is not None
    assert call.banner_widths == [800, 1600, 1800]
    assert not (root / original).exists()
    assert PROCESSING not in _page(owner, f"/calls/{call.slug}/edit")
    assert f"/media/{call.banner_key}/800.webp" in _page(visitor, f"/calls/{call.slug}")
    assert visitor.get(f"/media/{call.banner_key}/800.webp").status_code == 200


def test_deleting_the_account_erases_an_original_still_waiting(held: Flask) -> None:
    designer = _designer()
    owner = _client(held, designer)
    root = Path(held.config["MEDIA_ROOT"])
    _upload(owner, "/me/profile", {"display_name": "Mai", "avatar": _file(image_bytes(500, 300))})
    original = _avatar(designer).avatar_original_key
    assert original is not None

    deleted = owner.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})

    assert deleted.status_code == 302
    runner.run_due()  # the avatar's job finds nothing to do; the clean-up job erases the file
    assert not (root / original).exists()
    assert all(job.status == JobStatus.DONE for job in _jobs())

"""The organisation's public page (/organisers/<handle>), its share preview, what moderators
see in the verification queue, and the organisation in a person's archive and deletion."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from PIL import Image

from app.accounts.models import AccountType, User, UserStatus
from app.calls.models import CallStatus
from app.calls.queries import ORGANISER_PAST_PER_PAGE
from app.db_types import utcnow
from app.extensions import db
from app.media.storage import get_storage
from app.profiles.models import OrganiserProfile
from demo import build
from tests.calls.factories import make_call
from tests.conftest import Client
from tests.factories import PASSWORD, make_full_organiser, make_user
from tests.portfolios.factories import image_bytes


@pytest.fixture
def hcdc(app: Any) -> User:  # noqa: ARG001  (the application and its database)
    user = make_full_organiser(handle="hcdc", display_name="Nguyễn Hồng Quân")
    profile = user.organiser_profile
    profile.contact_email = "hello@hcdc.example"
    profile.show_contact_email = True
    now = utcnow()
    make_call(owner=user, title="Áp phích Tết", deadline_at=now + timedelta(days=10))
    make_call(owner=user, title="Lantern festival 2025", deadline_at=now - timedelta(days=40))
    make_call(owner=user, title="Closed early", status=CallStatus.CLOSED)
    make_call(owner=user, title="Secret draft", status=CallStatus.DRAFT)
    db.session.commit()
    return user


def _page(client: Client, url: str = "/organisers/hcdc") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_is_the_organisations(client: Client, hcdc: User, designer: User) -> None:
    client.login_as(designer)
    page = _page(client)
    profile = hcdc.organiser_profile
    assert (
        '<h1 class="call-header__title">'
        "Trung tâm Thiết kế Sáng tạo Hà Nội (Hanoi Creative Design Centre)</h1>"
    ) in page
    assert "Nguyễn Hồng Quân" not in page  # the organisation, not the person
    assert '<span class="verified">Verified</span>' in page
    assert f'src="/media/{profile.logo_file(400)}" alt="Hoa sen đỏ trên tên Trung tâm"' in page
    assert "<strong>Lễ hội Thiết kế Sáng tạo Hà Nội</strong>" in page
    assert 'href="https://example.org/hcdc"' in page
    assert "Hà Nội, Vietnam" in page
    assert 'href="mailto:hello@hcdc.example"' in page
    # Open calls, then past ones; never a draft.
    assert page.index("Áp phích Tết") < page.index("Past calls") < page.index("Lantern festival")
    assert "Closed early" in page
    assert "Secret draft" not in page
    # The same Message and Report buttons as on call pages.
    assert f'href="/messages/new/{hcdc.handle}"' in page
    assert f"/report/profile/{hcdc.id}" in page
    assert "Edit your organisation" not in page


def test_an_unverified_organisation_shows_no_badge(client: Client) -> None:
    make_user(handle="new-org", account_type=AccountType.ORGANISER, organisation="New studio")
    profile = db.session.scalar(db.select(OrganiserProfile))
    assert profile is not None
    profile.verified_at = None
    db.session.commit()
    page = _page(client, "/organisers/new-org")
    assert "New studio" in page
    assert 'class="verified"' not in page


def test_the_organiser_sees_drafts_and_a_link_to_edit(client: Client, hcdc: User) -> None:
    client.login_as(hcdc)
    page = _page(client)
    assert "Secret draft" in page
    assert 'href="/me/organisation"' in page
    assert "Modifier votre organisation" in page  # in the organiser's language (French)


def test_past_calls_are_paginated(client: Client, hcdc: User) -> None:
    for n in range(ORGANISER_PAST_PER_PAGE + 1):
        make_call(
            owner=hcdc, title=f"Old call {n:02d}", deadline_at=utcnow() - timedelta(days=100 + n)
        )
    db.session.commit()
    first = _page(client)
    assert 'rel="next"' in first
    second = _page(client, "/organisers/hcdc?page=2")
    assert "Áp phích Tết" not in second  # open calls are on the first page only
    assert "Old call 12" in second


def test_the_share_preview_names_the_organisation_with_its_logo(client: Client, hcdc: User) -> None:
    page = _page(client)
    logo = hcdc.organiser_profile.logo_file(400)
    assert (
        '<meta property="og:title" content="Trung tâm Thiết kế Sáng tạo Hà Nội '
        '(Hanoi Creative Design Centre)">'
    ) in page
    assert f'<meta property="og:image" content="https://ydn.example/media/{logo}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert '<meta property="og:url" content="https://ydn.example/organisers/hcdc">' in page


def test_moderators_verify_against_what_the_organiser_wrote(
    client: Client, moderator: User
) -> None:
    waiting = make_user(
        handle="waiting-org",
        account_type=AccountType.ORGANISER,
        status=UserStatus.PENDING,
        organisation="Trường Đại học Kiến trúc",
        website="https://kientruc.example",
        description="Đào tạo kiến trúc sư.",
        city="Hà Nội",
        country="VN",
        contact_email="kt@kientruc.example",
    )
    build.give_logo(waiting.organiser_profile, image_bytes(300, 100), "Chữ KT màu xanh")
    db.session.commit()
    client.login_as(moderator)
    page = _page(client, "/moderation/organisers")
    for seen in (
        "Trường Đại học Kiến trúc",
        "https://kientruc.example",
        "Đào tạo kiến trúc sư.",
        "Hà Nội, Vietnam",
        "kt@kientruc.example",
        'alt="Chữ KT màu xanh"',
    ):
        assert seen in page
    # The pending organisation's logo is served to the moderator, not to the public.
    logo = waiting.organiser_profile.logo_file(160)
    assert client.get(f"/media/{logo}").status_code == 200
    assert client.post_form("/auth/logout").status_code == 302
    assert client.get(f"/media/{logo}").status_code == 404


def test_the_archive_holds_the_organisation_and_its_logo(client: Client, hcdc: User) -> None:
    client.login_as(hcdc)
    response = client.get("/account/data/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    profile = json.loads(archive.read("profile.json"))["organiser_profile"]
    assert profile["logo_alt"] == "Hoa sen đỏ trên tên Trung tâm"
    assert profile["contact_email"] == "hello@hcdc.example"
    assert profile["show_contact_email"] is True
    logo = json.loads(archive.read("organisation_logo.json"))
    assert logo["file"] == "files/logo.webp"
    Image.open(io.BytesIO(archive.read("files/logo.webp"))).verify()


def test_deleting_the_account_removes_the_logo(client: Client, hcdc: User) -> None:
    key = hcdc.organiser_profile.logo_file(400)
    assert get_storage().exists(key)
    client.login_as(hcdc)
    response = client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    assert not get_storage().exists(key)
    assert db.session.scalar(db.select(OrganiserProfile)) is None


def test_the_page_takes_the_same_queries_however_many_calls(
    client: Client, hcdc: User, count_queries: Any
) -> None:
    def count() -> int:
        with count_queries() as counter:
            assert client.get("/organisers/hcdc").status_code == 200
        return int(counter.count)

    before = count()
    for n in range(8):
        make_call(owner=hcdc, title=f"Open {n}", deadline_at=utcnow() + timedelta(days=5 + n))
        make_call(owner=hcdc, title=f"Past {n}", deadline_at=utcnow() - timedelta(days=5 + n))
    db.session.commit()
    assert count() == before

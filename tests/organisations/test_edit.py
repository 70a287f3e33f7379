"""An organiser describes their organisation at /me/organisation: what they type is kept when
something is wrong, hostile input is refused or escaped, the logo goes through the pipeline."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.accounts.models import AccountType, User, UserStatus
from app.extensions import db
from app.media.pipeline import MAX_BYTES
from app.media.storage import get_storage
from app.profiles.models import OrganiserProfile
from tests.conftest import Client
from tests.factories import make_user
from tests.portfolios.factories import image_bytes

VALID = {
    "organisation": "Trường Đại học Mỹ thuật Công nghiệp",
    "website": "https://example.edu.vn",
    "description": "Chúng tôi đào tạo **nhà thiết kế** từ năm 1949.",
    "city": "Hà Nội",
    "country": "VN",
    "logo_alt": "",
    "contact_email": "lienhe@example.edu.vn",
    "show_contact_email": "y",
}


def _profile(user: User) -> OrganiserProfile:
    db.session.expire_all()
    profile = db.session.scalar(select(OrganiserProfile).where(OrganiserProfile.user_id == user.id))
    assert profile is not None
    return profile


def _post(client: Client, **changes: Any) -> Any:
    data: dict[str, Any] = {**VALID, "csrf_token": client.csrf_token(), **changes}
    # Encoded here, in memory: the test client would spool a 10 MB body to a temporary file
    # that it never closes.
    boundary, body = encode_multipart(MultiDict(data))
    return client.post(
        "/me/organisation",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.fixture
def newcomer(app: Any) -> User:  # noqa: ARG001  (the application and its database)
    """An organiser who just signed up: pending, nothing described yet."""
    user = make_user(
        handle="dai-hoc",
        display_name="Trần Văn Bình",
        account_type=AccountType.ORGANISER,
        status=UserStatus.PENDING,
        organisation="",
    )
    db.session.commit()
    return user


def test_the_form_offers_the_display_name_until_the_organisation_is_named(
    client: Client, newcomer: User
) -> None:
    client.login_as(newcomer)
    page = client.get("/me/organisation").get_data(as_text=True)
    assert 'value="Trần Văn Bình"' in page
    assert "Not verified yet" in page
    # Countries by name in the viewer's language, the code as value.
    assert '<option value="VN">Vietnam</option>' in page


def test_signing_up_names_the_organisation_after_the_person(client: Client) -> None:
    # The sign-up form keeps its fields; the organisation's name defaults to the person's.
    client.post_form(
        "/auth/signup",
        {
            "display_name": "Phạm Thu Hà",
            "email": "thuha@example.org",
            "handle": "thu-ha-org",
            "password": "correct horse battery staple",
            "account_type": "organiser",
        },
    )
    user = db.session.scalar(select(User).where(User.handle == "thu-ha-org"))
    assert user is not None
    assert _profile(user).organisation == "Phạm Thu Hà"


def test_saving_shows_the_organisation_on_its_public_page(client: Client, newcomer: User) -> None:
    client.login_as(newcomer)
    response = _post(client)
    assert response.status_code == 302
    assert response.location.endswith("/organisers/dai-hoc")
    profile = _profile(newcomer)
    assert profile.organisation == VALID["organisation"]
    assert profile.country == "VN"
    assert profile.search_text == "truong dai hoc my thuat cong nghiep | ha noi"
    page = client.get("/organisers/dai-hoc").get_data(as_text=True)
    assert '<h1 class="call-header__title">Trường Đại học Mỹ thuật Công nghiệp</h1>' in page
    assert "<strong>nhà thiết kế</strong>" in page
    assert 'href="mailto:lienhe@example.edu.vn"' in page
    assert "Edit your organisation" in page


def test_the_contact_email_stays_private_unless_shown(client: Client, newcomer: User) -> None:
    client.login_as(newcomer)
    assert _post(client, show_contact_email="").status_code == 302
    page = client.get("/organisers/dai-hoc").get_data(as_text=True)
    assert "lienhe@example.edu.vn" not in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"organisation": ""}, "Give the organisation’s name."),
        ({"website": "javascript:alert(1)"}, "Enter a web address starting with https://"),
        ({"website": "ftp://example.org"}, "Enter a web address starting with https://"),
        ({"contact_email": "not an address"}, "Enter a valid email address."),
        ({"contact_email": "", "show_contact_email": "y"}, "Give a contact email to show it."),
        ({"organisation": "x" * 151}, "Field cannot be longer than 150 characters."),
        ({"city": "Hà\x00Nội"}, "This field contains a character that cannot be saved (NUL)."),
        ({"country": "XX"}, "Not a valid choice."),
    ],
)
def test_bad_input_is_refused_and_what_was_typed_is_kept(
    client: Client, newcomer: User, changes: dict[str, str], message: str
) -> None:
    client.login_as(newcomer)
    response = _post(client, **changes)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Chúng tôi đào tạo **nhà thiết kế** từ năm 1949." in page
    assert _profile(newcomer).organisation == ""


def test_script_tags_are_escaped_everywhere(client: Client, newcomer: User) -> None:
    client.login_as(newcomer)
    hostile = "<script>alert('x')</script>"
    response = _post(
        client,
        organisation=f"Studio {hostile}",
        description=f"Hi {hostile} <img src=x onerror=alert(1)> [click](javascript:alert(1))",
        city=hostile,
    )
    assert response.status_code == 302
    page = client.get("/organisers/dai-hoc").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert "Studio &lt;script&gt;" in page


def _logo(client: Client, data: bytes, name: str = "logo.png", **changes: Any) -> Any:
    return _post(client, logo=FileStorage(io.BytesIO(data), filename=name), **changes)


def test_a_logo_goes_through_the_image_pipeline(client: Client, newcomer: User) -> None:
    client.login_as(newcomer)
    response = _logo(client, image_bytes(800, 300), logo_alt="Chữ MTCN màu đỏ")
    assert response.status_code == 302
    profile = _profile(newcomer)
    assert profile.logo_key is not None
    assert profile.logo_key.startswith("o/")
    assert profile.logo_width == 800
    assert profile.logo_alt == "Chữ MTCN màu đỏ"
    assert get_storage().exists(f"{profile.logo_key}/400.webp")
    page = client.get("/organisers/dai-hoc").get_data(as_text=True)
    assert f'src="/media/{profile.logo_key}/400.webp" alt="Chữ MTCN màu đỏ"' in page
    served = client.get(f"/media/{profile.logo_key}/400.webp")
    assert served.status_code == 200
    assert served.mimetype == "image/webp"


def test_a_small_logo_is_never_upscaled_and_still_shown(client: Client, newcomer: User) -> None:
    client.login_as(newcomer)
    assert _logo(client, image_bytes(120, 60), logo_alt="Small mark").status_code == 302
    profile = _profile(newcomer)
    assert profile.logo_widths() == [120]
    page = client.get("/organisers/dai-hoc").get_data(as_text=True)
    assert f'src="/media/{profile.logo_key}/120.webp"' in page
    assert client.get(f"/media/{profile.logo_key}/120.webp").status_code == 200


def test_a_logo_needs_its_description(client: Client, newcomer: User) -> None:
    client.login_as(newcomer)
    response = _logo(client, image_bytes(400, 400), logo_alt="  ")
    assert response.status_code == 422
    assert "Describe the logo for people who cannot see it." in response.get_data(as_text=True)
    assert _profile(newcomer).logo_key is None


def _bomb() -> bytes:
    """A small file that claims 64 megapixels (a decompression bomb)."""
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (SVG, "logo.svg", "is not a JPEG, PNG, WebP or GIF image (SVG and other formats"),
        (b"%PDF-1.4 not an image at all", "logo.jpg", "is not a JPEG, PNG, WebP or GIF image"),
        (b"", "empty.png", "is empty (0 bytes)"),
        (b"\x89PNG" + b"0" * MAX_BYTES, "huge.png", "is larger than 10 MB"),
        (_bomb(), "bomb.png", "has too many pixels"),
    ],
)
def test_hostile_logos_are_refused_with_a_clear_message(
    client: Client, newcomer: User, data: bytes, name: str, message: str
) -> None:
    client.login_as(newcomer)
    response = _logo(client, data, name, logo_alt="Logo")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    # Nothing was saved, what was typed is still there.
    assert 'value="Trường Đại học Mỹ thuật Công nghiệp"' in page
    profile = _profile(newcomer)
    assert profile.logo_key is None
    assert profile.organisation == ""


def test_replacing_and_removing_the_logo_deletes_the_old_files(
    client: Client, newcomer: User
) -> None:
    client.login_as(newcomer)
    _logo(client, image_bytes(400, 200, colour=(1, 2, 3)), logo_alt="First")
    first = _profile(newcomer).logo_key
    assert (
        _logo(client, image_bytes(400, 200, colour=(9, 8, 7)), logo_alt="Second").status_code == 302
    )
    second = _profile(newcomer).logo_key
    assert second != first
    assert not get_storage().exists(f"{first}/400.webp")
    assert _post(client, remove_logo="y").status_code == 302
    profile = _profile(newcomer)
    assert profile.logo_key is None
    assert profile.logo_alt == ""
    assert not get_storage().exists(f"{second}/400.webp")


def test_only_organisers_have_an_organisation(client: Client, designer: User) -> None:
    client.login_as(designer)
    assert client.get("/me/organisation").status_code == 403
    assert "Your organisation" not in client.get("/").get_data(as_text=True)


def test_the_account_menu_links_to_the_organisation(client: Client, organiser: User) -> None:
    client.login_as(organiser)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/me/organisation"' in page

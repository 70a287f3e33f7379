"""/organisations: verified organisations only, filtered by country and city, searched with
folded words, paginated, in a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest

from app.accounts.models import AccountType, UserStatus
from app.extensions import db
from app.organisations.queries import PER_PAGE
from demo import build
from tests.conftest import Client
from tests.factories import make_user
from tests.portfolios.factories import image_bytes


def _organisation(handle: str, name: str, city: str = "Hà Nội", country: str = "VN", **kw: Any):  # type: ignore[no-untyped-def]
    return make_user(
        handle=handle,
        account_type=AccountType.ORGANISER,
        organisation=name,
        city=city,
        country=country,
        **kw,
    )


@pytest.fixture
def organisations(app: Any) -> None:  # noqa: ARG001  (the application and its database)
    _organisation("mtcn", "Trường Đại học Mỹ thuật Công nghiệp")
    _organisation("hcdc", "Trung tâm Thiết kế Sáng tạo", city="Đà Nẵng")
    _organisation("confluence", "Atelier Confluence", city="Lyon", country="FR")
    _organisation("waiting", "Trường Đại học Chờ Duyệt", status=UserStatus.PENDING)
    hidden = _organisation("hidden-org", "Trường Đại học Bị Ẩn")
    hidden.hidden_at = hidden.created_at
    _organisation("gone", "Trường Đại học Tạm Khoá", status=UserStatus.SUSPENDED)
    db.session.commit()


def _names(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.usefixtures("organisations")
def test_only_verified_visible_organisations_are_listed(client: Client) -> None:
    page = _names(client, "/organisations")
    assert "Trường Đại học Mỹ thuật Công nghiệp" in page
    assert "Atelier Confluence" in page
    for absent in ("Chờ Duyệt", "Bị Ẩn", "Tạm Khoá"):
        assert absent not in page
    assert page.count('class="verified"') == 3
    assert 'href="/organisers/mtcn"' in page


@pytest.mark.usefixtures("organisations")
def test_search_is_folded_like_the_designers(client: Client) -> None:
    page = _names(client, "/organisations?q=truong+dai+hoc")
    assert "Trường Đại học Mỹ thuật Công nghiệp" in page
    assert "Atelier Confluence" not in page
    assert "Trung tâm Thiết kế" not in page
    page = _names(client, "/organisations?q=TRUNG+TAM")
    assert "Trung tâm Thiết kế Sáng tạo" in page
    assert "Mỹ thuật" not in page
    # Wildcards typed are plain characters.
    assert "No organisation matches" in _names(client, "/organisations?q=%25")


@pytest.mark.usefixtures("organisations")
def test_filter_by_country_and_city(client: Client) -> None:
    page = _names(client, "/organisations?country=FR")
    assert "Atelier Confluence" in page
    assert "Trường Đại học" not in page
    page = _names(client, "/organisations?city=%C4%91%C3%A0+n%E1%BA%B5ng")  # "đà nẵng"
    assert "Trung tâm Thiết kế Sáng tạo" in page
    assert "Mỹ thuật" not in page
    page = _names(client, "/organisations?country=VN&city=Lyon")
    assert "No organisation matches these filters." in page
    # The country select names countries in the viewer's language.
    client.post_form("/language", {"language": "fr", "next": "/organisations"})
    assert '<option selected value="FR">France</option>' in _names(
        client, "/organisations?country=FR"
    ) or 'value="FR" selected' in _names(client, "/organisations?country=FR")


def test_pages_and_constant_queries(client: Client, count_queries: Any) -> None:
    logo = image_bytes(300, 150)
    for n in range(PER_PAGE + 2):
        user = _organisation(f"org-{n:02d}", f"Organisation {n:02d}")
        build.give_logo(user.organiser_profile, logo, f"Logo {n}")
    db.session.commit()
    first = _names(client, "/organisations")
    assert first.count('class="card org-card"') == PER_PAGE
    assert 'rel="next"' in first
    second = _names(client, "/organisations?page=2")
    assert second.count('class="card org-card"') == 2
    assert "Organisation 25" in second
    assert client.get("/organisations?page=999").status_code == 404

    def count(url: str) -> int:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return int(counter.count)

    full = count("/organisations?q=organisation")
    few = count("/organisations?q=organisation+25")
    assert full == few


def test_the_directory_is_linked_from_the_calls_page(client: Client) -> None:
    assert 'href="/organisations"' in _names(client, "/calls")

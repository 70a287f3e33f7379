"""The search page as people use it: accents optional after every edit, nobody who is not public,
results paged and counted (on SQLite FTS5, or PostgreSQL's stored tsvector with
TEST_DATABASE_URL)."""

from __future__ import annotations

import re

import pytest

from app.accounts.models import User, UserStatus
from app.db_types import utcnow
from app.extensions import db
from app.portfolios import services
from app.search.models import SearchDocument
from app.search.services import CANDIDATES, MAX_PAGES, PER_PAGE, index_document, remove_document
from tests.conftest import Client
from tests.factories import PASSWORD, make_user
from tests.portfolios.factories import make_project


def found(client: Client, query: str) -> list[str]:
    """The titles of the results a visitor sees for `query` (a query string after ?q=)."""
    page = client.get(f"/search?q={query}")
    assert page.status_code == 200
    return re.findall(r'class="result__title"><a href="[^"]*">([^<]*)</a>', page.get_data(True))


def call_document(object_id: int, title: str, body: str = "") -> None:
    index_document(
        kind="call", object_id=object_id, title=title, body=body, url=f"/calls/{object_id}"
    )


@pytest.mark.usefixtures("app")
def test_a_document_is_found_without_accents_after_it_is_created_edited_and_deleted(
    client: Client,
) -> None:
    call_document(7, "Giải thưởng Đồ hoạ Hà Nội", "Cho nhà thiết kế trẻ ở Huế")
    db.session.commit()
    assert found(client, "do+hoa+ha+noi") == ["Giải thưởng Đồ hoạ Hà Nội"]
    assert found(client, "HUE") == ["Giải thưởng Đồ hoạ Hà Nội"]

    call_document(7, "Giải thưởng Gốm Đà Lạt", "Cho nhà thiết kế trẻ ở Đà Nẵng")
    db.session.commit()
    assert found(client, "gom+da+lat") == ["Giải thưởng Gốm Đà Lạt"]
    assert found(client, "da+nang") == ["Giải thưởng Gốm Đà Lạt"]
    # The old words no longer find it: the stored text (and PostgreSQL's vector) followed.
    assert found(client, "do+hoa") == []
    assert found(client, "hue") == []

    remove_document(kind="call", object_id=7)
    db.session.commit()
    assert found(client, "gom+da+lat") == []


def test_a_designer_is_found_by_their_new_name_and_city_and_not_once_they_left(
    client: Client, designer: User
) -> None:
    visitor = client.application.test_client()
    client.login_as(designer)
    response = client.post_form(
        "/me/profile", {"display_name": "Phạm Thu Hà", "city": "Đà Lạt", "country": "VN"}
    )
    assert response.status_code == 302
    assert found(visitor, "pham+thu+ha") == ["Phạm Thu Hà"]
    assert found(visitor, "da+lat") == ["Phạm Thu Hà"]
    assert found(visitor, "nguyen+thi+mai") == []  # the old name

    client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})
    assert found(visitor, "pham+thu+ha") == []


@pytest.mark.parametrize("leaves", ["suspended", "hidden", "deleted"])
@pytest.mark.usefixtures("app")
def test_nothing_of_a_person_who_is_not_public_is_found_or_counted(
    client: Client, leaves: str
) -> None:
    lan = make_user(handle="lan", display_name="Trần Gốm Lan", city="Bát Tràng")
    services.reindex_designer(lan)
    make_project(lan, title="Gốm men lam")
    other = make_user(handle="hoa", display_name="Lê Hoa")
    make_project(other, title="Gốm Chu Đậu")
    db.session.commit()
    assert sorted(found(client, "gom")) == ["Gốm Chu Đậu", "Gốm men lam", "Trần Gốm Lan"]

    if leaves == "hidden":
        lan.hidden_at = utcnow()
    else:
        lan.status = UserStatus(leaves)
    db.session.commit()
    page = client.get("/search?q=gom").get_data(as_text=True)
    assert found(client, "gom") == ["Gốm Chu Đậu"]
    assert ">1 result</p>" in page
    assert found(client, "bat+trang") == []


def _documents(count: int, *, word: str = "poster", start: int = 0) -> None:
    db.session.add_all(
        SearchDocument(
            kind="project",
            object_id=start + n,
            title=f"Áp phích {start + n}",
            url=f"/p/{start + n}",
            search_text=f"ap phich {word} {start + n}",
        )
        for n in range(count)
    )
    db.session.commit()


@pytest.mark.usefixtures("app")
def test_results_are_ranked_paged_and_counted(client: Client) -> None:
    _documents(44)
    # The best match (the word three times) comes first, whatever its age.
    db.session.add(
        SearchDocument(
            kind="project",
            object_id=999,
            title="Poster, poster, poster",
            url="/p/999",
            search_text="poster poster poster",
        )
    )
    db.session.commit()

    first = client.get("/search?q=poster").get_data(as_text=True)
    assert "45 results" in first
    assert 'rel="next" href="/search?q=poster&amp;page=2"' in first
    assert 'rel="prev"' not in first
    pages = [found(client, f"poster&page={n}") for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [PER_PAGE, PER_PAGE, 5]
    assert pages[0][0] == "Poster, poster, poster"
    every = [title for page in pages for title in page]
    assert len(set(every)) == 45  # each result once, none lost between pages
    third = client.get("/search?q=poster&page=3").get_data(as_text=True)
    assert 'rel="prev"' in third
    assert 'rel="next"' not in third


@pytest.mark.usefixtures("app")
def test_a_common_word_says_more_than_the_cap_and_pages_stop_there(client: Client) -> None:
    _documents(CANDIDATES + 30)

    first = client.get("/search?q=poster").get_data(as_text=True)
    assert f"More than {CANDIDATES} results" in first
    last = client.get(f"/search?q=poster&page={MAX_PAGES}").get_data(as_text=True)
    assert len(found(client, f"poster&page={MAX_PAGES}")) == PER_PAGE
    assert 'rel="next"' not in last
    assert client.get(f"/search?q=poster&page={MAX_PAGES + 1}").status_code == 404


@pytest.mark.usefixtures("app")
def test_the_count_is_in_the_visitors_language(client: Client) -> None:
    _documents(3)
    page = client.get("/search?q=poster", headers={"Accept-Language": "vi"})
    assert "3 kết quả" in page.get_data(as_text=True)

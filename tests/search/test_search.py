"""Search on the database the suite runs on (SQLite FTS5, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest
from flask import Flask

from app.accounts.models import User, UserStatus
from app.db_types import utcnow
from app.extensions import db
from app.portfolios import services
from app.search.models import SearchDocument
from app.search.services import (
    CANDIDATES,
    fold_words,
    index_document,
    query_terms,
    remove_document,
    search,
)
from tests.conftest import Client
from tests.factories import make_user
from tests.portfolios.factories import make_project


@pytest.fixture
def indexed(app: Flask) -> dict[str, object]:  # noqa: ARG001  (its context and database)
    mai = make_user(handle="mai", display_name="Nguyễn Thị Mai", city="Hà Nội", country="VN")
    services.reindex_designer(mai)
    poster = make_project(
        mai, title="Áp phích đồ hoạ cho phố cổ", description="Posters for the old quarter."
    )
    lacquer = make_project(mai, title="Sơn mài screens", tags=["lacquer", "craft"])
    db.session.commit()
    return {"mai": mai, "poster": poster, "lacquer": lacquer}


def titles(q: str, **kw: object) -> list[str]:
    return [d.title for d in search(q, **kw).items]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ha noi", "Nguyễn Thị Mai"),
        ("Ha Noi", "Nguyễn Thị Mai"),
        ("HÀ NỘI", "Nguyễn Thị Mai"),
        ("nguyen", "Nguyễn Thị Mai"),
        ("nguy", "Nguyễn Thị Mai"),
        ("do hoa", "Áp phích đồ hoạ cho phố cổ"),
        ("pho co", "Áp phích đồ hoạ cho phố cổ"),
        ("son mai", "Sơn mài screens"),
        ("lacquer", "Sơn mài screens"),
    ],
)
@pytest.mark.usefixtures("indexed")
def test_vietnamese_without_diacritics_matches(query: str, expected: str) -> None:
    assert expected in titles(query)


@pytest.mark.usefixtures("indexed")
def test_every_word_must_match_and_syntax_is_ignored() -> None:
    assert titles("do hoa lacquer") == []
    assert titles('" OR * NEAR( -') == []
    assert query_terms('"ha" NOI*') == ["ha", "noi"]


@pytest.mark.usefixtures("indexed")
def test_kind_filter() -> None:
    assert titles("mai", kind="designer") == ["Nguyễn Thị Mai"]
    assert "Nguyễn Thị Mai" not in titles("mai", kind="project")


@pytest.mark.usefixtures("app")
def test_index_follows_edits_unpublish_and_delete(indexed: dict[str, object]) -> None:
    mai: User = indexed["mai"]  # type: ignore[assignment]
    poster = indexed["poster"]
    services.update_project(
        poster,  # type: ignore[arg-type]
        actor=mai,
        title="Bảng chữ Hà Nội",
        slug="",
        description="",
        year=2024,
        tags=[],
        credits="",
        discipline_ids=[],
    )
    db.session.commit()
    assert "Bảng chữ Hà Nội" in titles("bang chu")
    assert titles("pho co") == []
    services.unpublish_project(poster, actor=mai)  # type: ignore[arg-type]
    db.session.commit()
    assert titles("bang chu") == []
    lacquer = indexed["lacquer"]
    services.delete_project(lacquer, actor=mai)  # type: ignore[arg-type]
    db.session.commit()
    assert titles("lacquer") == []


def test_people_who_are_not_public_are_not_found(indexed: dict[str, object]) -> None:
    mai: User = indexed["mai"]  # type: ignore[assignment]
    mai.status = UserStatus.SUSPENDED
    db.session.commit()
    assert titles("ha noi") == []
    assert titles("lacquer") == []
    mai.status = UserStatus.ACTIVE
    mai.hidden_at = utcnow()
    db.session.commit()
    assert titles("nguyen") == []


@pytest.mark.usefixtures("app")
def test_other_domains_index_their_own_kinds() -> None:
    index_document(
        kind="call",
        object_id=7,
        title="Giải thưởng Thiết kế Đồ hoạ 2026",
        body="Open call for young designers in Đà Nẵng",
        url="/calls/giai-thuong",
    )
    db.session.commit()
    assert titles("da nang", kind="call") == ["Giải thưởng Thiết kế Đồ hoạ 2026"]
    remove_document(kind="call", object_id=7)
    db.session.commit()
    assert titles("da nang") == []


@pytest.mark.usefixtures("indexed")
def test_search_page_shows_results_and_tabs(client: Client) -> None:
    page = client.get("/search?q=ha+noi").get_data(as_text=True)
    assert "Nguyễn Thị Mai" in page
    assert 'href="/designers/mai"' in page
    assert "Projects" in page
    empty = client.get("/search?q=zzzzqqq").get_data(as_text=True)
    assert "Nothing found for “zzzzqqq”" in empty


@pytest.mark.usefixtures("app")
def test_search_page_query_count_is_constant(client: Client, count_queries: object) -> None:
    owner = make_user(handle="many", display_name="Trần Gốm")
    for n in range(2):
        make_project(owner, title=f"Gốm Bát Tràng {n}")
    db.session.commit()
    with count_queries() as small:  # type: ignore[operator]
        assert client.get("/search?q=gom").status_code == 200
    for n in range(2, 50):
        make_project(owner, title=f"Gốm Bát Tràng {n}")
    db.session.commit()
    with count_queries() as large:  # type: ignore[operator]
        page = client.get("/search?q=gom").get_data(as_text=True)
    assert "Gốm Bát Tràng" in page
    assert small.count == large.count <= 8


def test_reindex_command_rebuilds_the_index(app: Flask) -> None:
    make_user(handle="quiet", display_name="Đỗ Khánh Linh")  # never saved a profile
    db.session.commit()
    assert titles("khanh linh") == []
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert "designer 1" in result.output
    assert titles("khanh linh") == ["Đỗ Khánh Linh"]


def _crowd(count: int, *, owner: User | None, public: bool = True, start: int = 0) -> None:
    """`count` project documents, newer than everything so far, all matching "nguyen"."""
    db.session.add_all(
        SearchDocument(
            kind="project",
            object_id=100_000 + start + n,
            title=f"Nguyễn poster {n}",
            url=f"/p/{n}",
            owner_id=owner.id if owner else None,
            is_public=public,
            search_text=fold_words(f"Nguyễn poster {n}"),
        )
        for n in range(count)
    )
    db.session.commit()


@pytest.mark.usefixtures("indexed")
def test_the_kind_filter_runs_before_the_candidate_cap() -> None:
    _crowd(CANDIDATES + 10, owner=None)

    assert titles("nguyen", kind="designer") == ["Nguyễn Thị Mai"]
    assert len(titles("nguyen", kind="project")) == 20


@pytest.mark.usefixtures("app")
def test_hidden_documents_do_not_crowd_out_visible_ones() -> None:
    # Hidden matches both before the visible ones (PostgreSQL's index yields the oldest rows
    # first) and after them (SQLite ranks the newest), each crowd larger than the cap.
    _crowd(CANDIDATES + 5, owner=None, public=False, start=0)
    mai = make_user(handle="mai", display_name="Nguyễn Thị Mai", city="Hà Nội", country="VN")
    services.reindex_designer(mai)
    make_project(mai, title="Sơn mài screens")
    db.session.commit()
    banned = make_user(handle="banned", status=UserStatus.SUSPENDED)
    _crowd(CANDIDATES + 5, owner=banned, start=CANDIDATES + 5)

    assert set(titles("nguyen")) == {"Nguyễn Thị Mai", "Sơn mài screens"}
    assert titles("nguyen", kind="designer") == ["Nguyễn Thị Mai"]

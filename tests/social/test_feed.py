"""The personal feed (/feed) and the home page's discovery sections."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import update

from app.accounts.models import AccountType, User
from app.db_types import utcnow
from app.extensions import db
from app.portfolios.models import Project
from app.social.models import Follow
from tests.calls.factories import make_call, make_submission
from tests.conftest import Client
from tests.factories import make_user
from tests.portfolios.factories import make_project
from tests.social.factories import follow_all, many_designers


def test_the_feed_shows_new_work_and_calls_of_the_followed_newest_first(
    client: Client, designer: User, organiser: User
) -> None:
    stranger = make_user(handle="stranger", display_name="Người lạ")
    now = utcnow()
    old = make_project(designer, title="Gốm Bát Tràng")
    new = make_project(designer, title="Lụa Vạn Phúc")
    make_project(designer, title="Bản nháp", published=False)
    make_project(stranger, title="Không theo dõi")
    db.session.execute(
        update(Project).where(Project.id == old.id).values(published_at=now - timedelta(days=3))
    )
    db.session.execute(
        update(Project).where(Project.id == new.id).values(published_at=now - timedelta(hours=1))
    )
    make_call(
        owner=organiser, title="Giải thưởng thiết kế trẻ", published_at=now - timedelta(days=2)
    )
    fan = make_user(handle="feed-fan")
    db.session.add_all(
        [
            Follow(follower_id=fan.id, followee_id=designer.id),
            Follow(follower_id=fan.id, followee_id=organiser.id),
        ]
    )
    db.session.commit()
    client.login_as(fan)

    page = client.get("/feed").get_data(as_text=True)

    assert page.index("Lụa Vạn Phúc") < page.index("Giải thưởng thiết kế trẻ")
    assert page.index("Giải thưởng thiết kế trẻ") < page.index("Gốm Bát Tràng")
    assert "Bản nháp" not in page
    assert "Không theo dõi" not in page
    assert "New call from Hanoi Creative Design Centre" in page or "New call from" in page


def test_an_empty_feed_says_what_to_do(client: Client, designer: User) -> None:
    client.login_as(designer)
    page = client.get("/feed").get_data(as_text=True)
    assert "Your feed is empty." in page
    assert "Follow designers and organisations from their pages" in page


def test_a_bad_cursor_is_404(client: Client, designer: User) -> None:
    client.login_as(designer)
    for bad in ("x", "1.2", "1.9.3", "-5.1.1", "99999999999999999999999.1.1"):
        assert client.get(f"/feed?before={bad}").status_code == 404, bad


def _feed_world(n: int) -> User:
    fan = make_user(display_name=f"Fan {n}")
    ids = many_designers(n, projects=2)
    follow_all(fan, ids)
    db.session.commit()
    return fan


def test_the_feed_pages_by_keyset_with_the_same_queries_for_2_and_2000_followed(
    client: Client, count_queries: Any
) -> None:
    counts = []
    for n in (2, 2000):
        fan = _feed_world(n)
        client.login_as(fan)
        client.get("/feed")
        with count_queries() as q:
            page = client.get("/feed").get_data(as_text=True)
        counts.append(q.count)
        if n == 2000:
            seen: list[str] = []
            for _ in range(3):  # three pages, nothing repeated, newest first
                titles = [t.split("<")[0] for t in page.split('project-card__title">')[1:]]
                assert len(titles) == 20
                assert not set(titles) & set(seen)
                seen.extend(titles)
                next_url = page.split('rel="next" href="')[1].split('"')[0]
                with count_queries() as q:
                    page = client.get(next_url.replace("&amp;", "&")).get_data(as_text=True)
                counts.append(q.count)
    assert len(set(counts)) == 1, counts


def test_home_for_a_designer_lists_calls_they_may_enter_and_new_work_of_the_followed(
    client: Client, organiser: User
) -> None:
    me = make_user(handle="home-designer", birth_date=date(1990, 1, 1), country="VN")
    followed = make_user(handle="home-followed", display_name="Vũ Thị Lan")
    make_project(followed, title="Tranh sơn mài")
    make_call(owner=organiser, title="Mở cho mọi người")
    make_call(owner=organiser, title="Chỉ dưới 25 tuổi", max_age=25)
    make_call(owner=organiser, title="Chỉ người Pháp", allowed_countries=["FR"])
    applied = make_call(owner=organiser, title="Đã nộp rồi")
    make_submission(call=applied, applicant=me)
    db.session.add(Follow(follower_id=me.id, followee_id=followed.id))
    db.session.commit()
    client.login_as(me)

    page = client.get("/").get_data(as_text=True)

    section = page.split('id="eligible-title"')[1].split("</section>")[0]
    assert "Mở cho mọi người" in section
    assert "Chỉ dưới 25 tuổi" not in section
    assert "Chỉ người Pháp" not in section
    assert "Đã nộp rồi" not in section
    followed_section = page.split('id="followed-title"')[1].split("</section>")[0]
    assert "Tranh sơn mài" in followed_section
    assert "/feed" in followed_section


def test_visitors_and_organisers_see_no_personal_sections(client: Client, organiser: User) -> None:
    make_call(owner=organiser, title="Mở cho mọi người")
    db.session.commit()
    assert 'id="eligible-title"' not in client.get("/").get_data(as_text=True)
    client.login_as(organiser)
    assert 'id="eligible-title"' not in client.get("/").get_data(as_text=True)


def test_the_home_page_costs_the_same_queries_for_small_and_large_data(
    client: Client, count_queries: Any
) -> None:
    counts: dict[str, list[int]] = {"visitor": [], "designer": []}
    for n in (2, 2000):
        organiser = make_user(account_type=AccountType.ORGANISER)
        for i in range(2 if n == 2 else 70):
            make_call(owner=organiser, title=f"Cuộc thi {n}-{i}", max_age=20 if i % 2 else None)
        make_user(display_name=f"Nhà thiết kế mới {n}")  # a card with a Follow button
        fan = _feed_world(n)
        fan.designer_profile.birth_date = date(1995, 5, 5)
        db.session.commit()
        visitor: Client = client.application.test_client()  # type: ignore[assignment]
        visitor.get("/")
        with count_queries() as q:
            assert visitor.get("/").status_code == 200
        counts["visitor"].append(q.count)
        client.login_as(fan)
        client.get("/")
        with count_queries() as q:
            page = client.get("/").get_data(as_text=True)
        counts["designer"].append(q.count)
        assert 'id="followed-title"' in page
        assert 'id="eligible-title"' in page
    assert counts["visitor"][0] == counts["visitor"][1], counts
    assert counts["designer"][0] == counts["designer"][1], counts

"""The designers directory: who it lists, in which order, page after page, filtered or not."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from app.accounts.models import AccountType, User, UserStatus
from app.db_types import utcnow
from app.extensions import db
from app.profiles.models import Discipline
from tests.conftest import Client
from tests.factories import make_user
from tests.portfolios.factories import make_project

CARD_NAME = re.compile(r'<h3 class="designer-card__name">([^<]*)</h3>')
NEXT = re.compile(r'rel="next" href="([^"]+)"')


def _names(page: str) -> list[str]:
    return [unescape(name) for name in CARD_NAME.findall(page)]


def _walk(client: Client, url: str) -> list[str]:
    """Every name shown from `url` on, following the "Next" links to the end."""
    names: list[str] = []
    for _ in range(50):
        page = client.get(url).get_data(as_text=True)
        names += _names(page)
        found = NEXT.search(page)
        if found is None:
            return names
        url = unescape(found.group(1))
    raise AssertionError("the Next links never end")


def _designer(n: int, *, country: str = "VN", minutes: int | None = None, **fields: object) -> User:
    user = make_user(handle=f"dz{n:03d}", display_name=f"Nhà thiết kế {n:03d}", country=country)
    # Approved a minute apart: newest first is the order of `minutes`.
    user.approved_at = (
        utcnow() - timedelta(days=2) + timedelta(minutes=n if minutes is None else minutes)
    )
    for key, value in fields.items():
        setattr(user, key, value)
    return user


def test_deep_page_with_a_filter_shows_the_right_designers_in_order(client: Client) -> None:
    for n in range(30):
        _designer(n, country="VN")
        _designer(100 + n, country="FR", minutes=n)  # approved between the Vietnamese ones
    db.session.commit()
    first = client.get("/designers?country=VN").get_data(as_text=True)
    assert _names(first) == [f"Nhà thiết kế {n:03d}" for n in range(29, 5, -1)]
    link = NEXT.search(first)
    assert link is not None
    second_url = unescape(link.group(1))
    assert "country=VN" in second_url
    assert "page=2" in second_url
    second = client.get(second_url).get_data(as_text=True)
    assert _names(second) == [f"Nhà thiết kế {n:03d}" for n in range(5, -1, -1)]
    assert 'rel="next"' not in second
    assert 'rel="prev"' in second


def test_deep_page_of_a_discipline_and_availability(client: Client) -> None:
    graphic = db.session.scalar(db.select(Discipline).filter_by(slug="graphic"))
    assert graphic is not None
    for n in range(40):
        user = _designer(n)
        if n % 2 == 0:
            user.designer_profile.disciplines = [graphic]
        user.designer_profile.available_for_work = n % 4 == 0
    db.session.commit()
    shown = _walk(client, f"/designers?discipline={graphic.id}&available=y")
    assert shown == [f"Nhà thiết kế {n:03d}" for n in range(36, -1, -4)]
    page = client.get(f"/designers?discipline={graphic.id}").get_data(as_text=True)
    assert graphic.name("en") in page
    assert "Available for work" in page


def test_only_approved_visible_designers_are_ever_listed(client: Client) -> None:
    for n in range(26):
        _designer(n)
    make_user(handle="suspended", display_name="Bị Đình Chỉ", status=UserStatus.SUSPENDED)
    make_user(handle="deleted", display_name="Đã Xoá", status=UserStatus.DELETED)
    make_user(handle="pending", display_name="Chờ Duyệt", status=UserStatus.PENDING)
    make_user(handle="rejected", display_name="Bị Từ Chối", status=UserStatus.REJECTED)
    make_user(handle="studio", display_name="Studio Sen", account_type=AccountType.ORGANISER)
    hidden = make_user(handle="hidden", display_name="Bị Ẩn")
    hidden.hidden_at = utcnow()
    db.session.commit()
    client.login_as(make_user(handle="viewer", display_name="Người Xem"))
    everyone = _walk(client, "/designers") + _walk(client, "/designers?sort=active")
    for name in ("Bị Đình Chỉ", "Đã Xoá", "Chờ Duyệt", "Bị Từ Chối", "Studio Sen", "Bị Ẩn"):
        assert name not in everyone
    assert "Nhà thiết kế 000" in everyone


@pytest.mark.parametrize("sort", ["newest", "active"])
def test_page_links_reach_every_designer_exactly_once(client: Client, sort: str) -> None:
    now = utcnow()
    expected = set()
    for n in range(53):
        # Ties on purpose (the same approval and activity for groups of five): the id breaks
        # them, so that no designer is shown twice or skipped between pages.
        user = _designer(n, minutes=n // 5)
        user.last_active_at = None if n % 7 == 0 else now - timedelta(hours=n // 5)
        expected.add(user.display_name)
    db.session.commit()
    shown = _walk(client, f"/designers?sort={sort}")
    assert len(shown) == len(expected) == 53
    assert set(shown) == expected


def test_cards_show_covers_place_and_follow_buttons_to_members(client: Client) -> None:
    graphic = db.session.scalar(db.select(Discipline).filter_by(slug="graphic"))
    an = make_user(handle="an", display_name="Phạm An", city="Huế", country="VN")
    an.designer_profile.disciplines = [graphic]
    project = make_project(an, title="Sơn mài", images=2)
    followed = make_user(handle="followed", display_name="Lê Bình")
    viewer = make_user(handle="viewer", display_name="Người Xem")
    db.session.commit()
    cover = project.images[0]
    page = client.get("/designers").get_data(as_text=True)
    assert "Huế, Vietnam" in page
    assert f"/media/{cover.storage_key}/fallback.jpg" in page
    assert 'href="/designers/an"' in page
    assert "card-follow" not in page  # visitors get no Follow buttons
    client.login_as(viewer)
    assert client.post_form("/people/followed/follow").status_code in (302, 303)
    page = client.get("/designers").get_data(as_text=True)
    assert 'action="/people/an/follow"' in page
    assert 'action="/people/followed/unfollow"' in page
    assert 'action="/people/viewer/follow"' not in page  # not oneself
    assert 'aria-pressed="true"' in page
    assert followed.display_name in page


def test_card_covers_are_the_three_newest_projects_with_images_each_by_its_chosen_image(
    client: Client,
) -> None:
    """A card shows the covers of the designer's three newest public projects that have images,
    newest first: a project's chosen cover, else its first image; a project without images
    or a draft takes no place."""
    an = make_user(handle="an", display_name="Phạm An")
    projects = [make_project(an, title=f"Work {n}", images=3) for n in range(4)]
    for n, project in enumerate(projects):
        project.published_at = utcnow() - timedelta(days=10 - n)  # Work 3 is the newest
    projects[2].images[2].is_cover = True
    newest = make_project(an, title="No images", images=0)
    newest.published_at = utcnow()
    make_project(an, title="Draft", images=1, published=False)
    db.session.commit()
    page = client.get("/designers").get_data(as_text=True)
    card = page[page.index('href="/designers/an"') :]
    card = card[: card.index("</li>")]
    shown = re.findall(r'<img src="/media/([^/]+/[^/]+/[^/]+)/fallback.jpg"', card)
    expected = [projects[3].images[0], projects[2].images[2], projects[1].images[0]]
    assert shown == [image.storage_key for image in expected]
    assert "designer-card__covers--3" in card

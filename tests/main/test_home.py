"""The home page as people see it: the newest designers' cards, the new work of the people one
follows, the staff picks and the calls one may enter, with rich data, in a few queries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.accounts.models import User, UserStatus
from app.db_types import utcnow
from app.extensions import db
from app.profiles.models import Discipline
from app.social.models import Feature, FeatureKind, Follow
from tests.calls.factories import make_call
from tests.conftest import Client
from tests.factories import LONG_VI_NAME, make_full_designer, make_user
from tests.portfolios.factories import make_project


def _section(page: str, title_id: str) -> str:
    return page.split(f'id="{title_id}"')[1].split("</section>")[0]


def _pick(person: User, moderator: User, project: Any = None) -> None:
    now = utcnow()
    db.session.add(
        Feature(
            kind=FeatureKind.PROJECT if project else FeatureKind.DESIGNER,
            user_id=person.id,
            project_id=project.id if project else None,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=3),
            note="Chọn bởi ban biên tập",
            created_by_id=moderator.id,
        )
    )


def test_newest_designers_show_covers_avatar_place_and_disciplines_never_the_suspended(
    client: Client, designer: User
) -> None:
    assert designer.display_name == "Nguyễn Thị Mai"  # a neighbour with an avatar
    full = make_full_designer(handle="thao-full", projects=2, images=2)
    make_user(handle="no-avatar", display_name="Đỗ Văn Bình", city="Huế", country="VN")
    make_user(handle="gone", display_name="Người bị khoá", status=UserStatus.SUSPENDED)
    db.session.commit()
    mine = {d.id for d in full.designer_profile.disciplines}
    names = [d.name("vi") for d in _ordered() if d.id in mine]

    page = client.get("/", headers={"Accept-Language": "vi"}).get_data(as_text=True)

    newest = _section(page, "newest-title")
    card = newest.split('href="/designers/thao-full"')[1].split("</li>")[0]
    assert LONG_VI_NAME in card
    assert card.count("<picture") == 2  # one cover per published project
    assert "/160.webp" in card  # the avatar
    assert "Huế" in card
    assert " · ".join(names[:2]) in card  # the first two disciplines, in the admins' order
    no_avatar = newest.split('href="/designers/no-avatar"')[1].split("</li>")[0]
    assert '<span class="avatar avatar--m" aria-hidden="true">Đ</span>' in no_avatar
    assert "designer-card__placeholder" in no_avatar  # no work yet
    assert "Nguyễn Thị Mai" in newest
    assert "Người bị khoá" not in page


def _ordered() -> list[Discipline]:
    return sorted(db.session.query(Discipline).all(), key=lambda d: (d.position, d.id))


def test_a_renamed_discipline_shows_its_new_name_at_once(client: Client, admin: User) -> None:
    make_full_designer(handle="thao-full", projects=0)
    db.session.commit()
    first = _ordered()[0]
    assert first.name("en") in client.get("/").get_data(as_text=True)
    client.login_as(admin)
    prefix = f"d{first.id}"
    # The disciplines are the migration's rows, kept between tests on PostgreSQL: put it back.
    original = dict(first.names)
    try:
        client.post_form(
            f"/admin/disciplines/{first.id}",
            {
                f"{prefix}-slug": first.slug,
                f"{prefix}-name_vi": "Nghề đổi tên",
                f"{prefix}-name_en": "Renamed craft",
                f"{prefix}-name_fr": "Métier renommé",
                f"{prefix}-position": str(first.position),
            },
        )

        assert "Renamed craft" in client.get("/").get_data(as_text=True)
    finally:
        db.session.expire_all()
        first.names = original
        db.session.commit()


def test_followed_work_and_picks_show_covers_and_avatars_and_leave_with_a_suspension(
    client: Client, designer: User, moderator: User
) -> None:
    me = make_user(handle="fan", birth_date=date(1995, 5, 5), country="VN")
    lan = make_user(handle="lan", display_name="Vũ Thị Lan")
    work = make_project(lan, title="Tranh sơn mài", images=2, stored=True)
    quiet = make_user(handle="quiet", display_name="Trần Quân")
    make_project(quiet, title="Gốm lam", stored=True)
    db.session.add(Follow(follower_id=me.id, followee_id=lan.id))
    db.session.add(Follow(follower_id=me.id, followee_id=quiet.id))
    _pick(designer, moderator)  # a designer with an avatar
    plain = make_user(handle="plain", display_name="Đặng Hoa")
    _pick(plain, moderator)  # a designer without one
    _pick(lan, moderator, work)
    db.session.commit()
    client.login_as(me)

    page = client.get("/").get_data(as_text=True)

    followed = _section(page, "followed-title")
    assert "Tranh sơn mài" in followed
    assert "Gốm lam" in followed
    assert "Vũ Thị Lan" in followed
    assert f'href="/designers/lan/projects/{work.slug}"' in followed
    assert followed.count("<picture") == 2
    picks = _section(page, "picks-title")
    assert "Nguyễn Thị Mai" in picks
    assert "/400.webp" in picks
    assert (
        '<span class="project-card__placeholder pick__initial" aria-hidden="true">Đ</span>' in picks
    )
    assert "Tranh sơn mài" in picks
    assert "<picture" in picks
    assert "Chọn bởi ban biên tập" in picks

    quiet.status = UserStatus.SUSPENDED
    quiet.status_reason = "Spam."
    quiet.suspended_until = utcnow() + timedelta(days=7)
    plain.status = UserStatus.DELETED
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Gốm lam" not in page
    assert "Đặng Hoa" not in page
    assert "Tranh sơn mài" in _section(page, "followed-title")


def test_calls_one_may_enter_name_their_disciplines(client: Client, organiser: User) -> None:
    me = make_user(handle="fan", birth_date=date(1995, 5, 5), country="VN")
    first = _ordered()[0]
    call = make_call(owner=organiser, title="Mở cho mọi người")
    call.disciplines = [first]
    db.session.commit()
    client.login_as(me)

    section = _section(client.get("/").get_data(as_text=True), "eligible-title")

    assert "Mở cho mọi người" in section
    assert first.name("en") in section

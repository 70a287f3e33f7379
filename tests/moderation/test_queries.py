"""Moderation pages send the same number of SQL statements for 2 items as for 50."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.accounts.models import AccountType, User, UserStatus
from app.extensions import db
from app.moderation.models import ActionKind, Appeal
from tests.conftest import Client
from tests.factories import make_user
from tests.moderation.factories import make_action, make_project, make_report


def _members(n: int) -> None:
    for _ in range(n):
        person = make_user(status=UserStatus.PENDING, bio="Nhà thiết kế trẻ.")
        make_project(person)


def _organisers(n: int) -> None:
    for _ in range(n):
        make_user(status=UserStatus.PENDING, account_type=AccountType.ORGANISER)


def _reports(n: int) -> None:
    reporter = make_user()
    for _ in range(n):
        owner = make_user()
        project = make_project(owner)
        make_report(reporter, target_id=project.id, subject=owner)
        make_report(reporter, target_type="profile", target_id=owner.id, subject=owner)


def _log(n: int) -> None:
    actor = make_user()
    for _ in range(n):
        make_action(make_user(), kind=ActionKind.WARN, actor=actor)


def _appeals(n: int) -> None:
    for _ in range(n):
        person = make_user()
        action = make_action(person, actor=make_user())
        db.session.add(Appeal(action_id=action.id, user_id=person.id, text="Xin xem lại."))


def _own(n: int, who: User) -> None:
    for _ in range(n):
        make_action(who, kind=ActionKind.WARN)


PAGES: list[tuple[str, Callable[[int], None]]] = [
    ("/moderation/members", _members),
    ("/moderation/organisers", _organisers),
    ("/moderation/reports", _reports),
    ("/moderation/log", _log),
    ("/moderation/appeals", _appeals),
    ("/moderation", _members),
]


@pytest.mark.parametrize(("url", "fill"), PAGES, ids=[p[0] for p in PAGES])
def test_constant_queries(
    client: Client, moderator: User, count_queries: Any, url: str, fill: Callable[[int], None]
) -> None:
    client.login_as(moderator)
    counts = []
    for n in (2, 48):  # 2 items, then 50
        fill(n)
        db.session.commit()
        client.get(url)  # warm-up (session last-seen writes, caches)
        with count_queries() as q:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def test_own_moderation_page_constant_queries(
    client: Client, designer: User, count_queries: Any
) -> None:
    client.login_as(designer)
    counts = []
    for n in (2, 48):
        _own(n, designer)
        db.session.commit()
        client.get("/account/moderation")
        with count_queries() as q:
            client.get("/account/moderation")
        counts.append(q.count)
    assert counts[0] == counts[1], counts

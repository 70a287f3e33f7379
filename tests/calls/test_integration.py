"""Calls meeting the other domains: search, moderation, suspended organisers, portfolio credits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts.models import User, UserStatus
from app.calls import services
from app.calls.models import CallKind, Decision
from app.db_types import utcnow
from app.extensions import db
from app.search.services import search
from tests.calls.factories import make_call, make_submission
from tests.conftest import Client


def call_data(title: str) -> services.CallData:
    return services.CallData(
        kind=CallKind.FESTIVAL,
        title=title,
        summary="Trưng bày thiết kế trẻ tại Hà Nội.",
        description="Một **lễ hội** cho các nhà thiết kế đồ hoạ.",
        timezone="Asia/Ho_Chi_Minh",
        deadline_at=utcnow() + timedelta(days=30),
    )


@pytest.mark.usefixtures("app")
def test_published_calls_are_found_without_diacritics_drafts_are_not(organiser: User) -> None:
    call = services.create_call(owner=organiser, data=call_data("Lễ hội Thiết kế Sáng tạo"))
    db.session.commit()
    assert search("le hoi thiet ke").items == []  # a draft is not public
    services.publish_call(call, actor=organiser)
    db.session.commit()
    found = search("le hoi thiet ke", kind="call").items
    assert [d.title for d in found] == ["Lễ hội Thiết kế Sáng tạo"]
    assert found[0].url == f"/calls/{call.slug}"
    assert [d.title for d in search("do hoa").items] == ["Lễ hội Thiết kế Sáng tạo"]


def test_search_page_lists_calls(client: Client, organiser: User) -> None:
    call = services.create_call(owner=organiser, data=call_data("Cuộc thi áo dài mới"))
    services.publish_call(call, actor=organiser)
    db.session.commit()
    page = client.get("/search?q=ao+dai").get_data(as_text=True)
    assert "Cuộc thi áo dài mới" in page


def test_hiding_a_call_removes_it_from_search(
    client: Client, organiser: User, moderator: User
) -> None:
    call = services.create_call(owner=organiser, data=call_data("Triển lãm gốm Bát Tràng"))
    services.publish_call(call, actor=organiser)
    db.session.commit()
    client.login_as(moderator)
    client.post_form(f"/moderation/targets/call/{call.id}/hide", {"hide-reason": "Lừa đảo."})
    assert search("bat trang").items == []


def test_a_suspended_organisers_calls_leave_public_view(client: Client, organiser: User) -> None:
    call = make_call(owner=organiser, title="Residency in Huế")
    db.session.commit()
    assert "Residency in Huế" in client.get("/calls").get_data(as_text=True)
    organiser.status = UserStatus.SUSPENDED
    db.session.commit()
    assert "Residency in Huế" not in client.get("/calls").get_data(as_text=True)
    assert client.get(f"/calls/{call.slug}").status_code == 404
    assert "Residency in Huế" not in client.get("/calls/feed.atom").get_data(as_text=True)


def test_an_accepted_result_is_a_credit_on_the_portfolio(
    client: Client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Hanoi Creative Design Festival")
    submission = make_submission(call=call, applicant=designer)
    submission.decision = Decision.ACCEPTED
    submission.decided_at = utcnow()
    submission.notified_at = utcnow()
    db.session.commit()
    page = client.get(f"/designers/{designer.handle}").get_data(as_text=True)
    assert "Selected — Hanoi Creative Design Festival" in page
    submission.credit_hidden = True
    db.session.commit()
    page = client.get(f"/designers/{designer.handle}").get_data(as_text=True)
    assert "Hanoi Creative Design Festival" not in page

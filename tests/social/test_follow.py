"""Following designers and organisations: the buttons, the counts, the lists, blocks, deletion."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from sqlalchemy import func, select

from app.accounts.models import AccountType, User, UserStatus
from app.extensions import db
from app.social.models import Follow
from tests.conftest import Client
from tests.factories import PASSWORD, make_user
from tests.social.factories import follow_all, many_designers


def follows() -> list[tuple[int, int]]:
    db.session.expire_all()
    return [tuple(r) for r in db.session.execute(select(Follow.follower_id, Follow.followee_id))]


def test_a_member_follows_a_designer_from_the_portfolio_and_sees_the_count(
    client: Client, designer: User
) -> None:
    fan = client.login_as(make_user(handle="fan-one", display_name="Trần Văn An"))
    db.session.commit()
    page = client.get("/designers/mai-nguyen").get_data(as_text=True)
    assert "0 followers" in page
    assert 'action="/people/mai-nguyen/follow"' in page

    response = client.post_form(
        "/people/mai-nguyen/follow", {"next": "/designers/mai-nguyen"}, follow_redirects=True
    )

    page = response.get_data(as_text=True)
    assert "You follow Nguyễn Thị Mai" in page
    assert "1 follower" in page
    assert 'action="/people/mai-nguyen/unfollow"' in page
    assert follows() == [(fan.id, designer.id)]
    # A second click (or a second tab) changes nothing and says so.
    again = client.post_form("/people/mai-nguyen/follow", follow_redirects=True)
    assert "You already follow Nguyễn Thị Mai" in again.get_data(as_text=True)
    assert len(follows()) == 1

    # A `next` that leaves the site is ignored: back to the portfolio.
    hostile = client.post_form("/people/mai-nguyen/unfollow", {"next": "https://evil.example/"})
    assert hostile.headers["Location"].endswith("/designers/mai-nguyen")
    client.post_form("/people/mai-nguyen/follow")
    gone = client.post_form("/people/mai-nguyen/unfollow", follow_redirects=True)
    assert "You no longer follow Nguyễn Thị Mai" in gone.get_data(as_text=True)
    assert follows() == []


@pytest.mark.usefixtures("organiser")
def test_an_organisation_is_followed_from_its_page_and_from_the_directory_card(
    client: Client,
) -> None:
    client.login_as(make_user(handle="fan-two"))
    db.session.commit()
    card = client.get("/organisations").get_data(as_text=True)
    assert 'action="/people/design-centre/follow"' in card
    client.post_form("/people/design-centre/follow", {"next": "/organisations"})
    page = client.get("/organisers/design-centre").get_data(as_text=True)
    assert "1 follower" in page
    assert 'action="/people/design-centre/unfollow"' in page


@pytest.mark.usefixtures("suspended_designer")
def test_following_oneself_a_suspended_or_deleted_person_is_refused_with_a_reason(
    client: Client, designer: User
) -> None:
    gone = make_user(handle="gone-one", status=UserStatus.DELETED)
    db.session.commit()
    client.login_as(designer)

    own = client.post_form("/people/mai-nguyen/follow", follow_redirects=True)
    assert "You cannot follow yourself." in own.get_data(as_text=True)
    suspended = client.post_form("/people/suspended-one/follow", follow_redirects=True)
    assert "account is suspended: you cannot follow it now" in suspended.get_data(as_text=True)
    deleted = client.post_form(f"/people/{gone.handle}/follow", follow_redirects=True)
    assert "This account was deleted: there is no one to follow." in deleted.get_data(as_text=True)
    assert client.post_form("/people/nobody-here/follow").status_code == 404
    assert follows() == []
    # No button where it would be refused: not on one's own page.
    assert 'action="/people/mai-nguyen/follow"' not in client.get("/designers/mai-nguyen").get_data(
        as_text=True
    )


@pytest.mark.usefixtures("designer")
def test_a_pending_person_is_told_they_may_follow_once_approved(
    client: Client, pending_designer: User
) -> None:
    client.login_as(pending_designer)
    response = client.post_form("/people/mai-nguyen/follow", follow_redirects=True)
    assert "once a moderator has approved your account" in response.get_data(as_text=True)
    assert follows() == []


@pytest.mark.usefixtures("designer")
def test_visitors_are_asked_to_log_in_to_follow(client: Client) -> None:
    page = client.get("/designers/mai-nguyen").get_data(as_text=True)
    assert "Log in to follow" in page
    response = client.post_form("/people/mai-nguyen/follow")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_blocking_ends_following_both_ways_and_prevents_it(client: Client, designer: User) -> None:
    other = make_user(handle="other-one", display_name="Phạm Thu Hà")
    db.session.add_all(
        [
            Follow(follower_id=designer.id, followee_id=other.id),
            Follow(follower_id=other.id, followee_id=designer.id),
        ]
    )
    db.session.commit()
    client.login_as(designer)

    assert client.post_form("/messages/block/other-one").status_code == 302

    assert follows() == []
    refused = client.post_form("/people/other-one/follow", follow_redirects=True)
    assert "one of you blocked the other" in refused.get_data(as_text=True)
    client.login_as(other)
    refused = client.post_form("/people/mai-nguyen/follow", follow_redirects=True)
    assert "one of you blocked the other" in refused.get_data(as_text=True)
    assert follows() == []


def test_a_person_may_hide_their_lists_but_not_the_counts(client: Client, designer: User) -> None:
    fan = make_user(handle="fan-three", display_name="Đỗ Minh Châu")
    db.session.add(Follow(follower_id=fan.id, followee_id=designer.id))
    db.session.commit()
    visitor: Client = client.application.test_client()  # type: ignore[assignment]
    assert "Đỗ Minh Châu" in visitor.get("/people/mai-nguyen/followers").get_data(as_text=True)

    client.login_as(designer)
    own = client.get("/people/mai-nguyen/following").get_data(as_text=True)
    assert "Keep the lists of who follows me and whom I follow private" in own
    saved = client.post_form("/me/follow-lists", {"hide_lists": "y"}, follow_redirects=True)
    assert "Only you and moderators now see" in saved.get_data(as_text=True)

    page = visitor.get("/people/mai-nguyen/followers").get_data(as_text=True)
    assert "Nguyễn Thị Mai keeps these lists private." in page
    assert "Đỗ Minh Châu" not in page
    assert "1 follower" in page
    assert "1 follower" in visitor.get("/designers/mai-nguyen").get_data(as_text=True)
    # The person still sees their own list.
    assert "Đỗ Minh Châu" in client.get("/people/mai-nguyen/followers").get_data(as_text=True)
    shown = client.post_form("/me/follow-lists", {}, follow_redirects=True)
    assert "Everyone can now see" in shown.get_data(as_text=True)
    assert "Đỗ Minh Châu" in visitor.get("/people/mai-nguyen/followers").get_data(as_text=True)


@pytest.mark.usefixtures("suspended_designer")
def test_the_lists_of_a_suspended_person_are_not_public(client: Client) -> None:
    assert client.get("/people/suspended-one/followers").status_code == 404
    assert client.get("/people/nobody/following").status_code == 404


@pytest.mark.usefixtures("designer")
def test_follower_lists_page_by_keyset_with_the_same_queries_for_2_and_2000(
    client: Client, count_queries: Any
) -> None:
    counts = []
    for n in (2, 2000):
        person = make_user(display_name=f"Người theo dõi {n}")
        ids = many_designers(n)
        follow_all(person, ids)
        db.session.commit()
        client.login_as(person)
        url = f"/people/{person.handle}/following"
        client.get(url)
        with count_queries() as q:
            page = client.get(url).get_data(as_text=True)
        counts.append(q.count)
        if n == 2000:
            assert 'rel="next"' in page
            next_url = page.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
            second = client.get(next_url).get_data(as_text=True)
            first_names = {line for line in page.split("<strong>")[1:]}
            second_names = {line for line in second.split("<strong>")[1:]}
            assert first_names
            assert second_names
            assert not first_names & second_names
    assert counts[0] == counts[1], counts


def test_deleting_an_account_removes_its_follows_and_the_archive_lists_them(
    client: Client, designer: User, organiser: User
) -> None:
    fan = make_user(handle="fan-four")
    db.session.add_all(
        [
            Follow(follower_id=designer.id, followee_id=organiser.id),
            Follow(follower_id=fan.id, followee_id=designer.id),
        ]
    )
    db.session.commit()
    client.login_as(designer)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data/export.zip").get_data()))
    data = json.loads(archive.read("following.json"))
    assert [f["handle"] for f in data["following"]] == ["design-centre"]
    assert data["followers_count"] == 1

    response = client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})

    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Follow)) == 0


def test_follow_buttons_on_a_page_of_cards_cost_one_query(
    client: Client, count_queries: Any
) -> None:
    viewer = make_user(handle="card-viewer")
    db.session.commit()
    client.login_as(viewer)
    counts = []
    for n in (2, 20):
        for _ in range(n):
            make_user(account_type=AccountType.DESIGNER)
        db.session.commit()
        client.get("/designers")
        with count_queries() as q:
            page = client.get("/designers").get_data(as_text=True)
        assert page.count("/follow") >= 2
        counts.append(q.count)
    assert counts[0] == counts[1], counts

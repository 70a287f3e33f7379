"""Portfolios, projects and the directory as visitors see them."""

from __future__ import annotations

from typing import Any

import pytest

from app.accounts.models import User, UserStatus
from app.calls.models import Decision
from app.db_types import utcnow
from app.extensions import db
from app.portfolios.models import ProjectImage
from app.profiles.models import Discipline
from tests.calls.factories import make_call, make_submission
from tests.conftest import Client
from tests.factories import make_user
from tests.portfolios.factories import make_project


def test_portfolio_shows_covers_with_responsive_images(client: Client, designer: User) -> None:
    project = make_project(designer, title="Sơn mài", images=3)
    project.images[2].is_cover = True
    make_project(designer, title="Bản nháp", published=False)
    db.session.commit()
    page = client.get("/designers/mai-nguyen").get_data(as_text=True)
    assert "Nguyễn Thị Mai" in page
    assert "Sơn mài" in page
    assert "Bản nháp" not in page
    cover = project.images[2]
    assert f"/media/{cover.storage_key}/400.webp 400w" in page
    assert 'sizes="' in page
    assert 'width="1600"' in page
    assert 'height="1200"' in page
    assert 'loading="lazy"' in page or 'fetchpriority="high"' in page


def test_portfolio_names_the_designers_disciplines(client: Client, designer: User) -> None:
    graphic = db.session.scalar(db.select(Discipline).filter_by(slug="graphic"))
    assert graphic is not None
    designer.designer_profile.disciplines = [graphic]
    db.session.commit()
    page = client.get("/designers/mai-nguyen").get_data(as_text=True)
    assert f"<li>{graphic.name('en')}</li>" in page or f"<li>{graphic.name('vi')}</li>" in page
    assert "<li></li>" not in page


@pytest.mark.usefixtures("organiser")
def test_project_page_shows_images_tags_and_appreciations(client: Client, designer: User) -> None:
    project = make_project(designer, title="Áo dài", images=2, tags=["silk", "áo dài"])
    db.session.commit()
    url = f"/designers/mai-nguyen/projects/{project.slug}"
    page = client.get(url).get_data(as_text=True)
    assert "Áo dài" in page
    assert "silk" in page
    assert "0 appreciations" in page
    assert 'loading="lazy"' in page
    member = make_user(handle="fan")
    db.session.commit()
    client.login_as(member)
    client.post_form(url + "/appreciate")
    assert "1 appreciation" in client.get(url).get_data(as_text=True)
    client.post_form(url + "/appreciate")
    assert "0 appreciations" in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "banner"),
    [
        ({"status": UserStatus.PENDING}, "is waiting for a moderator"),
        ({"status": UserStatus.REJECTED}, "was not approved"),
        ({"hidden_at": "now"}, "A moderator has hidden your profile"),
    ],
)
@pytest.mark.usefixtures("app")
def test_non_public_people_are_404_but_owner_sees_why(
    client: Client, change: dict[str, Any], banner: str
) -> None:
    user = make_user(handle="lan")
    project = make_project(user, title="Gốm")
    for key, value in change.items():
        setattr(user, key, utcnow() if value == "now" else value)
    db.session.commit()
    assert client.get("/designers/lan").status_code == 404
    assert client.get(f"/designers/lan/projects/{project.slug}").status_code == 404
    client.login_as(user)
    response = client.get("/designers/lan")
    assert response.status_code == 200
    assert banner in response.get_data(as_text=True)


def test_hidden_or_draft_project_is_404_to_others(client: Client, designer: User) -> None:
    hidden = make_project(designer, title="Hidden")
    hidden.hidden_at = utcnow()
    draft = make_project(designer, title="Draft", published=False)
    db.session.commit()
    for project in (hidden, draft):
        assert client.get(f"/designers/mai-nguyen/projects/{project.slug}").status_code == 404
    client.login_as(designer)
    page = client.get(f"/designers/mai-nguyen/projects/{draft.slug}").get_data(as_text=True)
    assert "This project is a draft" in page


@pytest.mark.usefixtures("app")
def test_directory_filters_and_empty_state(client: Client) -> None:
    graphic = db.session.scalar(db.select(Discipline).filter_by(slug="graphic"))
    assert graphic is not None
    a = make_user(handle="an", display_name="Phạm An", city="Huế", country="VN")
    a.designer_profile.disciplines = [graphic]
    a.designer_profile.available_for_work = True
    make_user(handle="camille", display_name="Camille Lefèvre", city="Lyon", country="FR")
    make_user(handle="waiting", display_name="Chờ Duyệt", status=UserStatus.PENDING)
    db.session.commit()
    page = client.get("/designers").get_data(as_text=True)
    assert "Phạm An" in page
    assert "Camille Lefèvre" in page
    assert "Chờ Duyệt" not in page
    page = client.get(f"/designers?discipline={graphic.id}").get_data(as_text=True)
    assert "Phạm An" in page
    assert "Camille Lefèvre" not in page
    page = client.get("/designers?country=FR").get_data(as_text=True)
    assert "Camille Lefèvre" in page
    assert "Phạm An" not in page
    page = client.get("/designers?city=lyon").get_data(as_text=True)
    assert "Camille Lefèvre" in page
    assert "Phạm An" not in page
    page = client.get("/designers?available=y&sort=active").get_data(as_text=True)
    assert "Phạm An" in page
    assert "Camille Lefèvre" not in page
    page = client.get("/designers?country=JP").get_data(as_text=True)
    assert "No designer matches these filters yet." in page
    assert "Clear filters" in page


@pytest.mark.usefixtures("app")
def test_directory_paginates_24_per_page_without_counting(client: Client) -> None:
    for n in range(26):
        make_user(handle=f"d{n:02d}", display_name=f"Designer {n:02d}")
    db.session.commit()
    first = client.get("/designers").get_data(as_text=True)
    assert first.count('class="designer-card"') == 24
    assert 'rel="next"' in first
    second = client.get("/designers?page=2").get_data(as_text=True)
    assert second.count('class="designer-card"') == 2
    assert 'rel="prev"' in second
    assert client.get("/designers?page=9999").status_code == 404
    assert client.get("/designers?page=abc").status_code == 404


def _count(client: Client, count_queries: Any, url: str) -> int:
    # Once first: the first view of a project on a day makes that day's salt of view counting
    # (app/social/viewcount.py), a cost paid once a day, not per page.
    client.get(url)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return int(counter.count)


@pytest.mark.usefixtures("app")
def test_page_query_counts_do_not_grow(client: Client, count_queries: Any) -> None:
    graphic = db.session.scalar(db.select(Discipline).filter_by(slug="graphic"))
    owner = make_user(handle="owner", display_name="Owner")
    owner.designer_profile.disciplines = [graphic]
    big = make_project(owner, title="Big", images=2)
    for n in range(2):
        designer = make_user(handle=f"p{n}")
        designer.designer_profile.disciplines = [graphic]
        make_project(designer, images=1)
        make_project(owner, images=1)
    db.session.commit()
    urls = ["/designers", "/designers/owner", f"/designers/owner/projects/{big.slug}"]
    client.login_as(make_user(handle="viewer"))
    small = [_count(client, count_queries, u) for u in urls]
    for n in range(2, 50):
        designer = make_user(handle=f"p{n}")
        designer.designer_profile.disciplines = [graphic]
        make_project(designer, images=1)
        make_project(owner, images=1)
    big = db.session.merge(big)
    for i in range(2, 50):
        big.images.append(
            ProjectImage(
                position=i, width=800, height=600, storage_key=f"p/cd/{i:016d}", widths=[400]
            )
        )
    db.session.commit()
    large = [_count(client, count_queries, u) for u in urls]
    assert small == large, (small, large)
    # The navigation's badges (messages, notifications, jury) cost one query together; the
    # portfolio reads the designer with the Follow button's facts and whether they have credits
    # (none here: no statement for them), then the grid with its covers; the project counts its
    # view (one INSERT), then reads its row with its images.
    assert max(large) <= 9, large
    assert large[1] <= 4, large
    assert large[2] <= 4, large
    print("query counts (directory, portfolio, project):", large)


@pytest.mark.usefixtures("app")
def test_an_image_shared_by_many_projects_is_checked_in_one_query(
    client: Client, count_queries: Any
) -> None:
    owner = make_user(handle="sharer")
    first = make_project(owner, title="Stored", images=1, stored=True)
    image = first.images[0]
    key, widths = image.storage_key, list(image.widths)
    draft = make_project(make_user(handle="drafter"), title="Draft", published=False, images=0)
    draft.images.append(
        ProjectImage(
            position=0, width=image.width, height=image.height, storage_key=key, widths=widths
        )
    )
    for n in range(30):
        other = make_project(make_user(handle=f"sharer{n}"), title=f"Copy {n}", images=0)
        other.images.append(
            ProjectImage(
                position=0, width=image.width, height=image.height, storage_key=key, widths=widths
            )
        )
    db.session.commit()
    with count_queries() as counter:
        response = client.get(f"/media/{key}/{widths[0]}.webp")
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    assert counter.count == 1


@pytest.mark.usefixtures("app")
def test_a_portfolio_reads_its_credits_only_when_it_has_some(
    client: Client, count_queries: Any, organiser: User
) -> None:
    designer = make_user(handle="credited")
    make_project(designer, images=1)
    call = make_call(owner=organiser, title="Hanoi Poster Festival")
    submission = make_submission(call=call, applicant=designer)
    db.session.commit()
    without = _count(client, count_queries, "/designers/credited")
    submission.decision = Decision.ACCEPTED
    submission.decided_at = submission.notified_at = utcnow()
    db.session.commit()
    with_credit = _count(client, count_queries, "/designers/credited")
    assert with_credit == without + 1
    page = client.get("/designers/credited").get_data(as_text=True)
    assert f'<a href="/calls/{call.slug}">Selected — Hanoi Poster Festival, ' in page
    submission.results_consent = True
    db.session.commit()
    page = client.get("/designers/credited").get_data(as_text=True)
    assert f'<a href="/calls/{call.slug}/results">Selected — Hanoi Poster Festival, ' in page
    call.hidden_at = utcnow()  # hidden by the moderators: no credit, and no statement for it
    db.session.commit()
    assert "Hanoi Poster Festival" not in client.get("/designers/credited").get_data(as_text=True)
    assert _count(client, count_queries, "/designers/credited") == without


@pytest.mark.usefixtures("app")
def test_a_project_page_shows_its_images_in_their_order(client: Client) -> None:
    owner = make_user(handle="ordered")
    project = make_project(owner, title="Ordered", images=0)
    for position in (2, 0, 1):
        project.images.append(
            ProjectImage(
                position=position,
                width=800,
                height=600,
                storage_key=f"p/or/{position:016d}",
                widths=[400],
                alt_text=f"Image {position}",
            )
        )
    db.session.commit()
    page = client.get(f"/designers/ordered/projects/{project.slug}").get_data(as_text=True)
    shown = [page.index(f'alt="Image {n}"') for n in range(3)]
    assert shown == sorted(shown)

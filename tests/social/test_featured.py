"""Staff picks: moderators feature a project or a designer for a period, logged; the home page
and /featured show them while they run."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.i18n import zone
from app.moderation.models import ActionKind, ModerationAction
from app.social.models import Feature, FeatureKind
from tests.conftest import Client
from tests.factories import make_user
from tests.portfolios.factories import make_project


def local_today() -> date:
    """Today where the moderator is (the network's zone): the form's days are theirs."""
    return utcnow().astimezone(zone(None)).date()


def test_a_moderator_features_a_project_from_its_page_and_everyone_sees_it(
    client: Client, designer: User, moderator: User
) -> None:
    project = make_project(designer, title="Áo dài tái chế", slug="ao-dai")
    db.session.commit()
    client.login_as(moderator)
    page = client.get("/designers/mai-nguyen/projects/ao-dai").get_data(as_text=True)
    form_url = f"/moderation/feature/project/{project.id}"
    assert f'href="{form_url}"' in page
    assert client.get(form_url).status_code == 200
    today = local_today()

    response = client.post_form(
        form_url,
        {
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=6)).isoformat(),
            "note": "Vải cũ, đời mới",
        },
    )

    assert response.status_code == 302
    action = db.session.scalar(
        select(ModerationAction).where(ModerationAction.kind == ActionKind.FEATURE)
    )
    assert action is not None
    assert action.subject_id == designer.id
    assert action.actor_id == moderator.id
    assert action.target_type == "project"
    visitor: Client = client.application.test_client()  # type: ignore[assignment]
    home = visitor.get("/").get_data(as_text=True)
    picks = home.split('id="picks-title"')[1].split("</section>")[0]
    assert "Áo dài tái chế" in picks
    assert "Vải cũ, đời mới" in picks
    assert "Áo dài tái chế" in visitor.get("/featured").get_data(as_text=True)
    assert "Featured on the home page" in client.get("/moderation/log").get_data(as_text=True)

    pick = db.session.scalar(select(Feature))
    assert pick is not None
    ended = client.post_form(f"/moderation/features/{pick.id}/end", follow_redirects=True)
    assert "The staff pick has ended" in ended.get_data(as_text=True)
    assert 'id="picks-title"' not in visitor.get("/").get_data(as_text=True)
    assert "No staff pick right now." in visitor.get("/featured").get_data(as_text=True)
    kinds = db.session.scalars(select(ModerationAction.kind)).all()
    assert ActionKind.END_FEATURE in kinds


def test_a_designer_is_featured_from_their_portfolio(
    client: Client, designer: User, moderator: User
) -> None:
    client.login_as(moderator)
    page = client.get("/designers/mai-nguyen").get_data(as_text=True)
    assert f'href="/moderation/feature/designer/{designer.id}"' in page
    today = local_today()
    client.post_form(
        f"/moderation/feature/designer/{designer.id}",
        {"starts_on": today.isoformat(), "ends_on": today.isoformat()},
    )
    featured = client.application.test_client().get("/featured").get_data(as_text=True)
    assert "Nguyễn Thị Mai" in featured


def test_wrong_periods_are_refused_with_the_dates_kept(
    client: Client, designer: User, moderator: User
) -> None:
    client.login_as(moderator)
    url = f"/moderation/feature/designer/{designer.id}"
    today = local_today()
    cases = [
        (today, today - timedelta(days=2), "The last day comes before the first day."),
        (today - timedelta(days=9), today - timedelta(days=3), "This period is already over"),
        (today, today + timedelta(days=200), "A staff pick lasts at most 92 days."),
        (None, today, "This field is required."),
    ]
    for start, end, message in cases:
        response = client.post_form(
            url,
            {
                "starts_on": start.isoformat() if start else "",
                "ends_on": end.isoformat(),
                "note": "<script>x</script>",
            },
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert message in page
        assert end.isoformat() in page
        assert "<script>x</script>" not in page
    assert db.session.scalar(select(Feature)) is None


def test_members_cannot_feature_and_hidden_work_leaves_the_picks(
    client: Client, designer: User, moderator: User
) -> None:
    project = make_project(designer, title="Tranh khắc gỗ")
    now = utcnow()
    db.session.add(
        Feature(
            kind=FeatureKind.PROJECT,
            user_id=designer.id,
            project_id=project.id,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=1),
            created_by_id=moderator.id,
        )
    )
    db.session.commit()
    client.login_as(make_user())
    assert client.get(f"/moderation/feature/project/{project.id}").status_code == 403
    assert "Tranh khắc gỗ" in client.get("/featured").get_data(as_text=True)
    project.hidden_at = now
    db.session.commit()
    assert "Tranh khắc gỗ" not in client.get("/featured").get_data(as_text=True)
    assert "Tranh khắc gỗ" not in client.get("/").get_data(as_text=True)


def test_featured_costs_the_same_queries_for_few_and_many_picks(
    client: Client, count_queries: Any
) -> None:
    counts = []
    now = utcnow()
    for n in (2, 40):
        for _ in range(n):
            person = make_user()
            project = make_project(person)
            db.session.add(
                Feature(
                    kind=FeatureKind.PROJECT,
                    user_id=person.id,
                    project_id=project.id,
                    starts_at=now - timedelta(hours=1),
                    ends_at=now + timedelta(days=3),
                )
            )
        db.session.commit()
        client.get("/featured")
        with count_queries() as q:
            page = client.get("/featured").get_data(as_text=True)
        counts.append(q.count)
        assert "project-card__title" in page
    assert counts[0] == counts[1], counts
    assert 'rel="next"' in client.get("/featured").get_data(as_text=True)
    assert client.get("/featured?page=2").status_code == 200
    assert client.get("/featured?page=50").status_code == 404

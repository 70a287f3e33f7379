"""Following and view counting under parallel requests: one row wins (PostgreSQL, real commits)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.social import services, viewcount
from app.social.models import Follow, ProjectViewHit, ViewSalt
from tests.factories import make_user
from tests.portfolios.factories import make_project
from tests.test_races import THREADS, count, race, racing_app

__all__ = ["racing_app"]  # the fixture, shared with tests/test_races.py


@pytest.mark.postgres_only
def test_twenty_follow_clicks_at_once_make_one_follow(racing_app: Flask) -> None:
    with racing_app.app_context():
        fan, person = make_user(handle="race-fan"), make_user(handle="race-star")
        db.session.commit()
        fan_id, person_id = fan.id, person.id

    def click() -> Any:
        actor, followee = db.session.get(User, fan_id), db.session.get(User, person_id)
        assert actor is not None
        assert followee is not None
        return services.follow(actor=actor, person=followee)

    outcomes = race(racing_app, [click] * THREADS)

    assert outcomes == ["won"] * THREADS, outcomes
    with racing_app.app_context():
        assert count(select(func.count()).select_from(Follow)) == 1


@pytest.mark.postgres_only
def test_the_first_views_of_a_day_on_many_machines_share_one_salt(racing_app: Flask) -> None:
    with racing_app.app_context():
        owner = make_user(handle="race-owner")
        project_id = make_project(owner).id
        db.session.commit()

    def view(n: int) -> None:
        viewcount.record(project_id, address=f"203.0.113.{n % 5}", user_agent="Firefox")

    outcomes = race(racing_app, [lambda n=n: view(n) for n in range(THREADS)])

    assert outcomes == ["won"] * THREADS, outcomes
    with racing_app.app_context():
        assert count(select(func.count()).select_from(ViewSalt)) == 1
        assert count(select(func.count()).select_from(ProjectViewHit)) == 5

"""Ages are judged on the deadline day of the category applied in, when it has its own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from app.accounts.models import User
from app.calls import services
from app.calls.models import Submission
from app.extensions import db
from demo import build
from tests.calls.factories import make_call, make_project

DEADLINE = datetime(2030, 6, 30, 16, 59, tzinfo=UTC)  # 23:59 on 30 June in Hà Nội
EARLY = datetime(2030, 5, 31, 16, 59, tzinfo=UTC)  # 23:59 on 31 May in Hà Nội


def _born(user: User, birth: date) -> None:
    profile = services.profile_of(user)
    assert profile is not None
    profile.birth_date = birth
    db.session.flush()


@pytest.mark.usefixtures("app")
def test_age_is_judged_on_the_categorys_own_deadline_day(organiser: User, designer: User) -> None:
    call = make_call(owner=organiser, deadline_at=DEADLINE, max_age=34)
    early = build.category(call, "Sinh viên", deadline_at=EARLY)
    late = build.category(call, "Chuyên nghiệp")
    # 35 on 15 June: still 34 on the early category's deadline, 35 on the call's.
    _born(designer, date(1995, 6, 15))
    profile = services.profile_of(designer)
    assert services.eligibility(call, profile, early).ok
    assert services.eligibility(call, profile, early).age == 34
    verdict = services.eligibility(call, profile, late)
    assert verdict.reasons == ["too_old"]
    assert verdict.age == 35
    # Before picking: eligible in at least one category.
    assert services.eligibility(call, profile).ok
    # Born on the early deadline day 35 years before: 35 that day, too old everywhere.
    _born(designer, date(1995, 5, 31))
    assert services.eligibility(call, services.profile_of(designer), early).reasons == ["too_old"]
    assert not services.eligibility(call, services.profile_of(designer)).ok


@pytest.mark.usefixtures("app")
def test_applying_in_a_category_too_late_for_ones_age_is_refused(
    client: Any, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, deadline_at=DEADLINE, max_age=34)
    early = build.category(call, "Sinh viên", deadline_at=EARLY)
    late = build.category(call, "Chuyên nghiệp")
    _born(designer, date(1995, 6, 15))
    project = make_project(owner=designer)
    db.session.commit()
    with time_machine.travel(EARLY - timedelta(days=10), tick=False):
        client.login_as(designer)
        page = client.get(f"/calls/{call.slug}/apply").get_data(as_text=True)
        assert "over the age limit on its deadline" in page
        assert f'value="{late.id}"  disabled>' in page
        assert f'value="{early.id}"  >' in page
        data = {"statement": "Kept", "projects": [str(project.id)], "submit": "1"}
        refused = client.post_form(f"/calls/{call.slug}/apply", {**data, "category": str(late.id)})
        assert refused.status_code == 422
        assert "over the age limit of the category “Chuyên nghiệp”" in refused.get_data(
            as_text=True
        )
        assert db.session.scalar(select(Submission.id)) is None
        taken = client.post_form(f"/calls/{call.slug}/apply", {**data, "category": str(early.id)})
        assert taken.status_code == 302
    submission = db.session.scalar(select(Submission))
    assert submission is not None
    assert submission.category_id == early.id

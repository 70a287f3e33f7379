"""The eligibility rule in SQL (`eligible_clause`) answers as the Python one (`eligibility`):
ages on deadline days in each call's zone (and its categories' earlier ones), birthdays on
29 February, age limits, country lists, missing birth dates and countries. The lists built on
it (the home page's "Calls you may enter", "I am eligible" on /calls) leave out closed, draft,
hidden and not yet open calls."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.accounts.models import User
from app.calls.eligibility import eligibility, eligible_clause
from app.calls.models import CallStatus, OpenCall
from app.db_types import utcnow
from app.extensions import db
from app.profiles.models import DesignerProfile
from app.social.services import calls_you_may_enter
from demo import build
from tests.calls.factories import make_call

# 23:30 on 28 February 2030 in UTC: already 1 March in Hà Nội and Kiritimati (UTC+14), still
# 28 February in Pago Pago (UTC-11). 2030 is not a leap year.
LATE_FEB = datetime(2030, 2, 28, 23, 30, tzinfo=UTC)
ZONES = ("Asia/Ho_Chi_Minh", "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC")
BIRTHS = (
    None,
    date(2000, 2, 29),  # 30 on 1 March 2030, still 29 on 28 February
    date(2000, 3, 1),
    date(2000, 2, 28),
    date(2001, 3, 1),
)
COUNTRIES = ("VN", "vn", "FR", "", None)


def _calls(organiser: User) -> list[OpenCall]:
    """Calls with every kind of rule, in zones either side of the date line."""
    calls = []
    n = itertools.count()
    rules: list[dict[str, Any]] = [
        {},
        {"max_age": 29},
        {"max_age": 30},
        {"allowed_countries": ["VN", "LA"]},
        {"allowed_countries": ["FR"], "max_age": 29},
    ]
    for zone, rule in itertools.product(ZONES, rules):
        calls.append(
            make_call(
                owner=organiser,
                deadline_at=LATE_FEB + timedelta(days=400),
                timezone=zone,
                slug=f"rules-{next(n)}",
                **rule,
            )
        )
    # Categories: ages are judged on the earliest category's day (one without a deadline of
    # its own closes with the call).
    for zone in ZONES:
        call = make_call(
            owner=organiser,
            deadline_at=LATE_FEB + timedelta(days=30),
            timezone=zone,
            slug=f"categories-{next(n)}",
            max_age=29,
        )
        build.category(call, "Early", deadline_at=LATE_FEB)
        build.category(call, "Late")
        calls.append(call)
        exact = make_call(
            owner=organiser, deadline_at=LATE_FEB, timezone=zone, slug=f"exact-{next(n)}"
        )
        exact.max_age = 29
        calls.append(exact)
    db.session.flush()
    return calls


def _sql_ids(birth: date | None, country: str | None) -> set[int]:
    return set(db.session.scalars(select(OpenCall.id).where(eligible_clause(birth, country))))


@pytest.mark.usefixtures("app")
def test_the_sql_rule_answers_as_the_python_rule(organiser: User, designer: User) -> None:
    calls = _calls(organiser)
    profile = db.session.scalar(
        select(DesignerProfile).where(DesignerProfile.user_id == designer.id)
    )
    assert profile is not None
    answers: set[bool] = set()
    for birth, country in itertools.product(BIRTHS, COUNTRIES):
        judged = DesignerProfile(birth_date=birth, country=country or "")
        expected = {c.id for c in calls if eligibility(c, judged).ok}
        answers |= {c.id in expected for c in calls}
        # As values (the /calls filter) and as the columns of a joined profile (the home page).
        assert _sql_ids(birth, country) == expected, (birth, country)
        profile.birth_date = birth
        profile.country = country or ""
        db.session.flush()
        joined = set(
            db.session.scalars(
                select(OpenCall.id)
                .join(DesignerProfile, DesignerProfile.user_id == designer.id)
                .where(eligible_clause(DesignerProfile.birth_date, DesignerProfile.country))
            )
        )
        assert joined == expected, (birth, country)
    assert answers == {True, False}  # the cases tell the rules apart


@pytest.mark.usefixtures("app")
def test_the_date_line_decides_a_birthday_on_the_deadline(organiser: User) -> None:
    # Born 1 March 2000: 30 on 1 March 2030, the deadline's day in Kiritimati, not Pago Pago.
    born = DesignerProfile(birth_date=date(2000, 3, 1), country="VN")
    east = make_call(owner=organiser, deadline_at=LATE_FEB, timezone="Pacific/Kiritimati")
    west = make_call(owner=organiser, deadline_at=LATE_FEB, timezone="Pacific/Pago_Pago")
    east.max_age = west.max_age = 29
    db.session.flush()
    assert not eligibility(east, born).ok
    assert eligibility(west, born).ok
    assert _sql_ids(date(2000, 3, 1), "VN") & {east.id, west.id} == {west.id}


@pytest.mark.usefixtures("app")
def test_calls_you_may_enter_are_open_published_and_meet_the_rules(
    organiser: User, designer: User
) -> None:
    profile = db.session.scalar(
        select(DesignerProfile).where(DesignerProfile.user_id == designer.id)
    )
    assert profile is not None
    profile.birth_date = date(2000, 3, 1)
    profile.country = "VN"
    soon = utcnow() + timedelta(days=3)
    ok = make_call(owner=organiser, deadline_at=soon, max_age=40, allowed_countries=["VN"])
    later = make_call(owner=organiser, deadline_at=soon + timedelta(days=1))
    make_call(owner=organiser, deadline_at=soon, max_age=20)  # too old
    make_call(owner=organiser, deadline_at=soon, allowed_countries=["FR"])  # elsewhere
    make_call(owner=organiser, deadline_at=soon, status=CallStatus.DRAFT)
    make_call(owner=organiser, deadline_at=soon, status=CallStatus.CLOSED)
    make_call(owner=organiser, deadline_at=utcnow() - timedelta(hours=1))  # past its deadline
    make_call(owner=organiser, deadline_at=soon, opens_at=utcnow() + timedelta(days=1))
    make_call(owner=organiser, deadline_at=soon, hidden_at=utcnow())
    db.session.commit()
    shown = calls_you_may_enter(designer, limit=10)
    assert [c.id for c in shown] == [ok.id, later.id]
    assert [c.id for c in calls_you_may_enter(designer, limit=1)] == [ok.id]


def test_home_and_the_eligible_filter_show_the_same_calls(
    client: FlaskClient, organiser: User, designer: User
) -> None:
    profile = db.session.scalar(
        select(DesignerProfile).where(DesignerProfile.user_id == designer.id)
    )
    assert profile is not None
    profile.birth_date = date(1999, 1, 1)
    soon = utcnow() + timedelta(days=3)
    make_call(owner=organiser, title="Under forty", deadline_at=soon, max_age=40)
    make_call(owner=organiser, title="Under twenty", deadline_at=soon, max_age=20)
    make_call(owner=organiser, title="Lao only", deadline_at=soon, allowed_countries=["LA"])
    db.session.commit()
    client.login_as(designer)  # type: ignore[attr-defined]
    home = client.get("/").get_data(as_text=True)
    listed = client.get("/calls?eligible=1").get_data(as_text=True)
    for page in (home, listed):
        assert "Under forty" in page
        assert "Under twenty" not in page
        assert "Lao only" not in page
    assert "1 call<" in listed

"""Refusing to let someone apply says why, on the call page and on the apply page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.calls.models import CallStatus
from app.calls.policies import ApplyRefusal, application_refusal, apply_refusal
from app.extensions import db
from tests.calls.factories import make_call, make_juror, make_submission
from tests.factories import make_user

DEADLINE = datetime(2027, 3, 10, 16, 59, tzinfo=UTC)
AFTER = datetime(2027, 3, 11, 9, 0, tzinfo=UTC)
BEFORE = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    # CLDR puts a narrow no-break space before "PM".
    return response.get_data(as_text=True).replace("\u202f", " ")


@pytest.mark.usefixtures("app")
def test_a_closed_call_says_when_it_closed_in_the_viewers_zone(
    client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Lantern posters", deadline_at=DEADLINE)
    designer.timezone = "Europe/Paris"
    db.session.commit()
    with time_machine.travel(AFTER, tick=False):
        client.login_as(designer)
        refused = client.get(f"/calls/{call.slug}/apply")
        page = _text(client.get(f"/calls/{call.slug}"))
    assert refused.status_code == 403
    # 16:59 UTC is 17:59 in Paris in March.
    assert "Applications closed on March 10, 2027 at 5:59 PM" in _text(refused)
    assert "You cannot open this page" not in _text(refused)
    assert "Applications closed on March 10, 2027 at 5:59 PM" in page


@pytest.mark.usefixtures("app")
def test_a_pending_designer_is_told_to_wait_for_approval(
    client, organiser: User, pending_designer: User
) -> None:
    call = make_call(owner=organiser, deadline_at=DEADLINE)
    db.session.commit()
    with time_machine.travel(BEFORE, tick=False):
        client.login_as(pending_designer)
        refused = client.get(f"/calls/{call.slug}/apply")
        page = _text(client.get(f"/calls/{call.slug}"))
    assert refused.status_code == 403
    assert "You can apply once a moderator has approved your profile." in _text(refused)
    assert "You can apply once a moderator has approved your profile." in page


@pytest.mark.usefixtures("app")
def test_a_juror_and_an_organiser_are_told_why(client, organiser: User, designer: User) -> None:
    call = make_call(owner=organiser, deadline_at=DEADLINE)
    make_juror(call=call, user=designer)
    other = make_user(handle="other-org", account_type=AccountType.ORGANISER)
    db.session.commit()
    with time_machine.travel(BEFORE, tick=False):
        client.login_as(designer)
        assert "on this call’s jury" in _text(client.get(f"/calls/{call.slug}/apply"))
        client.login_as(other)
        assert "Only designers apply to calls" in _text(client.get(f"/calls/{call.slug}/apply"))


@pytest.mark.usefixtures("app")
def test_an_applicant_still_opens_their_application_once_closed(
    client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Lantern posters", deadline_at=DEADLINE)
    make_submission(call=call, applicant=designer)
    db.session.commit()
    with time_machine.travel(AFTER, tick=False):
        client.login_as(designer)
        response = client.get(f"/calls/{call.slug}/apply")
    assert response.status_code == 200
    assert "Lantern posters" in _text(response)


@pytest.mark.parametrize(
    ("who", "when", "expected"),
    [
        ("designer", BEFORE, None),
        ("designer", AFTER, ApplyRefusal.CLOSED),
        ("pending", BEFORE, ApplyRefusal.PENDING),
        ("rejected", BEFORE, ApplyRefusal.NOT_MEMBER),
        ("organiser", BEFORE, ApplyRefusal.NOT_DESIGNER),
        ("moderator", BEFORE, None),
        ("juror", BEFORE, ApplyRefusal.JUROR),
    ],
)
@pytest.mark.usefixtures("app")
def test_apply_refusal_table(
    organiser: User, who: str, when: datetime, expected: ApplyRefusal | None
) -> None:
    call = make_call(owner=organiser, deadline_at=DEADLINE)
    person = make_user(
        handle=f"who-{who}",
        status={"pending": UserStatus.PENDING, "rejected": UserStatus.REJECTED}.get(
            who, UserStatus.ACTIVE
        ),
        account_type=AccountType.ORGANISER if who == "organiser" else AccountType.DESIGNER,
        staff_role=StaffRole.MODERATOR if who == "moderator" else StaffRole.NONE,
    )
    jurors = {person.id} if who == "juror" else set()
    with time_machine.travel(when, tick=False):
        assert apply_refusal(person, call, jurors) == expected


@pytest.mark.usefixtures("app")
def test_a_call_not_yet_open_and_a_draft_are_told_apart(organiser: User) -> None:
    person = make_user(handle="early-bird")
    soon = make_call(
        owner=organiser, deadline_at=DEADLINE, opens_at=datetime(2027, 3, 5, tzinfo=UTC)
    )
    draft = make_call(owner=organiser, deadline_at=DEADLINE, status=CallStatus.DRAFT)
    with time_machine.travel(BEFORE, tick=False):
        assert apply_refusal(person, soon, set()) == ApplyRefusal.NOT_YET_OPEN
        assert apply_refusal(person, draft, set()) == ApplyRefusal.CLOSED
        assert application_refusal(person, draft, set(), has_application=True) is None

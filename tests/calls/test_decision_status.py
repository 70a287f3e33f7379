from __future__ import annotations

import re

import pytest

from app.accounts.models import User
from app.calls.models import Decision
from app.db_types import utcnow
from app.extensions import db
from tests.calls.factories import make_call, make_submission

STATUS = re.compile(r'<span class="status status--\w+">([^<]+)</span>')


@pytest.mark.parametrize(
    ("decision", "notified", "shown"),
    [
        (Decision.ACCEPTED, True, "Accepted"),
        (Decision.DECLINED, True, "Declined"),
        (Decision.ACCEPTED, False, "Submitted"),
        (Decision.SHORTLISTED, False, "Submitted"),
    ],
)
@pytest.mark.usefixtures("app")
def test_the_call_page_shows_the_decision_once_the_applicant_was_told(
    client,
    organiser: User,
    designer: User,
    decision: Decision,
    notified: bool,
    shown: str,
) -> None:
    call = make_call(owner=organiser, title="Lantern posters")
    make_submission(
        call=call,
        applicant=designer,
        decision=decision,
        notified_at=utcnow() if notified else None,
    )
    db.session.commit()
    client.login_as(designer)
    for url in (f"/calls/{call.slug}", f"/calls/{call.slug}/apply", "/me/applications", "/me"):
        page = client.get(url).get_data(as_text=True)
        assert STATUS.findall(page) == [shown], url

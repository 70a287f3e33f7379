from __future__ import annotations

import pytest

from app.accounts.models import User
from app.extensions import db
from tests.calls.factories import make_call, make_juror, make_review, make_submission
from tests.factories import make_user


@pytest.mark.usefixtures("app")
def test_pages_render(client, organiser: User, designer: User) -> None:
    call = make_call(owner=organiser, title="Hanoi Creative Design Festival 2025")
    other = make_user(handle="linh-do", display_name="Đỗ Khánh Linh")
    sub = make_submission(call=call, applicant=other, projects=2)
    juror = make_user(handle="juror-one")
    make_juror(call=call, user=juror)
    make_review(submission=sub, juror=juror, score=5, comment="Strong")
    db.session.commit()
    slug = call.slug
    for url in [
        "/calls",
        f"/calls/{slug}",
        "/calls/feed.atom",
        "/calls/deadlines.ics",
        "/organisers/design-centre",
    ]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:3000])
    client.login_as(organiser)
    for url in [
        "/calls/new",
        f"/calls/{slug}/edit",
        f"/calls/{slug}/manage",
        f"/calls/{slug}/submissions",
        f"/calls/{slug}/submissions.csv",
        f"/calls/{slug}/submissions/{sub.id}",
        "/me/applications",
    ]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:3000])
    client.login_as(designer)
    for url in [f"/calls/{slug}/apply", "/me/applications", f"/calls/{slug}"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:3000])

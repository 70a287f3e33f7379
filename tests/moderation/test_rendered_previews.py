"""Jurors and moderators read Markdown rendered (safely); moderators see a reported project's
images, even once it is hidden."""

from __future__ import annotations

import re

import pytest

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from tests.calls.factories import make_call, make_juror, make_submission
from tests.conftest import Client
from tests.factories import make_user
from tests.moderation.factories import make_report
from tests.portfolios.factories import make_project

DESCRIPTION = "Đèn lồng **giấy dó**, vẽ tay.\n\n- tre\n- lụa\n\n<script>alert(1)</script>"


@pytest.mark.usefixtures("app")
def test_a_juror_reads_the_statement_and_projects_rendered(
    client: Client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser)
    judge = make_user(handle="juror-thu", display_name="Lê Thu")
    make_juror(call=call, user=judge)
    submission = make_submission(
        call=call, applicant=designer, statement="Tôi muốn **góp sức** cho phố cổ."
    )
    submission.projects[0].description = DESCRIPTION
    db.session.commit()
    client.login_as(judge)
    page = client.get(f"/calls/{call.slug}/submissions/{submission.id}").get_data(as_text=True)
    assert "<strong>góp sức</strong>" in page
    assert "**góp sức**" not in page
    assert "<strong>giấy dó</strong>" in page
    assert "<li>tre</li>" in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.usefixtures("app")
def test_a_moderator_sees_a_hidden_reported_projects_images_and_text(
    client: Client, designer: User, moderator: User
) -> None:
    project = make_project(designer, title="Đèn lồng", images=2, stored=True)
    project.description = DESCRIPTION
    project.hidden_at = utcnow()
    make_report(moderator, target_id=project.id, subject=designer)
    db.session.commit()
    client.login_as(moderator)
    page = client.get(f"/moderation/targets/project/{project.id}").get_data(as_text=True)
    assert "<strong>giấy dó</strong>" in page
    assert "**giấy dó**" not in page
    sources = re.findall(r'<img src="(/media/p/[^"]+)"', page)
    assert len(sources) == 2
    image = client.get(sources[0])
    assert image.status_code == 200
    assert image.mimetype == "image/jpeg"
    client.post_form("/auth/logout")
    assert client.get(sources[0]).status_code == 404

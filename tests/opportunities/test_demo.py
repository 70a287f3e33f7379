"""The demo's designer has saved calls and alerts to show."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from demo.steps import load_all
from tests.conftest import Client


@pytest.mark.usefixtures("app")
def test_the_demo_designer_has_saved_calls_and_alerts(client: Client) -> None:
    load_all()
    db.session.commit()
    mai = db.session.scalar(select(User).where(User.email == "designer@example.org"))
    assert mai is not None
    client.login_as(mai)
    saved = client.get("/calls/saved").get_data(as_text=True)
    assert saved.count('class="card call-card') == 2
    alerts = client.get("/account/alerts").get_data(as_text=True)
    assert alerts.count('class="card alert-item"') == 2

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.messaging import services
from demo import steps


@pytest.mark.usefixtures("app")
def test_the_demo_has_a_believable_conversation_for_mai() -> None:
    steps.load_all()
    db.session.commit()
    mai = db.session.scalars(select(User).where(User.email == "designer@example.org")).one()
    rows = services.inbox_rows(mai, page=1, per_page=20)
    assert len(rows) == 3
    _me, _conversation, other, last = rows[0]
    assert other.display_name == "Trần Minh Đức"
    assert last is not None
    assert "Hẹn 10h" in last.body
    assert services.unread_total(mai) == 1
    assert any(conv.topic_label for _m, conv, _o, _l in rows)

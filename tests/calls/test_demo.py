from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.calls.models import CallStatus, OpenCall, Review, Submission
from app.db_types import utcnow
from app.extensions import db
from demo.steps import load_all


@pytest.mark.usefixtures("app")
def test_demo_has_open_closing_soon_and_closed_calls() -> None:
    load_all()
    db.session.commit()
    calls = db.session.scalars(select(OpenCall)).all()
    states = {c.state() for c in calls}
    assert {CallStatus.PUBLISHED, CallStatus.CLOSED, CallStatus.DRAFT} <= states
    assert any("Hanoi Creative Design Festival" in c.title for c in calls)
    assert any(c.is_open() and c.deadline_at < utcnow() + timedelta(days=7) for c in calls)
    assert db.session.scalar(select(db.func.count(Submission.id))) >= 10
    assert db.session.scalar(select(db.func.count(Review.id))) >= 10


def test_demo_calls_are_found_by_search_after_demo_load(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    published = db.session.scalars(
        select(OpenCall).where(
            OpenCall.status == CallStatus.PUBLISHED, OpenCall.hidden_at.is_(None)
        )
    ).all()
    assert published
    visitor = app.test_client()
    for call in published:
        page = visitor.get("/search", query_string={"q": call.title}).get_data(as_text=True)
        assert f'href="{call.path}"' in page, call.title
    drafts = db.session.scalars(select(OpenCall).where(OpenCall.status == CallStatus.DRAFT))
    for draft in drafts:
        page = visitor.get("/search", query_string={"q": draft.title}).get_data(as_text=True)
        assert f'href="{draft.path}"' not in page


@pytest.mark.usefixtures("app")
def test_demo_has_a_results_page_with_consenting_winners(client) -> None:  # type: ignore[no-untyped-def]
    load_all()
    db.session.commit()
    shown = db.session.scalars(
        select(Submission).where(
            Submission.results_consent.is_(True), Submission.notified_at.is_not(None)
        )
    ).all()
    call = next(s.call for s in shown if s.prize)
    page = client.get(f"/calls/{call.slug}/results").get_data(as_text=True)
    assert page.count('class="card result"') >= 2
    assert "Giải Nhất" in page

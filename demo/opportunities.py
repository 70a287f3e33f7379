"""Demo saved calls and alerts: Mai (designer@example.org) saved two open calls and keeps two
alerts; a third call her alert found waits in her private feed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.calls.models import CallKind, CallStatus, OpenCall
from app.db_types import utcnow
from app.extensions import db
from app.opportunities import services
from app.opportunities.models import AlertFrequency, AlertMatch
from app.opportunities.services import AlertData
from app.profiles.models import Discipline


def load(context: dict[str, Any]) -> dict[str, int]:
    mai: User = context["designers"][0]
    now = utcnow()
    open_calls = list(
        db.session.scalars(
            select(OpenCall)
            .where(OpenCall.status == CallStatus.PUBLISHED, OpenCall.deadline_at > now)
            .order_by(OpenCall.deadline_at, OpenCall.id)
        )
    )
    saved = 0
    for call in open_calls[:2]:
        saved += services.save_call(mai, call)
    first_discipline = db.session.scalar(select(Discipline).order_by(Discipline.position))
    alert = services.create_alert(
        mai,
        AlertData(
            kind=CallKind.COMPETITION.value,
            discipline_id=first_discipline.id if first_discipline else None,
            no_fee=True,
        ),
    )
    services.create_alert(
        mai, AlertData(country="VN", eligible_for_me=True, frequency=AlertFrequency.DAILY)
    )
    matched = 0
    for call in open_calls[2:3]:
        db.session.add(
            AlertMatch(
                user_id=mai.id,
                call_id=call.id,
                alert_id=alert.id,
                frequency=alert.frequency,
                notified_at=now,
            )
        )
        matched += 1
    db.session.flush()
    return {"saved calls": saved, "alerts": 2, "alert matches": matched}

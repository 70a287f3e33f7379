"""Open calls in the site search: indexed when drafted, edited, published, closed or archived."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.calls.models import OpenCall
from app.extensions import db
from app.markdown import plain_text
from app.search.services import index_document


def reindex_call(call: OpenCall) -> None:
    """Put a call in the index; visible only while it is public (not a draft, not hidden)."""
    organisation = call.owner.organiser_profile.organisation if call.owner.organiser_profile else ""
    index_document(
        kind="call",
        object_id=call.id,
        title=call.title,
        body=" ".join(
            [
                call.summary,
                plain_text(call.description),
                organisation,
                call.owner.display_name,
                " ".join(d.name("en") + " " + d.name("vi") for d in call.disciplines),
            ]
        ),
        summary=call.summary[:200],
        url=call.path,
        owner_id=call.owner_id,
        public=call.is_public,
    )


def reindex_all_calls() -> int:
    calls = list(
        db.session.scalars(
            select(OpenCall).options(joinedload(OpenCall.owner), selectinload(OpenCall.disciplines))
        ).unique()
    )
    for call in calls:
        reindex_call(call)
    return len(calls)

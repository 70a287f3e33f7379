"""The full world's calls that are not open to all (tests/full_world.py): an invite-only call
with codes, and a nominated under-35 award for which the world's organiser nominates."""

from __future__ import annotations

from datetime import timedelta

from app.accounts.models import User
from app.calls import access, nominations
from app.calls.models import AccessMode
from app.db_types import utcnow
from tests.calls.factories import make_call


def add_access(*, owner: User, nominator: User, candidate: User, pending: User) -> None:
    invite = make_call(
        owner=owner,
        title="Triển lãm khách mời: Gốm Bát Tràng",
        access_mode=AccessMode.INVITE_ONLY,
        # Closing last, at the end of the list of calls (the crawl opens a few call pages
        # only): its tag on the card leads designers to the code.
        deadline_at=utcnow() + timedelta(days=90),
    )
    access.create_codes(invite, actor=owner, count=3, uses=2, label="Làng gốm")
    award = make_call(
        owner=owner,
        title="Giải thưởng Nhà thiết kế trẻ dưới 35 tuổi",
        access_mode=AccessMode.NOMINATED,
        max_age=34,
        deadline_at=utcnow() + timedelta(days=91),
    )
    seat = nominations.add_nominator(award, actor=owner, who=f"@{nominator.handle}", quota=4)
    nominations.nominate(seat, actor=nominator, candidate=f"@{candidate.handle}")
    nominations.nominate(seat, actor=nominator, candidate="sinh.vien@example.org")
    made = nominations.nominate(seat, actor=nominator, candidate=f"@{pending.handle}")
    made.approved_at = made.approved_at or utcnow()

"""Permission expectations for access codes and nominations (listed by tests/calls/routes.py).

"matrix-invite" (invite-only) and "matrix-nominated" belong to another organiser, except that
the matrix's organiser owns "matrix-invite" to manage its codes; world.users["organiser"] is
a nominator of "matrix-nominated" (an organisation nominating for someone else's award);
another organisation is a second nominator who put nobody forward (removable); a pending
newcomer's nomination stood in for approval (revocable by moderators).
"""

from __future__ import annotations

from app.accounts.models import AccountType, UserStatus
from app.calls import access
from app.calls.access_models import Nomination, Nominator
from app.calls.models import AccessMode
from app.db_types import utcnow
from app.extensions import db
from tests.calls.factories import make_call
from tests.factories import make_user
from tests.permissions import Route, World, logged_in

STAFF_ONLY = logged_in(403, moderator=200, admin=200)


def setup(world: World) -> None:
    organiser = world.users["organiser"]
    invite = make_call(
        owner=organiser,
        title="Matrix invite",
        slug="matrix-invite",
        access_mode=AccessMode.INVITE_ONLY,
    )
    [code] = access.create_codes(invite, actor=organiser, count=1, uses=5)
    other = make_user(handle="w-access-org", account_type=AccountType.ORGANISER)
    nominated = make_call(
        owner=other,
        title="Matrix nominated",
        slug="matrix-nominated",
        access_mode=AccessMode.NOMINATED,
    )
    seat = Nominator(call_id=nominated.id, user_id=organiser.id, quota=3, used=1)
    idle_user = make_user(handle="w-idle-nominator", account_type=AccountType.ORGANISER)
    idle = Nominator(call_id=nominated.id, user_id=idle_user.id, quota=2, used=0)
    db.session.add_all([seat, idle])
    db.session.flush()
    newcomer = make_user(handle="w-nominee", status=UserStatus.PENDING)
    approved = Nomination(
        call_id=nominated.id, nominator_id=seat.id, user_id=newcomer.id, approved_at=utcnow()
    )
    db.session.add(approved)
    db.session.flush()
    world.objects.update(
        code_id=code.id, seat_id=seat.id, idle_seat_id=idle.id, nomination_id=approved.id
    )


def _seat(w: World) -> str:
    return f"/nominations/{w.objects['seat_id']}"


ROUTES = [
    Route("access.manage", "GET", "/calls/matrix-invite/access", logged_in(404, organiser=200)),
    Route(
        "access.create_codes",
        "POST",
        "/calls/matrix-invite/access/codes",
        logged_in(404, organiser=422),
    ),
    Route(
        "access.revoke_code",
        "POST",
        lambda w: f"/calls/matrix-invite/access/codes/{w.objects['code_id']}/revoke",
        logged_in(404, organiser=302),
    ),
    # Someone else's call: its nominators are none of the matrix organiser's business.
    Route(
        "access.add_nominator",
        "POST",
        "/calls/matrix-nominated/access/nominators",
        logged_in(404),
    ),
    Route(
        "access.add_nominator",
        "POST",
        "/calls/matrix-invite/access/nominators",
        logged_in(404, organiser=422),
    ),
    Route(
        "access.remove_nominator",
        "POST",
        lambda w: f"/calls/matrix-nominated/access/nominators/{w.objects['idle_seat_id']}/delete",
        logged_in(404),
    ),
    # Designers who may apply see the code form; the others are sent to the application page,
    # which says why they cannot apply.
    Route(
        "access.enter_code",
        "GET",
        "/calls/matrix-invite/code",
        logged_in(200, pending=302, organiser=302),
    ),
    Route(
        "access.enter_code",
        "POST",
        "/calls/matrix-invite/code",
        logged_in(422, pending=302, organiser=302),
    ),
    Route("access.seats", "GET", "/nominations", logged_in(404, organiser=200)),
    Route("access.nominate", "GET", _seat, logged_in(404, organiser=200)),
    Route("access.nominate", "POST", _seat, logged_in(404, organiser=422)),
    Route("access.approvals", "GET", "/nominations/approvals", STAFF_ONLY),
    Route(
        "access.revoke_approval",
        "POST",
        lambda w: f"/nominations/approvals/{w.objects['nomination_id']}/revoke",
        logged_in(403, moderator=422, admin=422),
    ),
]

"""Permission expectations for the calls routes.

Call A belongs to the matrix's organiser, with world.users["juror"] on its jury and an
application by someone else; call B belongs to another organiser. Nobody outside a call's
owner and jury learns that its submissions exist: 404, not 403.

Jury invitations: world.users["juror"] is also invited (not yet answered) to call B's jury, so
that person alone opens and answers that invitation; call A has an invitation waiting for an
answer (to the member) and one sent by email to an address without an account, whose link
(`join_token`) anyone may open; and a seat a verified organisation's invitation approved.
"""

from __future__ import annotations

from app.accounts.models import AccountType, UserStatus
from app.calls import rounds, services
from app.calls.models import (
    CallQuestion,
    CallStatus,
    Decision,
    Juror,
    JurorStatus,
    QuestionKind,
)
from app.calls.round_models import AssignmentMode, RoundAssignment
from app.db_types import utcnow
from app.extensions import db
from demo import build
from tests.calls import access_routes
from tests.calls.factories import make_call, make_juror, make_submission
from tests.factories import make_user
from tests.permissions import Route, World, everyone, logged_in


def setup(world: World) -> None:
    organiser = world.users["organiser"]
    call_a = make_call(owner=organiser, title="Matrix call A", slug="matrix-a")
    question = CallQuestion(call_id=call_a.id, label="Why?", kind=QuestionKind.SHORT_TEXT)
    db.session.add(question)
    draft = make_call(
        owner=organiser, title="Matrix draft", slug="matrix-draft", status=CallStatus.DRAFT
    )
    category = build.category(draft, "Matrix poster")  # on the draft: call A stays uncategorised
    juror = make_juror(call=call_a, user=world.users["juror"])
    applicant = make_user(handle="w-applicant")
    submission = make_submission(call=call_a, applicant=applicant)
    other = make_user(handle="w-other-organiser", account_type=AccountType.ORGANISER)
    call_b = make_call(owner=other, title="Matrix call B", slug="matrix-b")
    invited = make_juror(call=call_b, user=world.users["juror"], status=JurorStatus.INVITED)
    waiting = make_juror(call=call_a, user=world.users["member"], status=JurorStatus.INVITED)
    by_email = Juror(call_id=call_a.id, email="new-juror@example.org", status=JurorStatus.INVITED)
    db.session.add(by_email)
    db.session.flush()
    token = services.new_invitation_link(by_email)  # the raw link, as emailed
    newcomer = make_user(handle="w-newcomer", status=UserStatus.PENDING)
    approved = make_juror(call=call_a, user=newcomer, approved_by_invitation_at=utcnow())
    # Call C sent its decisions: its results page shows an applicant who agreed to it.
    call_c = make_call(owner=other, title="Matrix call C", slug="matrix-c")
    make_submission(
        call=call_c,
        applicant=make_user(handle="w-winner"),
        decision=Decision.ACCEPTED,
        decided_at=utcnow(),
        notified_at=utcnow(),
        results_consent=True,
        prize="Giải Vàng",
    )
    # Call A's second round, in preparation, with the juror assigned to the application.
    final = rounds.add_round(
        call_a,
        data=rounds.RoundData(
            name="Matrix final",
            assignment=AssignmentMode.PER_SUBMISSION,
            jurors_per_submission=1,
        ),
    )
    assignment = RoundAssignment(
        round_id=final.id, submission_id=submission.id, juror_id=world.users["juror"].id
    )
    db.session.add(assignment)
    db.session.flush()
    world.objects.update(
        round_id=final.id,
        assignment_id=assignment.id,
        invitation_id=invited.id,
        waiting_id=waiting.id,
        join_token=token,
        approved_id=approved.id,
        call_a=call_a,
        call_b=call_b,
        draft=draft,
        juror_id=juror.id,
        question_id=question.id,
        category_id=category.id,
        submission=submission,
    )
    access_routes.setup(world)  # access codes and nominations


def _sid(w: World) -> int:
    return int(w.objects["submission"].id)


OWNER_ONLY_GET = logged_in(404, organiser=200)
STAFF_ONLY = logged_in(403, moderator=200, admin=200)


def _round(w: World) -> str:
    return f"/calls/matrix-a/rounds/{w.objects['round_id']}"


def _invitation(w: World) -> str:
    return f"/jury/invitations/{w.objects['invitation_id']}"


def _join(w: World) -> str:
    return f"/jury/join/{w.objects['join_token']}"


JURY_GET = logged_in(404, organiser=200, juror=200)

ROUTES = [
    Route("calls.index", "GET", "/calls", everyone(200)),
    Route("calls.detail", "GET", "/calls/matrix-a", everyone(200)),
    Route("calls.feed", "GET", "/calls/feed.atom", everyone(200)),
    Route("calls.results", "GET", "/calls/matrix-c/results", everyone(200)),
    # No decision sent yet: no results page.
    Route("calls.results", "GET", "/calls/matrix-a/results", everyone(404)),
    Route("calls.deadlines", "GET", "/calls/deadlines.ics", everyone(200)),
    Route("calls.organiser", "GET", "/organisers/w-organiser", everyone(200)),
    Route("calls.new", "GET", "/calls/new", logged_in(403, organiser=200)),
    Route("calls.new", "POST", "/calls/new", logged_in(403, organiser=422)),
    Route("calls.edit", "GET", "/calls/matrix-a/edit", OWNER_ONLY_GET),
    Route("calls.edit", "POST", "/calls/matrix-a/edit", logged_in(404, organiser=422)),
    Route("calls.manage", "GET", "/calls/matrix-a/manage", OWNER_ONLY_GET),
    Route("calls.publish", "POST", "/calls/matrix-draft/publish", logged_in(404, organiser=302)),
    Route("calls.close", "POST", "/calls/matrix-a/close", logged_in(404, organiser=302)),
    Route("calls.archive", "POST", "/calls/matrix-a/archive", logged_in(404, organiser=302)),
    Route("calls.add_question", "POST", "/calls/matrix-a/questions", logged_in(404, organiser=422)),
    Route(
        "calls.remove_question",
        "POST",
        lambda w: f"/calls/matrix-a/questions/{w.objects['question_id']}/delete",
        logged_in(404, organiser=302),
    ),
    Route(
        "calls.add_category", "POST", "/calls/matrix-a/categories", logged_in(404, organiser=422)
    ),
    Route(
        "calls.edit_category",
        "POST",
        lambda w: f"/calls/matrix-draft/categories/{w.objects['category_id']}",
        logged_in(404, organiser=422),
    ),
    Route(
        "calls.remove_category",
        "POST",
        lambda w: f"/calls/matrix-draft/categories/{w.objects['category_id']}/delete",
        logged_in(404, organiser=302),
    ),
    Route(
        "calls.category_jury",
        "POST",
        lambda w: f"/calls/matrix-draft/categories/{w.objects['category_id']}/jury",
        logged_in(404, organiser=302),
    ),
    Route("calls.invite_juror", "POST", "/calls/matrix-a/jurors", logged_in(404, organiser=422)),
    Route(
        "calls.remove_juror",
        "POST",
        lambda w: f"/calls/matrix-a/jurors/{w.objects['juror_id']}/delete",
        logged_in(404, organiser=302),
    ),
    Route(
        "calls.revoke_invitation",
        "POST",
        lambda w: f"/calls/matrix-a/jurors/{w.objects['waiting_id']}/revoke",
        logged_in(404, organiser=302),
    ),
    # Someone else's invitation: 404, whoever asks.
    Route("calls.invitation", "GET", _invitation, logged_in(404, juror=200)),
    Route(
        "calls.accept_invitation",
        "POST",
        lambda w: _invitation(w) + "/accept",
        logged_in(404, juror=302),
    ),
    Route(
        "calls.decline_invitation",
        "POST",
        lambda w: _invitation(w) + "/decline",
        logged_in(404, juror=302),
    ),
    # The emailed link opens for anyone who holds it (the suspended person is logged out).
    Route("calls.join", "GET", _join, everyone(200)),
    # Accepting needs the account of the invited address: nobody of the matrix has it.
    Route("calls.join_accept", "POST", lambda w: _join(w) + "/accept", logged_in(400)),
    # Whoever holds the link may decline, once: the first to ask (anonymous) does, the others
    # are told the link was used.
    Route(
        "calls.join_decline",
        "POST",
        lambda w: _join(w) + "/decline",
        everyone(400, anonymous=302),
    ),
    Route("calls.jury_approvals", "GET", "/jury/approvals", STAFF_ONLY),
    Route(
        "calls.revoke_jury_approval",
        "POST",
        lambda w: f"/jury/approvals/{w.objects['approved_id']}/revoke",
        logged_in(403, moderator=422, admin=422),
    ),
    Route("calls.submissions", "GET", "/calls/matrix-a/submissions", JURY_GET),
    Route("calls.export", "GET", "/calls/matrix-a/submissions.csv", OWNER_ONLY_GET),
    Route(
        "calls.submission",
        "GET",
        lambda w: f"/calls/matrix-a/submissions/{_sid(w)}",
        JURY_GET,
    ),
    Route(
        "calls.review",
        "POST",
        lambda w: f"/calls/matrix-a/submissions/{_sid(w)}/review",
        logged_in(404, organiser=403, juror=422),
    ),
    Route(
        "calls.conflict",
        "POST",
        lambda w: f"/calls/matrix-a/submissions/{_sid(w)}/conflict",
        logged_in(404, organiser=403, juror=302),
    ),
    Route(
        "calls.decide",
        "POST",
        lambda w: f"/calls/matrix-a/submissions/{_sid(w)}/decision",
        logged_in(404, organiser=422),
    ),
    Route("calls.notify", "POST", "/calls/matrix-a/notify", logged_in(404, organiser=302)),
    # Nothing selected: refused with a message.
    Route(
        "calls.bulk_decide",
        "POST",
        "/calls/matrix-a/submissions/decide",
        logged_in(404, organiser=422),
    ),
    Route("calls.decision_preview", "GET", "/calls/matrix-a/decisions/preview", OWNER_ONLY_GET),
    Route(
        "calls.apply",
        "GET",
        "/calls/matrix-a/apply",
        logged_in(200, pending=403, organiser=403, juror=403),
    ),
    Route(
        "calls.apply",
        "POST",
        "/calls/matrix-a/apply",
        logged_in(302, pending=403, organiser=403, juror=403),
    ),
    Route("calls.withdraw", "POST", "/calls/matrix-a/withdraw", logged_in(404, pending=403)),
    # Only the applicant of the call has an application whose consent to change.
    Route(
        "calls.results_consent",
        "POST",
        "/calls/matrix-a/results-consent",
        logged_in(404, pending=403),
    ),
    Route("calls.my_submissions", "GET", "/me/applications", logged_in(200)),
    # Review rounds: the call's owner only (404 for everyone else, jurors included).
    Route("call_rounds.index", "GET", "/calls/matrix-a/rounds", OWNER_ONLY_GET),
    Route("call_rounds.add", "POST", "/calls/matrix-a/rounds", logged_in(404, organiser=422)),
    Route("call_rounds.edit", "GET", _round, OWNER_ONLY_GET),
    Route("call_rounds.update", "POST", _round, logged_in(404, organiser=422)),
    # No criterion sent: refused with a message.
    Route(
        "call_rounds.criteria",
        "POST",
        lambda w: _round(w) + "/criteria",
        logged_in(404, organiser=422),
    ),
    # "Round 1" is open: refused with a message.
    Route(
        "call_rounds.open_", "POST", lambda w: _round(w) + "/open", logged_in(404, organiser=422)
    ),
    # Not open: refused with a flashed message.
    Route(
        "call_rounds.close", "POST", lambda w: _round(w) + "/close", logged_in(404, organiser=302)
    ),
    Route(
        "call_rounds.assign_all",
        "POST",
        lambda w: _round(w) + "/assign",
        logged_in(404, organiser=302),
    ),
    # No submission named: a bad request.
    Route(
        "call_rounds.add_assignment",
        "POST",
        lambda w: _round(w) + "/assignments",
        logged_in(404, organiser=400),
    ),
    Route(
        "call_rounds.remove_assignment",
        "POST",
        lambda w: _round(w) + f"/assignments/{w.objects['assignment_id']}/remove",
        logged_in(404, organiser=302),
    ),
    Route(
        "calls.toggle_credit",
        "POST",
        lambda w: f"/submissions/{_sid(w)}/credit",
        logged_in(404),
    ),
]
ROUTES += access_routes.ROUTES

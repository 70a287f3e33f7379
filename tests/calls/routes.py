"""Permission expectations for the calls routes.

Call A belongs to the matrix's organiser, with world.users["juror"] on its jury and an
application by someone else; call B belongs to another organiser. Nobody outside a call's
owner and jury learns that its submissions exist: 404, not 403.
"""

from __future__ import annotations

from app.accounts.models import AccountType
from app.calls.models import CallQuestion, CallStatus, QuestionKind
from app.extensions import db
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
    juror = make_juror(call=call_a, user=world.users["juror"])
    applicant = make_user(handle="w-applicant")
    submission = make_submission(call=call_a, applicant=applicant)
    other = make_user(handle="w-other-organiser", account_type=AccountType.ORGANISER)
    call_b = make_call(owner=other, title="Matrix call B", slug="matrix-b")
    db.session.flush()
    world.objects.update(
        call_a=call_a,
        call_b=call_b,
        draft=draft,
        juror_id=juror.id,
        question_id=question.id,
        submission=submission,
    )


def _sid(w: World) -> int:
    return int(w.objects["submission"].id)


OWNER_ONLY_GET = logged_in(404, organiser=200)
JURY_GET = logged_in(404, organiser=200, juror=200)

ROUTES = [
    Route("calls.index", "GET", "/calls", everyone(200)),
    Route("calls.detail", "GET", "/calls/matrix-a", everyone(200)),
    Route("calls.feed", "GET", "/calls/feed.atom", everyone(200)),
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
    Route("calls.invite_juror", "POST", "/calls/matrix-a/jurors", logged_in(404, organiser=422)),
    Route(
        "calls.remove_juror",
        "POST",
        lambda w: f"/calls/matrix-a/jurors/{w.objects['juror_id']}/delete",
        logged_in(404, organiser=302),
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
    Route("calls.my_submissions", "GET", "/me/applications", logged_in(200)),
    Route(
        "calls.toggle_credit",
        "POST",
        lambda w: f"/submissions/{_sid(w)}/credit",
        logged_in(404),
    ),
]

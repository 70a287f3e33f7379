"""Who may do what with calls, submissions and reviews (shown to templates as well)."""

from __future__ import annotations

import enum
from typing import Any

from app.accounts.models import User, UserStatus
from app.calls.models import CallStatus, Juror, OpenCall, Submission, SubmissionStatus


def _member(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_member)


def is_verified_organiser(user: Any) -> bool:
    """An active organiser whose organisation a moderator verified."""
    profile = getattr(user, "organiser_profile", None)
    return _member(user) and user.is_organiser and profile is not None and profile.verified_at


def can_draft_call(user: Any) -> bool:
    """Anyone with the organiser account type (pending too) may prepare calls."""
    return bool(user is not None and user.is_authenticated and user.is_organiser and user.is_active)


def can_manage_call(user: Any, call: OpenCall) -> bool:
    """Only the organiser who owns a call edits it and sees its submissions."""
    return bool(can_draft_call(user) and call.owner_id == user.id)


def can_publish_call(user: Any, call: OpenCall) -> bool:
    """The owner, once their organisation is verified, publishes a draft."""
    return (
        can_manage_call(user, call)
        and call.status == CallStatus.DRAFT
        and bool(is_verified_organiser(user))
    )


def is_own_page(user: Any, person: User) -> bool:
    """The viewer is the person the page is about."""
    return bool(user is not None and user.is_authenticated and user.id == person.id)


def can_view_organiser(user: Any, person: User) -> bool:
    """An organiser's page: public while active and not hidden; the organiser always sees it."""
    public = person.status == UserStatus.ACTIVE and person.hidden_at is None
    return public or is_own_page(user, person)


def can_view_call(user: Any, call: OpenCall) -> bool:
    """Published and not hidden (nor its organiser) for everyone; else owner and moderators."""
    if call.is_public and call.owner.is_member and call.owner.hidden_at is None:
        return True
    return can_manage_call(user, call) or bool(_member(user) and user.is_moderator)


class ApplyRefusal(enum.StrEnum):
    """Why someone may not apply; each reason is told on the page in its own words."""

    LOG_IN = "log_in"
    NOT_DESIGNER = "not_designer"
    UNVERIFIED = "unverified"
    PENDING = "pending"
    NOT_MEMBER = "not_member"
    JUROR = "juror"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"


# Reasons that concern the call, not the person: someone who already applied still opens
# their application (read-only) once the call closes.
CALL_STATE_REFUSALS = frozenset({ApplyRefusal.NOT_YET_OPEN, ApplyRefusal.CLOSED})


def apply_refusal(user: Any, call: OpenCall, jurors: set[int]) -> ApplyRefusal | None:
    """Why someone may not apply now; None for approved designers off its jury while it is open."""
    if user is None or not user.is_authenticated:
        return ApplyRefusal.LOG_IN
    if not user.is_designer:
        return ApplyRefusal.NOT_DESIGNER
    if user.is_pending:  # told first: their page also shows the address to confirm
        return ApplyRefusal.PENDING
    if not user.email_verified:  # an address nobody confirmed must not enter a contest
        return ApplyRefusal.UNVERIFIED
    if not _member(user):
        return ApplyRefusal.NOT_MEMBER
    if user.id in jurors:
        return ApplyRefusal.JUROR
    if call.is_public and call.state() == CallStatus.PUBLISHED and not call.is_open():
        return ApplyRefusal.NOT_YET_OPEN
    if not (call.is_public and call.is_open()):
        return ApplyRefusal.CLOSED
    return None


def can_apply(user: Any, call: OpenCall, jurors: set[int]) -> bool:
    """Approved designers with a confirmed address, off its jury, while the call is open."""
    return apply_refusal(user, call, jurors) is None


def application_refusal(
    user: Any, call: OpenCall, jurors: set[int], *, has_application: bool
) -> ApplyRefusal | None:
    """As apply_refusal, except that an applicant keeps their application once the call closes."""
    refusal = apply_refusal(user, call, jurors)
    if has_application and refusal in CALL_STATE_REFUSALS:
        return None
    return refusal


def is_juror(user: Any, jurors: set[int]) -> bool:
    """On this call's jury: `jurors` holds the accepted seats only (queries.juror_ids), which
    may include a pending person approved for this jury by a verified organisation's invitation."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.status in (UserStatus.ACTIVE, UserStatus.PENDING)
        and user.id in jurors
    )


def can_answer_invitation(user: Any, juror: Juror) -> bool:
    """Only the invited person answers their invitation."""
    return bool(user is not None and user.is_authenticated and juror.user_id == user.id)


def can_review_jury_approvals(user: Any) -> bool:
    """Moderators see and revoke the jury seats that an organisation's invitation approved."""
    return bool(_member(user) and user.is_moderator)


def can_see_submissions(user: Any, call: OpenCall, jurors: set[int]) -> bool:
    """The owner and the call's own jurors; nobody else learns the submissions exist."""
    return can_manage_call(user, call) or is_juror(user, jurors)


def can_review(user: Any, submission: Submission, jurors: set[int]) -> bool:
    """A juror of this very call, on a submitted application."""
    return is_juror(user, jurors) and submission.status == SubmissionStatus.SUBMITTED


def sees_applicant(user: Any, call: OpenCall) -> bool:
    """With blind review, only the organiser sees who applied; jurors never do."""
    return can_manage_call(user, call) or not call.blind_review


def can_edit_submission(user: Any, submission: Submission) -> bool:
    """The applicant, while the call is open."""
    return bool(_member(user) and submission.applicant_id == user.id and submission.call.is_open())


def owns_submission(user: User, submission: Submission) -> bool:
    """Only the applicant sees and acts on their own application."""
    return bool(_member(user) and submission.applicant_id == user.id)


POLICIES = {
    "can_draft_call": can_draft_call,
    "can_manage_call": can_manage_call,
    "can_publish_call": can_publish_call,
    "can_edit_submission": can_edit_submission,
    "can_review_jury_approvals": can_review_jury_approvals,
}

"""Who may do what with calls, submissions and reviews (shown to templates as well)."""

from __future__ import annotations

from typing import Any

from app.accounts.models import User
from app.calls.models import CallStatus, OpenCall, Submission, SubmissionStatus


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


def can_view_call(user: Any, call: OpenCall) -> bool:
    """Published and not hidden (nor its organiser) for everyone; else owner and moderators."""
    if call.is_public and call.owner.is_member and call.owner.hidden_at is None:
        return True
    return can_manage_call(user, call) or bool(_member(user) and user.is_moderator)


def can_apply(user: Any, call: OpenCall, jurors: set[int]) -> bool:
    """Approved designers with a confirmed email, not on its jury, while the call is open
    (eligibility apart)."""
    return (
        _member(user)
        and user.is_designer
        and user.email_verified
        and user.id not in jurors
        and call.is_open()
        and call.is_public
    )


def is_juror(user: Any, jurors: set[int]) -> bool:
    return _member(user) and user.id in jurors


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
}

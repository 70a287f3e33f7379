"""Who may apply to a call that is not open to all (its access mode), and access codes.

An invite-only call opens its application to whoever enters one of its codes: the code opens
it for that person (`AccessGrant`) and loses one use. A nominated call opens it to the
candidates its nominators put forward (app.calls.nominations). Every function flushes and
never commits; the view commits once.

Codes are shown to the organiser whenever they look (not hashed): they are handed out by hand,
on paper or in a message, and an organiser who lost the list must be able to read it again. A
code is worth little (one application to one call, which still needs an approved, eligible
designer) and is revocable; it is long enough (10 characters of 32, 50 bits) that guessing is
hopeless, and entering codes is rate-limited.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.calls.access_models import AccessCode, AccessGrant, Nomination
from app.calls.models import AccessMode, CallStatus, OpenCall, Submission
from app.calls.policies import ApplyRefusal, application_refusal
from app.db_types import utcnow
from app.extensions import db
from app.i18n import when_in, zone
from app.savepoints import savepoint
from app.transitions import claim

# No 0/O, 1/I/L: a code read aloud or copied from paper comes through.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
GRACE = timedelta(minutes=1)  # "valid until 23:59" accepts the whole of that minute


class AccessError(Exception):
    """A rule of access refused the change; the message is shown to the person."""


class AlreadyOpened(AccessError):
    """A simultaneous request of the same person opened the application: roll this one back."""


def normalise_code(text: str) -> str:
    """A code as stored: upper case, without the spaces and dashes people type or copy."""
    return "".join(c for c in text.upper() if c.isalnum())[:40]


def show_code(code: str) -> str:
    """A code as printed: two groups of five, easier to read aloud."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _local_to_utc(day: date, at: time, tz_name: str) -> datetime:
    return datetime.combine(day, at, tzinfo=zone(tz_name)).astimezone(UTC)


def create_codes(
    call: OpenCall,
    *,
    actor: User,
    count: int,
    uses: int,
    label: str = "",
    expires_on: date | None = None,
    expires_time: time | None = None,
    now: datetime | None = None,
) -> list[AccessCode]:
    """`count` new codes for an invite-only call, each valid `uses` times, until an optional
    moment in the call's own zone."""
    now = now or utcnow()
    if call.access_mode != AccessMode.INVITE_ONLY:
        raise AccessError(_("Make the call invite-only first (edit the call), then add codes."))
    if not 1 <= count <= 200:
        raise AccessError(_("Create between 1 and 200 codes at a time."))
    if not 1 <= uses <= 1000:
        raise AccessError(_("A code may be used between 1 and 1,000 times."))
    if len(label) > 80:
        raise AccessError(_("The note is too long."))
    expires_at = None
    if expires_on is not None:
        expires_at = _local_to_utc(expires_on, expires_time or time(23, 59), call.timezone)
        if expires_at + GRACE <= now:
            raise AccessError(_("This date is already past: choose a later one."))
    made: list[AccessCode] = []
    for _n in range(count):
        for _attempt in range(5):  # a clash among 32^10 codes is rare; try again
            code = AccessCode(
                call_id=call.id,
                code=_new_code(),
                label=label.strip(),
                uses=uses,
                uses_left=uses,
                expires_at=expires_at,
                created_at=now,
            )
            try:
                with savepoint():
                    db.session.add(code)
            except IntegrityError:
                continue
            made.append(code)
            break
    db.session.flush()
    return made


def code_expired(code: AccessCode, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return code.expires_at is not None and now >= code.expires_at + GRACE


def revoke_code(code: AccessCode, *, actor: User) -> None:
    """The organiser stops a code: nobody opens the application with it any more (those who
    already did keep their application)."""
    if not claim(code, where={"revoked_at": None}, values={"revoked_at": utcnow()}):
        raise AccessError(_("This code was already revoked."))


def codes_stmt(call: OpenCall) -> Select[AccessCode]:
    """A call's codes, newest first (for the organiser's paged list)."""
    return (
        select(AccessCode)
        .where(AccessCode.call_id == call.id)
        .order_by(AccessCode.created_at.desc(), AccessCode.id.desc())
    )


def _refusal(code: AccessCode | None, call: OpenCall, now: datetime) -> str | None:
    if code is None:
        return _("This code is not valid. Check that you typed it as it was given to you.")
    if code.call_id != call.id:
        return _("This code is for another call, not “%(title)s”.", title=call.title)
    if code.revoked_at is not None:
        return _("The organiser revoked this code. Ask them for a new one.")
    if code_expired(code, now):
        assert code.expires_at is not None
        return _(
            "This code expired on %(date)s. Ask the organiser for a new one.",
            date=when_in(code.expires_at, call.timezone),
        )
    if code.uses_left <= 0:
        return _("This code has been used up. Ask the organiser for a new one.")
    return None


def has_grant(call: OpenCall, person: User) -> bool:
    return (
        db.session.scalar(
            select(AccessGrant.id).where(
                AccessGrant.call_id == call.id, AccessGrant.user_id == person.id
            )
        )
        is not None
    )


def redeem_code(
    call: OpenCall, *, person: User, text: str, now: datetime | None = None
) -> AccessGrant | None:
    """Open the application of an invite-only call to `person` with a code: one use of it is
    spent, once per person (None: it was already open to them). However many people race for
    the last use, one conditional UPDATE lets exactly one through; the others are told.
    AlreadyOpened: the same person's simultaneous request won (roll back, nothing is spent)."""
    now = now or utcnow()
    if call.access_mode != AccessMode.INVITE_ONLY:
        raise AccessError(_("This call needs no access code."))
    typed = normalise_code(text)
    if not typed:
        raise AccessError(_("Enter the code you were given."))
    if has_grant(call, person):
        return None
    code = db.session.scalar(select(AccessCode).where(AccessCode.code == typed))
    refusal = _refusal(code, call, now)
    if refusal is not None:
        raise AccessError(refusal)
    assert code is not None
    # The use is spent first: a write, so that the insert below runs inside this transaction
    # (SQLite's driver would otherwise commit a first savepoint on its own).
    spent = db.session.execute(
        update(AccessCode)
        .where(
            AccessCode.id == code.id,
            AccessCode.uses_left > 0,
            AccessCode.revoked_at.is_(None),
            or_(AccessCode.expires_at.is_(None), AccessCode.expires_at > now - GRACE),
        )
        .values(uses_left=AccessCode.uses_left - 1)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(code)
        raise AccessError(
            _refusal(code, call, now)
            or _("This code has been used up. Ask the organiser for a new one.")
        )
    grant = AccessGrant(call_id=call.id, user_id=person.id, code_id=code.id, created_at=now)
    try:
        with savepoint():  # one per person and call
            db.session.add(grant)
    except IntegrityError:
        # The same person's other click got in first: this one must spend nothing.
        raise AlreadyOpened(_("The code is accepted: you may apply.")) from None
    db.session.refresh(code)
    return grant


# ---------- Who may apply ----------


def _nominated(call: OpenCall, person: User) -> Nomination | None:
    """The person's nomination for this call: made to their account, or to their confirmed
    address before they had an account here (they signed up without the link)."""
    by_address = (
        (Nomination.user_id.is_(None)) & (Nomination.email == person.email)
        if person.email_verified
        else None
    )
    where = Nomination.user_id == person.id
    if by_address is not None:
        where = or_(where, by_address)
    return db.session.scalar(select(Nomination).where(Nomination.call_id == call.id, where))


def mode_refusal(call: OpenCall, person: User) -> str | None:
    """Why this person may not apply under the call's access mode (None: they may). Someone who
    already has an application keeps it."""
    if call.access_mode == AccessMode.OPEN:
        return None
    applied = db.session.scalar(
        select(Submission.id).where(
            Submission.call_id == call.id, Submission.applicant_id == person.id
        )
    )
    if applied is not None:
        return None
    if call.access_mode == AccessMode.INVITE_ONLY:
        if has_grant(call, person):
            return None
        return _("This call is by invitation: enter the access code you were given to apply.")
    if _nominated(call, person) is not None:
        return None
    return _("This call is by nomination: only candidates put forward by its nominators apply.")


def approved_candidate(call: OpenCall, person: User) -> bool:
    """A pending person whose nomination by a verified organisation stands in for approval,
    for this call only (until a moderator revokes it)."""
    if not person.is_pending:
        return False
    return (
        db.session.scalar(
            select(Nomination.id).where(
                Nomination.call_id == call.id,
                Nomination.user_id == person.id,
                Nomination.approved_at.is_not(None),
            )
        )
        is not None
    )


def apply_refusal(
    user: User, call: OpenCall, jurors: set[int], *, has_application: bool
) -> ApplyRefusal | None:
    """`policies.application_refusal`, except that a pending candidate approved by their
    nomination applies to that call as a member would."""
    refusal = application_refusal(user, call, jurors, has_application=has_application)
    if refusal != ApplyRefusal.PENDING or not approved_candidate(call, user):
        return refusal
    if not user.email_verified:
        return ApplyRefusal.UNVERIFIED
    if user.id in jurors:
        return ApplyRefusal.JUROR
    if has_application:
        return None
    if call.is_public and call.state() == CallStatus.PUBLISHED and not call.is_open():
        return ApplyRefusal.NOT_YET_OPEN
    if not (call.is_public and call.is_open()):
        return ApplyRefusal.CLOSED
    return None


@dataclass(frozen=True)
class CodeRow:
    code: AccessCode
    shown: str
    expired: bool


def code_rows(codes: Sequence[AccessCode], now: datetime | None = None) -> list[CodeRow]:
    now = now or utcnow()
    return [CodeRow(c, show_code(c.code), code_expired(c, now)) for c in codes]

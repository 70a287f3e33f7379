"""Nominated calls: the organiser names nominators, each puts forward up to their quota of
candidates, and only those candidates apply.

A candidate with an account is told (notification and email) and applies; an address without
an account gets a single-use sign-up link (only its secret's hash is kept) that confirms the
address and leads to the application. A verified organisation's nomination of a pending person
stands in for approval, for this call only: logged, and revocable by a moderator, as a jury
invitation's is. The nominator follows their candidates' progress (invited, signed up,
applied, decided), never their scores. Every function flushes and never commits.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.accounts.models import User, UserStatus
from app.accounts.services import find_by_email, normalise_email
from app.calls.access import AccessError
from app.calls.access_models import Nomination, Nominator
from app.calls.models import (
    AccessMode,
    CallStatus,
    Juror,
    JurorStatus,
    OpenCall,
    Submission,
    SubmissionStatus,
)
from app.calls.policies import is_verified_organiser
from app.db_types import utcnow
from app.extensions import db
from app.i18n import when_in
from app.mail.models import EmailCategory
from app.mail.services import in_recipient_language, once_key, queue_email
from app.moderation.models import ActionKind
from app.moderation.services import log_action
from app.notifications.services import notify
from app.savepoints import savepoint
from app.transitions import claim
from app.urls import public_url

SALT = "ydn.nomination"
# Sign-up links of nominations start with this, so sign-up knows whose link it holds.
TOKEN_PREFIX = "n."  # noqa: S105 (a marker, not a secret)
_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class NomineeStatus(enum.StrEnum):
    """What the nominator sees of a candidate: never a score, nor the decision itself."""

    INVITED = "invited"
    SIGNED_UP = "signed_up"
    DRAFTING = "drafting"
    APPLIED = "applied"
    WITHDRAWN = "withdrawn"
    DECIDED = "decided"


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def link_days() -> int:
    return int(current_app.config["NOMINATION_LINK_DAYS"])


def organisation_of(user: User) -> str:
    profile = user.organiser_profile
    return (profile.organisation if profile and profile.organisation else "") or user.display_name


def _find_member(text: str) -> tuple[User | None, str | None]:
    """(the member, None) or (None, an address without an account); AccessError if neither."""
    text = text.strip()
    if not text:
        raise AccessError(_("Enter a handle or an email address."))
    if "@" in text.lstrip("@"):
        address = normalise_email(text)
        if not _EMAIL_SHAPE.match(address) or len(address) > 254:
            raise AccessError(_("“%(text)s” is not a valid email address.", text=text[:254]))
        person = find_by_email(address)
        if person is None:
            return None, address
    else:
        handle = text.lstrip("@").lower()[:40]
        person = db.session.scalar(select(User).where(User.handle == handle))
        if person is None:
            raise AccessError(_("No member has the handle @%(handle)s.", handle=handle))
    if person.status == UserStatus.SUSPENDED:
        raise AccessError(_("This account is suspended."))
    if person.status not in (UserStatus.ACTIVE, UserStatus.PENDING):
        raise AccessError(_("This account cannot take part."))
    return person, None


# ---------- The organiser: nominators ----------


def add_nominator(call: OpenCall, *, actor: User, who: str, quota: int) -> Nominator:
    """Name a member nominator of a nominated call with a quota; naming them again changes
    their quota (never below the candidates they already put forward). They are told."""
    if call.access_mode != AccessMode.NOMINATED:
        raise AccessError(_("Make the call nominated first (edit the call), then add nominators."))
    if not 1 <= quota <= 100:
        raise AccessError(_("A quota is between 1 and 100 candidates."))
    person, address = _find_member(who)
    if person is None:
        raise AccessError(
            _("No account uses %(email)s: nominators need an account.", email=address)
        )
    if person.status != UserStatus.ACTIVE:
        raise AccessError(_("This account is not approved yet: add it once it is."))
    if person.id == call.owner_id:
        raise AccessError(_("You organise this call: name others as nominators."))
    nominator = db.session.scalar(
        select(Nominator).where(Nominator.call_id == call.id, Nominator.user_id == person.id)
    )
    if nominator is not None:
        if quota < nominator.used:
            raise AccessError(
                _(
                    "%(name)s already put forward %(n)d candidates: the quota cannot be lower.",
                    name=person.display_name,
                    n=nominator.used,
                )
            )
        nominator.quota = quota
        db.session.flush()
        return nominator
    nominator = Nominator(call_id=call.id, user_id=person.id, quota=quota, used=0)
    try:
        with savepoint():
            db.session.add(nominator)
    except IntegrityError:
        raise AccessError(_("%(name)s is already a nominator.", name=person.display_name)) from None
    _tell_nominator(nominator, person, call)
    return nominator


def _tell_nominator(nominator: Nominator, person: User, call: OpenCall) -> None:
    link = public_url("access.nominate", nominator_id=nominator.id)
    line = _l(
        "%(organisation)s asks you to nominate up to %(n)d candidates for “%(title)s”.",
        organisation=organisation_of(call.owner),
        n=nominator.quota,
        title=call.title,
    )
    queue_email(
        to=person.email,
        subject=_l("Nominate candidates for “%(title)s”", title=call.title),
        template="calls_notice",
        locale=person.locale,
        dedupe_key=once_key("nominator", nominator),
        category=EmailCategory.APPLICATIONS,
        user=person,
        lines=[line],
        link_text=_l("Nominate candidates"),
        link=link,
    )
    with in_recipient_language(person.locale):
        text = str(line)
    notify(user=person, kind="call_nominator", text=text, url=f"/nominations/{nominator.id}")


def remove_nominator(nominator: Nominator, *, actor: User) -> None:
    """Only a nominator who put nobody forward is removed: candidates keep their nomination."""
    if not claim(nominator, where={"used": 0}, values={"quota": nominator.quota}):
        raise AccessError(
            _("This nominator already put candidates forward: lower their quota instead.")
        )
    db.session.delete(nominator)
    db.session.flush()


def nominators_of(call: OpenCall) -> list[Nominator]:
    return list(
        db.session.scalars(
            select(Nominator)
            .where(Nominator.call_id == call.id)
            .options(joinedload(Nominator.user).joinedload(User.organiser_profile))
            .order_by(Nominator.created_at, Nominator.id)
        )
    )


# ---------- The nominator: candidates ----------


def seats_stmt(user: User) -> Select[Nominator]:
    """The calls a person nominates for, nearest deadline first."""
    return (
        select(Nominator)
        .join(OpenCall, OpenCall.id == Nominator.call_id)
        .where(Nominator.user_id == user.id, OpenCall.status != CallStatus.DRAFT)
        .options(joinedload(Nominator.call))
        .order_by(OpenCall.deadline_at.desc(), Nominator.id)
    )


def has_seats(user: User) -> bool:
    return db.session.scalar(seats_stmt(user).limit(1)) is not None


def seats_of(user: User, *, limit: int) -> list[Nominator]:
    """The first calls a person nominates for (their home shows a few, one query)."""
    return list(db.session.scalars(seats_stmt(user).limit(limit)).unique())


def _check_candidate(call: OpenCall, person: User | None) -> None:
    if person is None:
        return
    if not person.is_designer:
        raise AccessError(
            _("%(name)s has no designer account: only designers apply.", name=person.display_name)
        )
    if person.id == call.owner_id:
        raise AccessError(_("The organiser cannot be a candidate."))
    on_jury = db.session.scalar(
        select(Juror.id).where(
            Juror.call_id == call.id,
            Juror.user_id == person.id,
            Juror.status == JurorStatus.ACCEPTED,
        )
    )
    if on_jury is not None:
        raise AccessError(
            _("%(name)s sits on this call's jury: they cannot apply.", name=person.display_name)
        )


def _already(call: OpenCall, person: User | None, address: str | None) -> bool:
    where = (
        Nomination.user_id == person.id if person is not None else and_(Nomination.email == address)
    )
    return (
        db.session.scalar(select(Nomination.id).where(Nomination.call_id == call.id, where))
        is not None
    )


def nominate(
    nominator: Nominator, *, actor: User, candidate: str, now: datetime | None = None
) -> Nomination:
    """Put a candidate forward (a member by handle or address, or an address without an
    account), up to the quota: one conditional UPDATE counts it, so parallel clicks never go
    past it. Over the quota, a duplicate or a closed call: AccessError, nothing saved."""
    now = now or utcnow()
    call = nominator.call
    if call.access_mode != AccessMode.NOMINATED:
        raise AccessError(_("This call no longer takes nominations."))
    if not call.is_open(now):
        raise AccessError(_("This call is closed: nominations are over."))
    person, address = _find_member(candidate)
    _check_candidate(call, person)
    name = person.display_name if person is not None else str(address)
    if _already(call, person, address):
        raise AccessError(_("%(name)s is already nominated for this call.", name=name))
    counted = db.session.execute(
        update(Nominator)
        .where(Nominator.id == nominator.id, Nominator.used < Nominator.quota)
        .values(used=Nominator.used + 1)
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(nominator)
        raise AccessError(
            _(
                "You have already put forward %(n)d candidates, your quota: %(name)s was not "
                "added.",
                n=nominator.quota,
                name=name,
            )
        )
    db.session.refresh(nominator)
    nomination = Nomination(
        call_id=call.id,
        nominator_id=nominator.id,
        user_id=person.id if person is not None else None,
        email=address,
        created_at=now,
    )
    try:
        with savepoint():  # one nomination per person per call (unique)
            db.session.add(nomination)
    except IntegrityError:
        raise AccessError(_("%(name)s is already nominated for this call.", name=name)) from None
    if person is not None:
        if person.is_pending and is_verified_organiser(nominator.user):
            _approve(nomination, person, now)
        _tell_candidate(nomination, person)
    else:
        _tell_address(nomination, new_link(nomination, now))
    db.session.flush()
    return nomination


def _approve(nomination: Nomination, person: User, now: datetime) -> None:
    """A verified organisation vouches for a pending person: they may apply to this call."""
    nomination.approved_at = now
    log_action(
        kind=ActionKind.NOMINATION_APPROVAL,
        actor=nomination.nominator.user,
        subject=person,
        target_type="call",
        target_id=nomination.call_id,
        nomination_id=nomination.id,
        call=nomination.call.title,
    )


def new_link(nomination: Nomination, now: datetime | None = None) -> str:
    secret = secrets.token_urlsafe(32)
    nomination.token_hash = _token_hash(secret)
    nomination.expires_at = (now or utcnow()) + timedelta(days=link_days())
    db.session.flush()
    return TOKEN_PREFIX + str(_serializer().dumps({"n": nomination.id, "s": secret}))


def _tell_candidate(nomination: Nomination, person: User) -> None:
    call = nomination.call
    line = _l(
        "%(nominator)s nominated you for “%(title)s”: you may now apply.",
        nominator=organisation_of(nomination.nominator.user),
        title=call.title,
    )
    queue_email(
        to=person.email,
        subject=_l("You are nominated for “%(title)s”", title=call.title),
        template="calls_notice",
        locale=person.locale,
        dedupe_key=once_key("nomination", nomination),
        category=EmailCategory.APPLICATIONS,
        user=person,
        lines=[
            line,
            _l(
                "Apply before the deadline: %(date)s.",
                date=LazyString(when_in, call.deadline_at, call.timezone),
            ),
        ],
        link_text=_l("Apply"),
        link=public_url("calls.apply", slug=call.slug),
    )
    with in_recipient_language(person.locale):
        text = str(line)
    notify(user=person, kind="call_nomination", text=text, url=f"/calls/{call.slug}/apply")


def _tell_address(nomination: Nomination, token: str) -> None:
    call = nomination.call
    assert nomination.email is not None
    assert nomination.expires_at is not None
    nominator = nomination.nominator.user
    queue_email(
        to=nomination.email,
        subject=_l("You are nominated for “%(title)s”", title=call.title),
        template="calls_notice",
        # Nobody chose a language yet: the nominator's is the likeliest shared one.
        locale=nominator.locale,
        dedupe_key=once_key("nomination", nomination),
        lines=[
            _l(
                "%(nominator)s nominated you for “%(title)s” on %(network)s.",
                nominator=organisation_of(nominator),
                title=call.title,
                network=current_app.config["NETWORK_NAME"],
            ),
            _l(
                "Follow the link to create your account with this address, then complete your "
                "application. The link works once, until %(date)s.",
                date=LazyString(when_in, nomination.expires_at, call.timezone),
            ),
        ],
        link_text=_l("Sign up and apply"),
        link=public_url("accounts.signup", invitation=token),
    )


# ---------- Sign-up from a nomination link ----------


def read_link(token: str) -> Nomination:
    """The nomination a sign-up link opens, still unused; AccessError says why not."""
    raw = token.removeprefix(TOKEN_PREFIX)
    invalid = _("This nomination link is not valid. Check that you copied all of it.")
    try:
        payload = _serializer().loads(raw, max_age=link_days() * 86400)
    except SignatureExpired:
        raise AccessError(
            _("This nomination link has expired. Ask your nominator to nominate you again.")
        ) from None
    except BadSignature:
        raise AccessError(invalid) from None
    nomination = None
    if isinstance(payload, dict) and isinstance(payload.get("n"), int):
        nomination = db.session.get(Nomination, payload["n"])
    if nomination is None or not isinstance(payload.get("s"), str):
        raise AccessError(invalid)
    if nomination.token_hash is None or not hmac.compare_digest(
        nomination.token_hash, _token_hash(payload["s"])
    ):
        raise AccessError(_("This nomination link was already used: log in to apply."))
    if nomination.expires_at is not None and utcnow() >= nomination.expires_at:
        raise AccessError(
            _("This nomination link has expired. Ask your nominator to nominate you again.")
        )
    return nomination


def signup_lead(token: str) -> tuple[str, str]:
    """(the nominated address, a sentence for the top of the sign-up form)."""
    nomination = read_link(token)
    assert nomination.email is not None
    lead = _(
        "%(nominator)s nominated you for “%(title)s”. Create your designer account with "
        "%(email)s, then complete your application.",
        nominator=organisation_of(nomination.nominator.user),
        title=nomination.call.title,
        email=nomination.email,
    )
    return nomination.email, lead


def join_by_link(token: str, *, person: User, now: datetime | None = None) -> Nomination:
    """The person signed up from their nomination link: the nomination is theirs, their address
    confirmed; a verified organisation's nomination lets them apply while still pending."""
    now = now or utcnow()
    nomination = read_link(token)
    if person.email != nomination.email:
        raise AccessError(
            _(
                "This nomination was sent to %(email)s: sign up with that address.",
                email=nomination.email,
            )
        )
    if not claim(
        nomination,
        where={"token_hash": nomination.token_hash, "user_id": None},
        values={"user_id": person.id, "token_hash": None, "signed_up_at": now},
    ):
        raise AccessError(_("This nomination link was already used: log in to apply."))
    if person.email_verified_at is None:
        person.email_verified_at = now  # the link reached this very mailbox
    if person.is_pending and is_verified_organiser(nomination.nominator.user):
        _approve(nomination, person, now)
    db.session.flush()
    return nomination


# ---------- What the nominator sees ----------


@dataclass(frozen=True)
class Nominee:
    nomination: Nomination
    status: NomineeStatus


def _status(nomination: Nomination, submission: Submission | None) -> NomineeStatus:
    if submission is not None:
        if submission.notified_at is not None:
            return NomineeStatus.DECIDED
        if submission.status == SubmissionStatus.SUBMITTED:
            return NomineeStatus.APPLIED
        if submission.status == SubmissionStatus.WITHDRAWN:
            return NomineeStatus.WITHDRAWN
        return NomineeStatus.DRAFTING
    if nomination.signed_up_at is not None:
        return NomineeStatus.SIGNED_UP
    return NomineeStatus.INVITED


def nominees(nominator: Nominator) -> list[Nominee]:
    """A nominator's candidates with where each stands, in one query (a quota is at most 100)."""
    rows = db.session.execute(
        select(Nomination, Submission)
        .outerjoin(
            Submission,
            and_(
                Submission.call_id == Nomination.call_id,
                Submission.applicant_id == Nomination.user_id,
            ),
        )
        .where(Nomination.nominator_id == nominator.id)
        .options(joinedload(Nomination.user))
        .order_by(Nomination.created_at, Nomination.id)
    ).all()
    return [Nominee(nomination, _status(nomination, submission)) for nomination, submission in rows]


# ---------- Moderators: approvals by nomination ----------


def approvals_stmt() -> Select[Nomination]:
    return (
        select(Nomination)
        .where(Nomination.approved_at.is_not(None))
        .options(
            joinedload(Nomination.user),
            joinedload(Nomination.call),
            joinedload(Nomination.nominator).joinedload(Nominator.user),
        )
        .order_by(Nomination.approved_at.desc(), Nomination.id.desc())
    )


def revoke_approval(nomination: Nomination, *, actor: User, reason: str) -> None:
    """A moderator ends what a nomination approved: the pending person no longer applies to
    that call (logged; the candidate and the nominator are told). The nomination stays."""
    if not reason.strip():
        raise AccessError(_("Give a reason."))
    approved = nomination.approved_at
    if approved is None or not claim(
        nomination, where={"approved_at": approved}, values={"approved_at": None}
    ):
        raise AccessError(_("This approval is already revoked."))
    person, call = nomination.user, nomination.call
    log_action(
        kind=ActionKind.REVOKE_NOMINATION_APPROVAL,
        actor=actor,
        subject=person,
        target_type="call",
        target_id=call.id,
        reason=reason.strip(),
        nomination_id=nomination.id,
        call=call.title,
    )
    line = _l(
        "A moderator revoked the approval that the nomination of %(name)s for “%(title)s” "
        "gave: %(reason)s",
        name=person.display_name if person else "",
        title=call.title,
        reason=reason.strip(),
    )
    for who in (person, nomination.nominator.user):
        if who is None or who.status == UserStatus.DELETED:
            continue
        with in_recipient_language(who.locale):
            text = str(line)
        notify(user=who, kind="call_nomination_revoked", text=text, url=f"/calls/{call.slug}")
        queue_email(
            to=who.email,
            subject=_l("A change in your nomination for “%(title)s”", title=call.title),
            template="calls_notice",
            locale=who.locale,
            dedupe_key=once_key("nomination-revoked", nomination, extra=f"{who.id}:{approved}"),
            category=EmailCategory.APPLICATIONS,
            user=who,
            lines=[line],
            link_text=call.title,
            link=public_url("calls.detail", slug=call.slug),
        )
    db.session.flush()

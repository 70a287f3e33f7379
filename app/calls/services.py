"""The rules of open calls: state changes, applications, reviews, decisions, reminders, credits.

Every function flushes and never commits; the view (or the CLI command) commits once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import ColumnElement, Integer, Select, and_, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.accounts.models import User, UserStatus
from app.accounts.services import find_by_email, normalise_email
from app.calls import access, decision_templates, rounds
from app.calls.eligibility import eligibility
from app.calls.models import (
    AccessMode,
    Answer,
    CallCategory,
    CallKind,
    CallQuestion,
    CallStatus,
    Decision,
    Juror,
    JurorStatus,
    OpenCall,
    QuestionKind,
    Review,
    Submission,
    SubmissionStatus,
)
from app.calls.policies import is_verified_organiser
from app.calls.search import reindex_call
from app.calls.signals import call_published
from app.db_types import utcnow
from app.extensions import db
from app.i18n import when_in, zone
from app.mail.models import EmailCategory, OutgoingEmail
from app.mail.services import in_recipient_language, once_key, queue_email
from app.media.deferred import Slot, accept, clear
from app.media.services import StoredImage
from app.moderation.models import ActionKind
from app.moderation.services import log_action
from app.notifications.services import notify
from app.portfolios.models import Project
from app.profiles.models import DesignerProfile, Discipline
from app.savepoints import savepoint
from app.text import slugify
from app.transitions import claim
from app.urls import public_url

STATEMENT_MAX = 3000
PRIZE_MAX = 120
REMINDER_WINDOW = timedelta(hours=48)


class CallError(Exception):
    """A rule of calls refused the change; the message is shown to the person."""


BANNER_WIDTHS = (800, 1600, 2400)


def set_banner(
    call: OpenCall, *, actor: User, data: bytes | None, alt: str, remove: bool = False
) -> None:
    """Take a new banner (judged here, resized by a background job after the response: the
    previous banner, or none, shows until then), or remove the banner.

    The old files go after the commit if no other call uses them; a refused upload raises
    ImageRejected and changes nothing.
    """
    if data is not None:
        accept(BANNER_SLOT, call, data, person_id=actor.id)
    elif remove:
        clear(BANNER_SLOT, call)
    if call.banner_key or call.banner_original_key:
        call.banner_alt = alt.strip()[:300] or call.banner_alt
    else:
        call.banner_alt = ""
    db.session.flush()


def _keep_widths(call: OpenCall, stored: StoredImage | None) -> None:
    call.banner_widths = stored.widths if stored else []


# A call's banner: never upscaled (a narrower upload keeps its own width as the largest size).
BANNER_SLOT = Slot(
    "banner", OpenCall, "b", BANNER_WIDTHS, keep=_keep_widths, widths_of=lambda c: c.banner_widths
)


# ---------- Time ----------


def local_to_utc(day: date, at: time, tz_name: str) -> datetime:
    """A wall-clock date and time in a zone (the call's own) as a UTC instant."""
    return datetime.combine(day, at, tzinfo=zone(tz_name)).astimezone(UTC)


def utc_to_local(value: datetime, tz_name: str) -> datetime:
    return value.astimezone(zone(tz_name))


# ---------- Calls ----------


@dataclass
class CallData:
    kind: CallKind
    title: str
    summary: str
    description: str
    timezone: str
    deadline_at: datetime
    opens_at: datetime | None = None
    no_entry_fee: bool = True
    entry_fee: str = ""
    prizes: str = ""
    max_projects: int = 3
    max_age: int | None = None
    allowed_countries: list[str] = field(default_factory=list)
    blind_review: bool = False
    access_mode: AccessMode = AccessMode.OPEN
    discipline_ids: list[int] = field(default_factory=list)


# Pages under /calls/ whose address a call's slug must not take ("Saved" → /calls/saved-2).
RESERVED_SLUGS = frozenset({"new", "saved"})


def _unique_slug(title: str, call_id: int | None = None) -> str:
    base = slugify(title, max_length=70) or "call"
    slug, n = base, 2
    while True:
        taken = db.session.scalar(
            select(OpenCall.id).where(OpenCall.slug == slug, OpenCall.id != (call_id or 0))
        )
        if taken is None and slug not in RESERVED_SLUGS:
            return slug
        slug, n = f"{base}-{n}", n + 1


def _check_fee(data: CallData) -> None:
    if not data.no_entry_fee and not data.entry_fee.strip():
        raise CallError(_("Say how much the entry fee is, or that there is no entry fee."))


def _apply(call: OpenCall, data: CallData) -> None:
    call.kind = data.kind
    call.title = data.title.strip()
    call.summary = data.summary.strip()
    call.description = data.description
    call.timezone = data.timezone
    call.opens_at = data.opens_at
    call.no_entry_fee = data.no_entry_fee
    call.entry_fee = "" if data.no_entry_fee else data.entry_fee.strip()
    call.prizes = data.prizes
    call.max_projects = data.max_projects
    call.max_age = data.max_age
    call.allowed_countries = sorted({c.upper() for c in data.allowed_countries if c})
    call.blind_review = data.blind_review
    call.access_mode = data.access_mode
    call.disciplines = list(
        db.session.scalars(select(Discipline).where(Discipline.id.in_(data.discipline_ids)))
    )


def create_call(*, owner: User, data: CallData) -> OpenCall:
    """Draft a new call for an organiser."""
    if not owner.is_organiser:
        raise CallError(_("Only organisers can draft calls."))
    _check_fee(data)
    call = OpenCall(owner_id=owner.id, slug=_unique_slug(data.title), deadline_at=data.deadline_at)
    _apply(call, data)
    db.session.add(call)
    db.session.flush()
    rounds.default_round(call)
    reindex_call(call)
    return call


def has_submissions(call: OpenCall) -> bool:
    """Whether anyone has applied (submitted, not drafts alone): that freezes the deadline."""
    found = db.session.scalar(
        select(Submission.id)
        .where(Submission.call_id == call.id, Submission.status == SubmissionStatus.SUBMITTED)
        .limit(1)
    )
    return found is not None


def update_call(call: OpenCall, *, actor: User, data: CallData) -> OpenCall:
    """Edit a call; a deadline may be extended but never moved earlier once people applied."""
    if call.state() == CallStatus.ARCHIVED:
        raise CallError(_("An archived call cannot be changed."))
    _check_fee(data)
    if data.deadline_at != call.deadline_at:
        if data.deadline_at < call.deadline_at and has_submissions(call):
            raise CallError(
                _("People have already applied: the deadline can be extended, not shortened.")
            )
        if call.status == CallStatus.PUBLISHED and data.deadline_at <= utcnow():
            raise CallError(_("The new deadline must be in the future."))
        call.deadline_at = data.deadline_at
    _apply(call, data)
    db.session.flush()
    reindex_call(call)
    return call


def publish_call(call: OpenCall, *, actor: User) -> None:
    """Draft → published: only a verified, active organiser, with a deadline still ahead."""
    if call.status != CallStatus.DRAFT:
        raise CallError(_("Only a draft can be published."))
    if not is_verified_organiser(actor):
        raise CallError(_("Your organisation must be verified before you publish a call."))
    if call.deadline_at <= utcnow():
        raise CallError(_("The deadline has passed: set a later one before publishing."))
    if not claim(
        call,
        where={"status": CallStatus.DRAFT},
        values={"status": CallStatus.PUBLISHED, "published_at": utcnow()},
    ):
        raise CallError(_("Only a draft can be published."))
    reindex_call(call)
    call_published.send(call)


def close_call(call: OpenCall, *, actor: User) -> None:
    """Published → closed by hand (the clock closes it by itself at the deadline)."""
    if not claim(
        call,
        where={"status": CallStatus.PUBLISHED},
        values={"status": CallStatus.CLOSED, "closed_at": utcnow()},
    ):
        raise CallError(_("Only a published call can be closed."))


def archive_call(call: OpenCall, *, actor: User) -> None:
    """Closed (by hand or by the clock) → archived."""
    if call.state() != CallStatus.CLOSED or not claim(
        call,
        where={"status": call.status},
        values={"status": CallStatus.ARCHIVED, "archived_at": utcnow()},
    ):
        raise CallError(_("Only a closed call can be archived."))


def add_question(
    call: OpenCall,
    *,
    actor: User,
    label: str,
    kind: QuestionKind,
    required: bool,
    options: Sequence[str] = (),
) -> CallQuestion:
    """Add an extra question, while nobody has applied yet."""
    if has_submissions(call):
        raise CallError(_("People have already applied: the questions can no longer change."))
    opts = [o.strip() for o in options if o.strip()]
    if kind == QuestionKind.CHOICE and len(opts) < 2:
        raise CallError(_("A single-choice question needs at least two options."))
    question = CallQuestion(
        call=call,
        label=label.strip(),
        kind=kind,
        required=required,
        options=opts if kind == QuestionKind.CHOICE else [],
        position=len(call.questions),
    )
    db.session.add(question)
    db.session.flush()
    return question


def remove_question(question: CallQuestion, *, actor: User) -> None:
    """Remove an extra question, while nobody has applied yet."""
    if has_submissions(question.call):
        raise CallError(_("People have already applied: the questions can no longer change."))
    db.session.delete(question)
    db.session.flush()


# ---------- Categories ----------

CATEGORY_NAME_MAX = 80


@dataclass
class CategoryData:
    name: str
    description: str = ""
    deadline_at: datetime | None = None
    max_projects: int | None = None


def _check_category(call: OpenCall, data: CategoryData, category_id: int | None = None) -> None:
    """A name of its own in the call; a deadline no later than the call's; 1 to 10 projects."""
    name = data.name.strip()
    if not name:
        raise CallError(_("Give the category a name."))
    if len(name) > CATEGORY_NAME_MAX:
        raise CallError(_("The name is too long."))
    taken = {c.name.casefold() for c in call.categories if c.id != category_id}
    if name.casefold() in taken:
        raise CallError(_("This call already has a category with this name."))
    if data.deadline_at is not None and data.deadline_at > call.deadline_at:
        raise CallError(_("A category's deadline cannot be later than the call's."))
    if data.max_projects is not None and not 1 <= data.max_projects <= 10:
        raise CallError(_("Choose between 1 and 10 projects."))


def add_category(call: OpenCall, *, actor: User, data: CategoryData) -> CallCategory:
    """Add a category (track) to a call; applicants then pick one."""
    _check_category(call, data)
    category = CallCategory(
        call=call,
        name=data.name.strip(),
        description=data.description,
        deadline_at=data.deadline_at,
        max_projects=data.max_projects,
        position=len(call.categories),
    )
    db.session.add(category)
    db.session.flush()
    return category


def update_category(category: CallCategory, *, actor: User, data: CategoryData) -> None:
    """Change a category's name, description, deadline or maximum (the same rules as adding);
    those who already applied in it stay in it."""
    _check_category(category.call, data, category.id)
    category.name = data.name.strip()
    category.description = data.description
    category.deadline_at = data.deadline_at
    category.max_projects = data.max_projects
    db.session.flush()


def set_category_jury(category: CallCategory, *, actor: User, juror_ids: Sequence[int]) -> None:
    """Give a category a jury of its own among the call's accepted jurors (none: the call's)."""
    seats = {
        j.id: j
        for j in db.session.scalars(
            select(Juror).where(
                Juror.call_id == category.call_id, Juror.status == JurorStatus.ACCEPTED
            )
        )
    }
    if any(i not in seats for i in juror_ids):
        raise CallError(_("Choose among the call's jurors who accepted."))
    category.jurors = [seats[i] for i in dict.fromkeys(juror_ids)]
    db.session.flush()


def category_in_use(category: CallCategory) -> bool:
    return (
        db.session.scalar(
            select(Submission.id).where(Submission.category_id == category.id).limit(1)
        )
        is not None
    )


def remove_category(category: CallCategory, *, actor: User) -> None:
    """Remove a category nobody applied in."""
    if category_in_use(category):
        raise CallError(_("Someone applied in this category: it can no longer be removed."))
    db.session.delete(category)
    db.session.flush()


# ---------- Jury invitations ----------

INVITATION_SALT = "ydn.jury-invitation"
_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _stamp(moment: datetime | None) -> str:
    return f"{moment:%Y%m%dT%H%M%S%f}" if moment else "-"


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def invitation_days() -> int:
    return int(current_app.config["JURY_INVITATION_DAYS"])


def new_invitation_link(juror: Juror) -> str:
    """A fresh single-use link for an invitation by email: only the secret's hash is kept."""
    secret = secrets.token_urlsafe(32)
    juror.token_hash = _token_hash(secret)
    juror.expires_at = utcnow() + timedelta(days=invitation_days())
    return str(_serializer().dumps({"j": juror.id, "s": secret}))


def _find_invitee(call: OpenCall, text: str) -> tuple[User | None, str | None]:
    """(the member, None) or (None, an address without an account); CallError if neither."""
    if "@" in text.lstrip("@"):
        address = normalise_email(text)
        if not _EMAIL_SHAPE.match(address) or len(address) > 254:
            raise CallError(_("“%(text)s” is not a valid email address.", text=text))
        person = find_by_email(address)
        if person is None:
            if address == call.owner.email:
                raise CallError(_("You already see every submission as the organiser."))
            return None, address
        if person.status == UserStatus.SUSPENDED:
            raise CallError(_("This person is suspended: they cannot be invited."))
        if person.status != UserStatus.ACTIVE:
            raise CallError(
                _("This address belongs to an account not yet approved: invite it once it is.")
            )
        return person, None
    handle = text.strip().lstrip("@").lower()
    person = db.session.scalar(select(User).where(User.handle == handle))
    if person is not None and person.status == UserStatus.SUSPENDED:
        raise CallError(_("@%(handle)s is suspended: they cannot be invited.", handle=handle))
    if person is None or person.status != UserStatus.ACTIVE:
        raise CallError(_("No active member has the handle @%(handle)s.", handle=handle))
    return person, None


def _existing_invitation(call: OpenCall, person: User | None, address: str | None) -> Juror | None:
    where = Juror.user_id == person.id if person is not None else Juror.email == address
    return db.session.scalar(select(Juror).where(Juror.call_id == call.id, where))


def _refuse_duplicate(juror: Juror, name: str) -> None:
    state = juror.state()
    if state == JurorStatus.ACCEPTED:
        raise CallError(_("%(name)s is already on the jury.", name=name))
    if state == JurorStatus.INVITED:
        raise CallError(_("%(name)s is already invited and has not answered yet.", name=name))


def invite_juror(call: OpenCall, *, actor: User, invitee: str) -> Juror:
    """Invite a member (by handle or by their address) or an address without an account to
    this call's jury; they answer before they review. A declined, withdrawn or expired
    invitation is sent again."""
    person, address = _find_invitee(call, invitee.strip())
    if person is not None and person.id == call.owner_id:
        raise CallError(_("You already see every submission as the organiser."))
    name = f"@{person.handle}" if person is not None else str(address)
    juror = _existing_invitation(call, person, address)
    if juror is not None:
        _refuse_duplicate(juror, name)
        juror.status = JurorStatus.INVITED
        juror.invited_at = utcnow()
        juror.answered_at = None
        juror.approved_by_invitation_at = None
    else:
        juror = Juror(
            call_id=call.id,
            user_id=person.id if person else None,
            email=address,
            status=JurorStatus.INVITED,
            invited_at=utcnow(),
        )
        try:
            with savepoint():  # one invitation per person per call (unique)
                db.session.add(juror)
        except IntegrityError:
            raise CallError(
                _("%(name)s is already invited and has not answered yet.", name=name)
            ) from None
    db.session.flush()
    if person is not None:
        juror.token_hash, juror.expires_at = None, None
        _tell_member(juror, person, call, actor)
    else:
        _tell_address(juror, call, actor, new_invitation_link(juror))
    db.session.flush()
    return juror


def organisation_name(call: OpenCall) -> str:
    """Who invites, as the invited person should read it: the organisation, else the person."""
    profile = call.owner.organiser_profile
    return (profile.organisation if profile and profile.organisation else "") or (
        call.owner.display_name
    )


def _tell_member(juror: Juror, person: User, call: OpenCall, actor: User) -> None:
    """Email and notify a member of their invitation, in their language, with its page."""
    link = public_url("calls.invitation", invitation_id=juror.id)
    queue_email(
        to=person.email,
        subject=_l("An invitation to the jury of “%(title)s”", title=call.title),
        template="calls_notice",
        locale=person.locale,
        dedupe_key=once_key("jury-invitation", juror, extra=_stamp(juror.invited_at)),
        category=EmailCategory.JURY,
        user=person,
        lines=[
            _l(
                "%(organisation)s invites you to the jury of “%(title)s”.",
                organisation=organisation_name(call),
                title=call.title,
            ),
            _l(
                "Accept or decline on the invitation's page. Once you accept, you read each "
                "application and give it a score from 1 to 5."
            ),
        ],
        link_text=_l("Answer the invitation"),
        link=link,
    )
    with in_recipient_language(person.locale):
        text = _(
            "%(organisation)s invites you to the jury of “%(title)s”.",
            organisation=organisation_name(call),
            title=call.title,
        )
    notify(user=person, kind="call_juror", text=text, url=f"/jury/invitations/{juror.id}")


def _tell_address(juror: Juror, call: OpenCall, actor: User, token: str) -> None:
    """Email an address without an account its single-use link into the jury."""
    assert juror.email is not None
    assert juror.expires_at is not None
    queue_email(
        to=juror.email,
        subject=_l("An invitation to the jury of “%(title)s”", title=call.title),
        template="calls_notice",
        # Nobody chose a language yet: the organiser's is the likeliest shared one.
        locale=actor.locale,
        dedupe_key=once_key("jury-invitation", juror, extra=_stamp(juror.invited_at)),
        lines=[
            _l(
                "%(organisation)s invites you to the jury of “%(title)s” on %(network)s.",
                organisation=organisation_name(call),
                title=call.title,
                network=current_app.config["NETWORK_NAME"],
            ),
            _l(
                "Follow the link to accept: you create your account with this address and go "
                "straight to the applications. The link works once, until %(date)s.",
                date=LazyString(when_in, juror.expires_at, call.timezone),
            ),
        ],
        link_text=_l("See the invitation"),
        link=public_url("calls.join", token=token),
    )


def read_invitation_link(token: str) -> Juror:
    """The invitation a link opens, still waiting for its answer; CallError says why not."""
    try:
        payload = _serializer().loads(token, max_age=invitation_days() * 86400)
    except SignatureExpired:
        raise CallError(
            _("This invitation has expired. Ask the organiser for a new one.")
        ) from None
    except BadSignature:
        raise CallError(
            _("This invitation link is not valid. Check that you copied all of it.")
        ) from None
    juror = None
    if isinstance(payload, dict) and isinstance(payload.get("j"), int):
        juror = db.session.get(Juror, payload["j"])
    if juror is None or not isinstance(payload.get("s"), str):
        raise CallError(_("This invitation link is not valid. Check that you copied all of it."))
    if juror.token_hash is None or not hmac.compare_digest(
        juror.token_hash, _token_hash(payload["s"])
    ):
        if juror.status == JurorStatus.REVOKED:
            raise CallError(_("The organiser withdrew this invitation."))
        if juror.status == JurorStatus.INVITED:
            raise CallError(
                _("This link was replaced by a newer one: open the latest invitation email.")
            )
        raise CallError(_("This invitation was already answered: the link works once."))
    if juror.state() == JurorStatus.EXPIRED:
        raise CallError(_("This invitation has expired. Ask the organiser for a new one."))
    return juror


def _check_may_sit(juror: Juror, person: User) -> None:
    """Someone who applied to a call does not judge it."""
    applied = db.session.scalar(
        select(Submission.id).where(
            Submission.call_id == juror.call_id,
            Submission.applicant_id == person.id,
            Submission.status != SubmissionStatus.WITHDRAWN,
        )
    )
    if applied is not None:
        raise CallError(_("You applied to this call: you cannot sit on its jury."))


def _answer_refusal(juror: Juror) -> str:
    state = juror.state()
    if state == JurorStatus.ACCEPTED:
        return _("You already accepted this invitation.")
    if state == JurorStatus.DECLINED:
        return _("You already declined this invitation.")
    if state == JurorStatus.EXPIRED:
        return _("This invitation has expired. Ask the organiser for a new one.")
    return _("The organiser withdrew this invitation.")


def answer_invitation(juror: Juror, *, actor: User, accept: bool) -> None:
    """The invited member accepts (and may review) or declines; the organiser is told."""
    if juror.state() != JurorStatus.INVITED:
        raise CallError(_answer_refusal(juror))
    if accept:
        _check_may_sit(juror, actor)
    now = utcnow()
    # One answer, however many clicks race: the first changes the row, the others are told.
    if not claim(
        juror,
        where={"status": JurorStatus.INVITED, "user_id": actor.id},
        values={
            "status": JurorStatus.ACCEPTED if accept else JurorStatus.DECLINED,
            "answered_at": now,
            "token_hash": None,
        },
    ):
        db.session.refresh(juror)
        raise CallError(_answer_refusal(juror))
    _tell_organiser(juror, actor)


def decline_by_link(token: str) -> Juror:
    """Whoever holds an emailed link may decline it without an account; the organiser is told."""
    juror = read_invitation_link(token)
    if not claim(
        juror,
        where={"status": JurorStatus.INVITED, "token_hash": juror.token_hash},
        values={"status": JurorStatus.DECLINED, "answered_at": utcnow(), "token_hash": None},
    ):
        raise CallError(_("This invitation was already answered: the link works once."))
    _tell_organiser(juror, None)
    return juror


def accept_by_link(token: str, *, person: User) -> Juror:
    """Seat the person who followed an emailed link (signed up or logged in with that address):
    the link proves the address; a verified organisation's invitation stands in for approval
    of jury work on this call while the person's own approval waits (logged)."""
    juror = read_invitation_link(token)
    if person.email != juror.email:
        raise CallError(
            _(
                "This invitation was sent to %(email)s: log in with that address to accept it.",
                email=juror.email,
            )
        )
    other = _existing_invitation(juror.call, person, None)
    if other is not None and other.id != juror.id:
        raise CallError(_("You were invited to this jury already: answer that invitation."))
    _check_may_sit(juror, person)
    now = utcnow()
    approved = now if person.is_pending and is_verified_organiser(juror.call.owner) else None
    if not claim(
        juror,
        where={"status": JurorStatus.INVITED, "token_hash": juror.token_hash, "user_id": None},
        values={
            "status": JurorStatus.ACCEPTED,
            "user_id": person.id,
            "answered_at": now,
            "token_hash": None,
            "approved_by_invitation_at": approved,
        },
    ):
        raise CallError(_("This invitation was already answered: the link works once."))
    if person.email_verified_at is None:
        person.email_verified_at = now  # the link reached this very mailbox
    if approved is not None:
        log_action(
            kind=ActionKind.JURY_APPROVAL,
            actor=juror.call.owner,
            subject=person,
            target_type="call",
            target_id=juror.call_id,
            juror_id=juror.id,
            call=juror.call.title,
        )
    _tell_organiser(juror, person)
    db.session.flush()
    return juror


def _tell_organiser(juror: Juror, person: User | None) -> None:
    """The organiser hears of each answer (notification and email), in their language."""
    call = juror.call
    owner = call.owner
    name = person.display_name if person is not None else (juror.email or "")
    accepted = juror.status == JurorStatus.ACCEPTED
    line = (
        _l(
            "%(name)s accepted your invitation to the jury of “%(title)s”.",
            name=name,
            title=call.title,
        )
        if accepted
        else _l(
            "%(name)s declined your invitation to the jury of “%(title)s”.",
            name=name,
            title=call.title,
        )
    )
    queue_email(
        to=owner.email,
        subject=_l("An answer from your jury: “%(title)s”", title=call.title),
        template="calls_notice",
        locale=owner.locale,
        dedupe_key=once_key("jury-answer", juror, extra=_stamp(juror.answered_at)),
        category=EmailCategory.JURY,
        user=owner,
        lines=[line],
        link_text=_l("See the jury"),
        link=public_url("calls.manage", slug=call.slug, _anchor="jury"),
    )
    with in_recipient_language(owner.locale):
        text = str(line)
    notify(user=owner, kind="call_jury_answer", text=text, url=f"/calls/{call.slug}/manage#jury")


def revoke_invitation(juror: Juror, *, actor: User) -> None:
    """The organiser withdraws an invitation nobody answered: its link stops working."""
    if not claim(
        juror,
        where={"status": JurorStatus.INVITED},
        values={"status": JurorStatus.REVOKED, "token_hash": None},
    ):
        raise CallError(_("Only an invitation waiting for an answer can be withdrawn."))


def remove_juror(juror: Juror, *, actor: User) -> None:
    """Take someone off the jury (or clear an answered invitation); their reviews stay."""
    db.session.delete(juror)
    db.session.flush()


def revoke_jury_approval(juror: Juror, *, actor: User, reason: str) -> None:
    """A moderator ends a seat that an invitation approved: the person leaves this jury (logged;
    the person and the organiser are told)."""
    if not reason.strip():
        raise CallError(_("Give a reason."))
    approved = juror.approved_by_invitation_at
    if approved is None or not claim(
        juror,
        where={"status": JurorStatus.ACCEPTED, "approved_by_invitation_at": approved},
        values={"status": JurorStatus.REVOKED, "approved_by_invitation_at": None},
    ):
        raise CallError(
            _("This jury seat was not approved by an invitation, or is already revoked.")
        )
    person, call = juror.user, juror.call
    log_action(
        kind=ActionKind.REVOKE_JURY_APPROVAL,
        actor=actor,
        subject=person,
        target_type="call",
        target_id=call.id,
        reason=reason.strip(),
        juror_id=juror.id,
        call=call.title,
    )
    line = _l(
        "A moderator took %(name)s off the jury of “%(title)s”: %(reason)s",
        name=person.display_name if person else "",
        title=call.title,
        reason=reason.strip(),
    )
    for who in (person, call.owner):
        if who is None or who.status == UserStatus.DELETED:
            continue
        with in_recipient_language(who.locale):
            text = str(line)
        notify(user=who, kind="call_jury_revoked", text=text, url=f"/calls/{call.slug}")
        queue_email(
            to=who.email,
            subject=_l("A change in the jury of “%(title)s”", title=call.title),
            template="calls_notice",
            locale=who.locale,
            dedupe_key=once_key("jury-revoked", juror, extra=f"{who.id}:{_stamp(approved)}"),
            category=EmailCategory.JURY,
            user=who,
            lines=[line],
            link_text=call.title,
            link=public_url("calls.detail", slug=call.slug),
        )
    db.session.flush()


def invitation_for_signup(token: str) -> tuple[str, str]:
    """(the invited address, a sentence for the sign-up form) of a jury invitation link."""
    juror = read_invitation_link(token)
    if juror.email is None:
        raise CallError(_("This invitation link is not valid. Check that you copied all of it."))
    lead = _(
        "%(organisation)s invites you to the jury of “%(title)s”. Create your account with "
        "%(email)s and you go straight to the applications.",
        organisation=organisation_name(juror.call),
        title=juror.call.title,
        email=juror.email,
    )
    return juror.email, lead


def profile_of(user: User) -> DesignerProfile | None:
    return db.session.scalar(select(DesignerProfile).where(DesignerProfile.user_id == user.id))


# ---------- Applications ----------


def own_projects(user: User) -> list[Project]:
    """The designer's published, visible projects: what an application may attach."""
    return list(
        db.session.scalars(
            select(Project)
            .where(
                Project.owner_id == user.id,
                Project.is_published.is_(True),
                Project.hidden_at.is_(None),
            )
            .order_by(Project.created_at.desc(), Project.id.desc())
        )
    )


def submission_of(call: OpenCall, user: User) -> Submission | None:
    return db.session.scalar(
        select(Submission)
        .where(Submission.call_id == call.id, Submission.applicant_id == user.id)
        .options(selectinload(Submission.projects), selectinload(Submission.answers))
    )


@dataclass(frozen=True)
class ApplicantReads:
    """What applying reads of the applicant once: their application to the call (if any),
    the projects they may attach, their profile (for the eligibility rules)."""

    submission: Submission | None
    projects: list[Project]
    profile: DesignerProfile | None


def read_applicant(call: OpenCall, applicant: User) -> ApplicantReads:
    return ApplicantReads(
        submission=submission_of(call, applicant),
        projects=own_projects(applicant),
        profile=profile_of(applicant),
    )


def save_submission(
    call: OpenCall,
    *,
    applicant: User,
    statement: str,
    answers: dict[int, str],
    project_ids: Iterable[int],
    submit: bool,
    results_consent: bool | None = None,
    category_id: int | None = None,
    now: datetime | None = None,
    read: ApplicantReads | None = None,
) -> Submission:
    """Create or edit one's application (draft or submitted), only while the call (and the
    category picked, when the call has categories) is open. `read`: what the applying page
    has already read in this transaction, so that it is not read again."""
    now = now or utcnow()
    read = read or read_applicant(call, applicant)
    _check_applicant(call, applicant, now, read)
    category = _check_category_pick(call, category_id, now)
    if category is not None and not eligibility(call, read.profile, category).ok:
        # Ages are judged on the category's own deadline day (the call's may be later).
        raise CallError(
            _("You are over the age limit of the category “%(name)s”.", name=category.name)
        )
    if len(statement) > STATEMENT_MAX:
        raise CallError(_("The statement is too long."))
    wanted = list(dict.fromkeys(int(i) for i in project_ids))
    allowed = {p.id: p for p in read.projects}
    _check_projects(call, wanted, allowed, category)
    if submit:
        _check_complete(call, wanted, answers)
    submission = read.submission or _new_submission(call, applicant)
    # Read before this request changes anything: sending twice at once submits once.
    previous_status = submission.status
    if submission.status == SubmissionStatus.WITHDRAWN and not submit:
        submission.status = SubmissionStatus.DRAFT
    submission.statement = statement
    submission.category_id = category.id if category is not None else None
    submission.projects = [allowed[i] for i in wanted]
    _write_answers(submission, call, answers)
    if results_consent is not None and results_consent != submission.results_consent:
        submission.results_consent = results_consent
        submission.results_consent_at = now
    db.session.flush()
    first_submit = (
        submit
        and previous_status != SubmissionStatus.SUBMITTED
        and claim(
            submission,
            where={"status": previous_status},
            values={
                "status": SubmissionStatus.SUBMITTED,
                "submitted_at": submission.submitted_at or now,
            },
        )
    )
    if first_submit:
        _confirm_submission(submission, call, applicant)
    elif submit and previous_status != SubmissionStatus.SUBMITTED:
        # A simultaneous request changed the row first (it submitted): hold what it wrote.
        db.session.refresh(submission, ["status", "submitted_at"])
    return submission


def _check_applicant(call: OpenCall, applicant: User, now: datetime, read: ApplicantReads) -> None:
    """The call is open and this person may apply to it: otherwise a CallError says why."""
    if not call.is_open(now):
        raise CallError(_("This call is closed: applications can no longer be changed."))
    approved = applicant.is_member or access.approved_candidate(call, applicant)
    if not approved or not applicant.is_designer:
        raise CallError(_("Only approved designers can apply."))
    if not applicant.email_verified:
        raise CallError(_("Confirm your email address to apply: open the link we sent you."))
    on_jury = db.session.scalar(
        select(Juror.id).where(
            Juror.call_id == call.id,
            Juror.user_id == applicant.id,
            Juror.status == JurorStatus.ACCEPTED,
        )
    )
    if on_jury is not None:
        raise CallError(_("Jurors cannot apply to the call they review."))
    verdict = eligibility(call, read.profile)
    if not verdict.ok:
        raise CallError(_("You do not meet this call's eligibility rules."))
    blocked = access.mode_refusal(call, applicant)  # invite-only and nominated calls
    if blocked is not None:
        raise CallError(blocked)


def _check_category_pick(
    call: OpenCall, category_id: int | None, now: datetime
) -> CallCategory | None:
    """One of this call's categories when it has some (required then), none otherwise; and
    that category still open (its own deadline may come before the call's)."""
    if not call.categories:
        if category_id is not None:
            raise CallError(_("This call has no categories."))
        return None
    category = next((c for c in call.categories if c.id == category_id), None)
    if category is None:
        raise CallError(_("Choose one of this call's categories."))
    if not category.is_open(now):
        raise CallError(
            _("The category “%(name)s” is closed: choose another one.", name=category.name)
        )
    return category


def _check_projects(
    call: OpenCall,
    wanted: list[int],
    allowed: dict[int, Project],
    category: CallCategory | None = None,
) -> None:
    """The attached projects are the applicant's own published ones, no more than allowed."""
    if any(i not in allowed for i in wanted):
        raise CallError(_("Choose among your own published projects."))
    most = category.projects_allowed() if category is not None else call.max_projects
    if len(wanted) > most:
        raise CallError(_("Attach at most %(n)d projects.", n=most))


def _check_complete(call: OpenCall, wanted: list[int], answers: dict[int, str]) -> None:
    """What submitting (not saving a draft) needs: a project and every required answer."""
    if not wanted:
        raise CallError(_("Attach at least one project."))
    missing = [q.label for q in call.questions if q.required and not answers.get(q.id, "").strip()]
    if missing:
        raise CallError(_("Please answer: %(questions)s", questions="; ".join(missing)))


def _write_answers(submission: Submission, call: OpenCall, answers: dict[int, str]) -> None:
    existing = {a.question_id: a for a in submission.answers}
    for question in call.questions:
        value = answers.get(question.id, "").strip()
        if question.id in existing:
            existing[question.id].value = value
        else:
            submission.answers.append(Answer(question_id=question.id, value=value))


def _new_submission(call: OpenCall, applicant: User) -> Submission:
    """An empty application, or the one a simultaneous request has just created."""
    submission = Submission(
        call_id=call.id,
        applicant_id=applicant.id,
        status=SubmissionStatus.DRAFT,
        projects=[],  # known empty: filling them in needs no read of what was attached
        answers=[],
    )
    try:
        with savepoint():  # one application per person and call (unique)
            db.session.add(submission)
    except IntegrityError:
        existing = submission_of(call, applicant)
        if existing is None:
            raise
        return existing
    return submission


def notify_applicant(
    submission: Submission,
    person: User,
    *,
    key: str,
    subject: LazyString,
    lines: Sequence[str | LazyString],
    link_text: str | LazyString,
    link: str,
    category: EmailCategory = EmailCategory.APPLICATIONS,
) -> OutgoingEmail | None:
    """Email an applicant about their application, once per `key`, in their own language.

    Pass `subject` and `lines` as lazy strings (`_l`): they are written in `person.locale`.
    None when this email (same key, same application) was already queued, or when the person
    turned this category of email off.
    """
    return queue_email(
        to=person.email,
        subject=subject,
        template="calls_notice",
        locale=person.locale,
        dedupe_key=once_key(key, submission),
        category=category,
        user=person,
        lines=list(lines),
        link_text=link_text,
        link=link,
    )


def _confirm_submission(submission: Submission, call: OpenCall, applicant: User) -> None:
    notify_applicant(
        submission,
        applicant,
        key="call-submitted",
        subject=_l("Your application to “%(title)s” was received", title=call.title),
        lines=[
            _l(
                "We received your application to “%(title)s”. You can edit it until the deadline.",
                title=call.title,
            )
        ],
        link_text=call.title,
        link=public_url("calls.apply", slug=call.slug),
    )
    with in_recipient_language(applicant.locale):
        text = _("Your application to “%(title)s” was received.", title=call.title)
    notify(user=applicant, kind="call_submitted", text=text, url=f"/calls/{call.slug}/apply")


def withdraw_submission(
    submission: Submission, *, actor: User, now: datetime | None = None
) -> None:
    """The applicant takes their application back, while the call is open."""
    if not submission.call.is_open(now or utcnow()):
        raise CallError(_("This call is closed: applications can no longer be changed."))
    if not claim(
        submission,
        where={"status": (SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED)},
        values={"status": SubmissionStatus.WITHDRAWN},
    ):
        raise CallError(_("This application was already withdrawn."))


# ---------- Reviews and decisions ----------


def is_decided(submission: Submission) -> bool:
    return submission.decision in (Decision.ACCEPTED, Decision.DECLINED)


def review_of(submission: Submission, juror: User) -> Review | None:
    """The juror's review in the call's current round (see `rounds.current_round`)."""
    item = rounds.current_round(rounds.rounds_of(submission.call))
    return None if item is None else rounds.reviews_in(submission, juror, item)


def save_review(submission: Submission, *, juror: User, score: int, comment: str) -> Review:
    """Score a submission in the call's open round when its rubric has one criterion (the
    single score of calls without rounds): see `rounds.save_scores` for several criteria."""
    if is_decided(submission):
        raise CallError(_("The organiser has decided: reviews are closed."))
    item = next((r for r in rounds.ensure_rounds(submission.call) if r.is_open), None)
    if item is None:
        raise CallError(_("No round is open for scores."))
    if len(item.criteria) != 1:
        raise CallError(_("Score each criterion of the round."))
    if not 1 <= score <= item.scale:
        raise CallError(_("Give a score from 1 to %(scale)d.", scale=item.scale))
    given = {item.criteria[0].id: rounds.CriterionInput(score, "")}
    try:
        return rounds.save_scores(submission, item, juror=juror, scores=given, comment=comment)
    except rounds.RoundError as exc:
        raise CallError(str(exc)) from None


def declare_conflict(submission: Submission, *, juror: User) -> Review:
    """Recuse oneself from a submission (before scoring it) in the call's current round."""
    item = rounds.current_round(rounds.ensure_rounds(submission.call))
    if item is None:
        raise CallError(_("No round is open for scores."))
    try:
        rounds.declare_conflict(submission, item, submission.call, juror=juror)
    except rounds.RoundError as exc:
        raise CallError(str(exc)) from None
    review = rounds.reviews_in(submission, juror, item)
    assert review is not None
    return review


def decide(
    submission: Submission,
    *,
    actor: User,
    decision: Decision,
    message: str = "",
    prize: str | None = None,
) -> None:
    """Shortlist, accept or decline; a decision already sent to the applicant stays.

    A prize or mention goes with an acceptance only; `None` keeps the one already set."""
    if submission.status != SubmissionStatus.SUBMITTED:
        raise CallError(_("Only submitted applications can be decided."))
    prize = (submission.prize if prize is None else prize).strip()
    if len(prize) > PRIZE_MAX:
        raise CallError(_("The prize or mention is too long."))
    # Not once the applicant is told, even by a "notify" sent at the same moment.
    if submission.notified_at is not None or not claim(
        submission,
        where={"status": SubmissionStatus.SUBMITTED, "notified_at": None},
        values={
            "decision": decision,
            "decision_message": message.strip(),
            "prize": prize if decision == Decision.ACCEPTED else "",
            "decided_at": utcnow() if decision != Decision.PENDING else None,
        },
    ):
        raise CallError(_("The applicant was already told the decision."))


def decision_email(
    submission: Submission, call: OpenCall
) -> tuple[LazyString, list[str | LazyString]]:
    """The subject and lines of the decision email (lazy: written in the recipient's language):
    the organiser's template when they wrote one (app/calls/decision_templates.py), the
    organiser's message, and the jury's feedback they chose to pass on."""
    custom = decision_templates.custom_email(submission, call)
    if custom is not None:
        subject, lines = custom
    else:
        subject = _l("A decision on your application to “%(title)s”", title=call.title)
        lines = [
            _l("Congratulations: your application to “%(title)s” was accepted.", title=call.title)
            if submission.decision == Decision.ACCEPTED
            else _l(
                "Thank you for applying to “%(title)s”. Your application was not selected "
                "this time.",
                title=call.title,
            )
        ]
    if submission.decision_message:
        lines.append(submission.decision_message)
    lines.extend(decision_templates.feedback_lines(submission))
    return subject, lines


@dataclass(frozen=True)
class EmailPreview:
    decision: Decision
    locale: str
    subject: str
    text: str


def preview_decision_emails(call: OpenCall) -> list[EmailPreview]:
    """The decision email as one applicant of each decision waiting to be sent will read it, in
    their language; nothing is queued."""
    previews = []
    for decision in (Decision.ACCEPTED, Decision.DECLINED):
        submission = db.session.scalar(
            select(Submission)
            .where(
                Submission.call_id == call.id,
                Submission.status == SubmissionStatus.SUBMITTED,
                Submission.decision == decision,
                Submission.notified_at.is_(None),
            )
            .options(selectinload(Submission.applicant))
            .order_by(Submission.id)
            .limit(1)
        )
        if submission is None:
            continue
        person = submission.applicant
        subject, lines = decision_email(submission, call)
        with in_recipient_language(person.locale) as lang:
            text = render_template(
                "mail/calls_notice.txt",
                user=person,
                lines=[str(line) for line in lines],
                link=public_url("calls.my_submissions"),
                network_name=current_app.config["NETWORK_NAME"],
            )
            previews.append(EmailPreview(decision, lang, str(subject), text))
    return previews


BULK_DECISIONS = (Decision.SHORTLISTED, Decision.ACCEPTED, Decision.DECLINED)


@dataclass(frozen=True)
class BulkOutcome:
    changed: int
    unchanged: int


class NotOfThisCall(LookupError):
    """A selected application is not one of this call's submitted applications."""


def decide_many(
    call: OpenCall, ids: Iterable[int], *, actor: User, decision: Decision
) -> BulkOutcome:
    """One decision for several applications of the call, each through `decide`; any refusal
    refuses them all (the caller rolls back)."""
    wanted = sorted(set(ids))
    if not wanted:
        raise CallError(_("Select at least one application."))
    if decision not in BULK_DECISIONS:
        raise CallError(_("Choose accept, decline or shortlist."))
    found = list(
        db.session.scalars(
            select(Submission)
            .where(
                Submission.id.in_(wanted),
                Submission.call_id == call.id,
                Submission.status == SubmissionStatus.SUBMITTED,
            )
            .order_by(Submission.id)
        )
    )
    if len(found) != len(wanted):
        raise NotOfThisCall()
    changed = 0
    for submission in found:
        if submission.notified_at is not None:
            raise CallError(_("Some of the selected applicants were already told their decision."))
        if submission.decision == decision:
            continue
        # One winner per change: a click racing this one, or a "notify" sent at the same
        # moment, makes this claim fail, and the caller rolls the whole selection back.
        if not claim(
            submission,
            where={
                "status": SubmissionStatus.SUBMITTED,
                "notified_at": None,
                "decision": submission.decision,
            },
            values={
                "decision": decision,
                "prize": submission.prize if decision == Decision.ACCEPTED else "",
                "decided_at": utcnow(),
            },
        ):
            raise CallError(
                _("These applications changed at the same moment: look at the table again.")
            )
        changed += 1
    return BulkOutcome(changed=changed, unchanged=len(found) - changed)


def notify_applicants(call: OpenCall, *, actor: User) -> int:
    """Email each decided applicant once, however often the button is pressed."""
    pending = db.session.scalars(
        select(Submission)
        .where(
            Submission.call_id == call.id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.decision.in_([Decision.ACCEPTED, Decision.DECLINED]),
            Submission.notified_at.is_(None),
        )
        .options(selectinload(Submission.applicant))
    ).all()
    sent = 0
    for submission in pending:
        # Each applicant told once: a second "notify" running at once skips who the first took.
        if not claim(submission, where={"notified_at": None}, values={"notified_at": utcnow()}):
            continue
        person = submission.applicant
        subject, lines = decision_email(submission, call)
        notify_applicant(
            submission,
            person,
            key="call-decision",
            subject=subject,
            lines=lines,
            link_text=_l("My applications"),
            link=public_url("calls.my_submissions"),
        )
        # Told once (the claim above), in the notification centre whatever the person chose
        # for emails about applications.
        sent += 1
        with in_recipient_language(person.locale):
            text = _("A decision on your application to “%(title)s”.", title=call.title)
        notify(user=person, kind="call_decision", text=text, url="/submissions")
    db.session.flush()
    return sent


# ---------- Reminders ----------


def send_reminders(*, now: datetime | None = None) -> int:
    """One email to each designer with a draft, 48 hours or less before the deadline."""
    now = now or utcnow()
    drafts = db.session.scalars(
        select(Submission)
        .join(OpenCall, OpenCall.id == Submission.call_id)
        .where(
            Submission.status == SubmissionStatus.DRAFT,
            Submission.reminder_sent_at.is_(None),
            OpenCall.status == CallStatus.PUBLISHED,
            OpenCall.deadline_at > now,
            OpenCall.deadline_at <= now + REMINDER_WINDOW,
        )
        .options(selectinload(Submission.applicant), selectinload(Submission.call))
    ).all()
    sent = 0
    for submission in drafts:
        person, call = submission.applicant, submission.call
        email = notify_applicant(
            submission,
            person,
            key="call-reminder",
            subject=_l("Your application to “%(title)s” is still a draft", title=call.title),
            lines=[
                _l(
                    "Your application to “%(title)s” is still a draft. "
                    "Submit it before the deadline: %(deadline)s.",
                    title=call.title,
                    # Written in the recipient's language, in the call's own time zone.
                    deadline=LazyString(when_in, call.deadline_at, call.timezone),
                )
            ],
            link_text=call.title,
            link=public_url("calls.apply", slug=call.slug),
            category=EmailCategory.REMINDERS,
        )
        submission.reminder_sent_at = now
        sent += email is not None
    db.session.flush()
    return sent


# ---------- Credits ----------


@dataclass(frozen=True)
class Credit:
    text: str
    url: str
    year: int
    submission_id: int
    hidden: bool


def credited(applicant_id: Any) -> ColumnElement[bool]:
    """The applications of `applicant_id` (a column or a bound parameter) that are credits:
    accepted, the applicant told, in a call not hidden by the moderators."""
    return and_(
        Submission.applicant_id == applicant_id,
        Submission.decision == Decision.ACCEPTED,
        Submission.notified_at.is_not(None),
        OpenCall.hidden_at.is_(None),
    )


def has_credits(designer_id: Any, _viewer_id: Any) -> ColumnElement[bool]:
    """A designer's page header fact: some credit shown on the portfolio (none hidden)."""
    return (
        select(Submission.id)
        .join(OpenCall, OpenCall.id == Submission.call_id)
        .where(credited(designer_id), Submission.credit_hidden.is_(False))
        .exists()
    )


@cache
def _credits_statement() -> Select[int, datetime | None, bool, bool, str, str, datetime, str]:
    # Built once: building it cost more than running it (most designers have no credit).
    return (
        select(
            Submission.id,
            Submission.decided_at,
            Submission.credit_hidden,
            Submission.results_consent,
            OpenCall.slug,
            OpenCall.title,
            OpenCall.deadline_at,
            OpenCall.timezone,
        )
        .join(OpenCall, OpenCall.id == Submission.call_id)
        .where(credited(bindparam("applicant_id", type_=Integer)))
        .order_by(Submission.decided_at.desc())
    )


def credits_for(user: User, *, include_hidden: bool = False) -> list[Credit]:
    """Accepted results as portfolio credits, "Selected — <call title>, <year>", linked."""
    rows = db.session.execute(_credits_statement(), {"applicant_id": user.id}).all()
    found = []
    for submission_id, decided_at, hidden, consent, slug, title, deadline_at, tz in rows:
        if hidden and not include_hidden:
            continue
        year = utc_to_local(decided_at or deadline_at, tz).year
        path = f"/calls/{slug}"  # OpenCall.path
        found.append(
            Credit(
                text=_("Selected — %(title)s, %(year)s", title=title, year=year),
                # With the designer's agreement, the credit leads to the call's results page.
                url=f"{path}/results" if consent else path,
                year=year,
                submission_id=submission_id,
                hidden=hidden,
            )
        )
    return found


def set_credit_hidden(submission: Submission, *, actor: User, hidden: bool) -> None:
    """The designer shows or hides an acceptance on their portfolio."""
    submission.credit_hidden = hidden
    db.session.flush()


# ---------- Results ----------


def has_results(call: OpenCall) -> bool:
    """Decisions were sent: the call's public results page exists."""
    return (
        db.session.scalar(
            select(Submission.id)
            .where(Submission.call_id == call.id, Submission.notified_at.is_not(None))
            .limit(1)
        )
        is not None
    )


def set_results_consent(submission: Submission, *, actor: User, consent: bool) -> None:
    """The applicant agrees to appear on the call's results page, or withdraws that agreement."""
    if submission.results_consent != consent:
        submission.results_consent = consent
        submission.results_consent_at = utcnow()
    db.session.flush()


# ---------- Export ----------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula: leading = + - @ are quoted away."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text

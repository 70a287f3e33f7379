"""Account rules and state changes. They flush, never commit: the view commits once."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, select

from app import navigation
from app.accounts.models import AccountType, StaffRole, User, UserSession, UserStatus
from app.accounts.passwords import hash_password, needs_rehash, verify_password
from app.accounts.signals import user_approved
from app.accounts.tokens import TokenError, make_token, read_token
from app.db_types import utcnow
from app.extensions import db
from app.mail.services import queue_email
from app.moderation.models import ActionKind
from app.moderation.services import log_action
from app.pagination import AnySelect
from app.profiles.models import DesignerProfile, OrganiserProfile
from app.transitions import claim
from app.urls import public_url

log = logging.getLogger("app.auth")

# How often a session's last_seen_at is written: not on every request, to keep reads cheap.
SEEN_RESOLUTION = timedelta(minutes=5)


class AccountError(Exception):
    """A rule refused the change; the message is for the person."""


def normalise_email(raw: str) -> str:
    """The one form of an address under which it is stored, looked up and kept unique.

    `x@ｅｘａｍｐｌｅ．ｏｒｇ` and `X@Example.org` are one mailbox: the whole address is put in
    Unicode NFKC form (full-width letters, dots and @ become ASCII), the domain is written in
    IDNA's ASCII form (`bücher.de` → `xn--bcher-kva.de`, what mail servers use) and the whole
    address is lower-cased, as before.
    """
    address = unicodedata.normalize("NFKC", raw).strip()
    local, at, domain = address.rpartition("@")
    if at and domain:
        # Not a valid domain name: kept as typed; the form says so, or the lookup finds nothing.
        with contextlib.suppress(UnicodeError):
            domain = domain.rstrip(".").encode("idna").decode("ascii")
        address = f"{local}@{domain}"
    return address.lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def find_by_handle(handle: str) -> User | None:
    return db.session.scalar(select(User).where(User.handle == handle.strip().lower()))


def email_taken(email: str) -> bool:
    return find_by_email(email) is not None


def handle_taken(handle: str) -> bool:
    return find_by_handle(handle) is not None


def sign_up(
    *,
    email: str,
    password: str,
    handle: str,
    display_name: str,
    account_type: AccountType,
    locale: str | None = None,
    timezone: str | None = None,
    email_confirmed: bool = False,
) -> User:
    """Create a pending account with its empty profile and queue the verification email
    (none when `email_confirmed`: the person came from a link sent to that very address)."""
    user = User(
        email=normalise_email(email),
        handle=handle.strip().lower(),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        account_type=account_type,
        status=UserStatus.PENDING,
        locale=locale,
        timezone=timezone,
        created_at=utcnow(),
        email_verified_at=utcnow() if email_confirmed else None,
    )
    db.session.add(user)
    db.session.flush()
    if account_type == AccountType.ORGANISER:
        # The organisation's details come on the next step (/me/organisation); until then its
        # name is the person's display name.
        db.session.add(OrganiserProfile(user_id=user.id, organisation=user.display_name[:150]))
    else:
        db.session.add(DesignerProfile(user_id=user.id))
    if not email_confirmed:
        send_verification(user)
    log.info("signup user=%s type=%s", user.id, account_type)
    return user


def send_verification(user: User) -> None:
    """Queue an email with a link that verifies the person's address."""
    token = make_token(user, "verify")
    queue_email(
        to=user.email,
        subject=_l("Confirm your email address"),
        template="verify_email",
        locale=user.locale,
        user=user,
        link=public_url("accounts.verify", token=token),
    )


def verify_email(token: str) -> User:
    """Mark the address in a verification link as verified; raises TokenError."""
    user, _payload = read_token(token, "verify", current_app.config["VERIFY_TOKEN_MAX_AGE"])
    # The link is used once: the same link opened twice at once verifies once.
    if not claim(
        user,
        where={"email": user.email, "email_verified_at": user.email_verified_at},
        values={"email_verified_at": utcnow()},
    ):
        raise TokenError("used")
    log.info("email verified user=%s", user.id)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The account for an email and password, or None; unknown emails cost the same time."""
    user = find_by_email(email)
    if user is None or user.status == UserStatus.DELETED:
        verify_password(None, password)
        log.info("login failed: unknown email")
        return None
    if not verify_password(user.password_hash, password):
        log.info("login failed user=%s", user.id)
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        # The costs changed since this hash was made: the right password, in hand now, is
        # hashed again with today's (committed with the log-in's session).
        user.password_hash = hash_password(password)
    return user


def lift_expired_suspension(user: User) -> None:
    """A suspension with an end date ends by itself when that date has passed."""
    if (
        user.status == UserStatus.SUSPENDED
        and user.suspended_until is not None
        and user.suspended_until <= utcnow()
    ):
        user.status = UserStatus.ACTIVE
        user.suspended_until = None
        user.status_reason = None


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, *, user_agent: str = "") -> str:
    """Record a new logged-in session and return the raw token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        UserSession(
            token_hash=_hash_token(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(days=current_app.config["SESSION_MAX_AGE_DAYS"]),
            user_agent=user_agent[:200],
        )
    )
    user.last_active_at = now
    user.current_session_token = token
    log.info("login user=%s", user.id)
    return token


@dataclass
class LoadedSession:
    """Who a session token belongs to, and whether loading it changed a row (the caller
    commits then: an expired suspension lifted, the last-seen time moved on)."""

    user: User | None
    changed: bool = False


def _session_by_token() -> tuple[AnySelect, list[str]]:
    """The session, its person and the navigation's counts about them, in one statement (built
    once per app: every logged-in request runs it, and building it costs about as much)."""
    cached: tuple[AnySelect, list[str]] | None = current_app.extensions.get("session_by_token")
    if cached is None:
        statement = (
            select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_hash == bindparam("token_hash"))
        )
        cached = current_app.extensions["session_by_token"] = navigation.with_counts(
            statement, UserSession.user_id
        )
    return cached


def load_session(token: str) -> LoadedSession:
    """The person a session token belongs to, if the session is live and they may be logged in
    (flushes nothing, never commits: the request's user loader commits when `changed`)."""
    statement, counts = _session_by_token()
    row = db.session.execute(statement, {"token_hash": _hash_token(token)}).first()
    if row is None:
        return LoadedSession(None)
    session, user = row[0], row[1]
    navigation.prime(counts, row[2:])
    now = utcnow()
    if session.expires_at <= now:
        return LoadedSession(None)
    changed = False
    if not user.is_active:
        lift_expired_suspension(user)
        if not user.is_active:
            return LoadedSession(None)
        changed = True
    if now - session.last_seen_at > SEEN_RESOLUTION:
        # Written at most every few minutes, so that reading pages stays write-free.
        session.last_seen_at = now
        user.last_active_at = now
        changed = True
    user.current_session_token = token
    return LoadedSession(user, changed)


def end_session(token: str | None) -> None:
    """End one session (log out): its cookie no longer logs anyone in."""
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == _hash_token(token)))


def end_all_sessions(user: User, *, keep_token: str | None = None) -> int:
    """End every session of a person, except optionally the current one."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        stmt = stmt.where(UserSession.token_hash != _hash_token(keep_token))
    result = db.session.execute(stmt)
    log.info("sessions ended user=%s count=%s", user.id, result.rowcount)  # type: ignore[attr-defined]
    return int(result.rowcount)  # type: ignore[attr-defined]


def session_count(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count()).select_from(UserSession).where(UserSession.user_id == user.id)
        )
        or 0
    )


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; says nothing either way."""
    user = find_by_email(email)
    if user is None or user.status == UserStatus.DELETED:
        log.info("password reset requested for unknown email")
        return
    token = make_token(user, "reset")
    queue_email(
        to=user.email,
        subject=_l("Reset your password"),
        template="reset_password",
        locale=user.locale,
        user=user,
        link=public_url("accounts.reset_with_token", token=token),
    )
    log.info("password reset requested user=%s", user.id)


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; ends every session. Raises TokenError."""
    user, _payload = read_token(token, "reset", current_app.config["RESET_TOKEN_MAX_AGE"])
    new_hash = hash_password(new_password)
    now = utcnow()
    # One password per link: of two requests racing with the same link, one changes the row
    # whose hash the link was made for; the other finds another hash and the link used.
    if not claim(
        user,
        where={"password_hash": user.password_hash, "status": user.status},
        values={
            "password_hash": new_hash,
            "password_changed_at": now,
            # Following the emailed link proves the address.
            "email_verified_at": user.email_verified_at or now,
        },
    ):
        raise TokenError("used")
    log.info("password changed user=%s (reset link)", user.id)
    end_all_sessions(user)
    return user


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    log.info("password changed user=%s", user.id)


def change_password(user: User, *, current: str, new: str, keep_token: str | None) -> None:
    """Change a password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current):
        raise AccountError(_("Your current password is not correct."))
    _set_password(user, new)
    end_all_sessions(user, keep_token=keep_token)


def request_email_change(user: User, *, new_email: str, password: str) -> None:
    """Send a confirmation link to the new address; the change happens when it is followed."""
    if not verify_password(user.password_hash, password):
        raise AccountError(_("Your password is not correct."))
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise AccountError(_("This is already your email address."))
    token = make_token(user, "email", new_email=new_email)
    # Sent even if the address is taken, so the form reveals nothing; confirming then fails.
    queue_email(
        to=new_email,
        subject=_l("Confirm your new email address"),
        template="change_email",
        locale=user.locale,
        user=user,
        link=public_url("accounts.confirm_email_change", token=token),
    )


def confirm_email_change(token: str) -> User:
    """Switch to the new address in the link, verified. Raises TokenError, AccountError."""
    user, payload = read_token(token, "email", current_app.config["VERIFY_TOKEN_MAX_AGE"])
    new_email = normalise_email(str(payload.get("new_email", "")))
    if email_taken(new_email):
        raise AccountError(_("Another account already uses this email address."))
    old = user.email
    if not claim(
        user,
        where={"email": old, "password_hash": user.password_hash},
        values={"email": new_email, "email_verified_at": utcnow()},
    ):
        raise TokenError("used")
    queue_email(
        to=old,
        subject=_l("Your email address was changed"),
        template="email_changed",
        locale=user.locale,
        user=user,
        new_email=new_email,
    )
    log.info("email changed user=%s", user.id)
    return user


def update_preferences(
    user: User, *, display_name: str, locale: str | None, timezone: str | None
) -> None:
    """Save the name, language and time zone a person chose."""
    user.display_name = display_name.strip()
    user.locale = locale or None
    user.timezone = timezone or None


def approve_user(user: User, *, actor: User | None, reason: str = "") -> None:
    """Make a pending (or rejected) person an active member, and tell them."""
    if not user.email_verified:
        # The welcome email and everything a member does start from an address that works.
        raise AccountError(
            _(
                "%(name)s has not confirmed their email address yet: "
                "they can be approved once they have.",
                name=user.display_name,
            )
        )
    # One approval, one log line, one welcome email, however many moderators click at once.
    if not claim(
        user,
        where={"status": (UserStatus.PENDING, UserStatus.REJECTED)},
        values={"status": UserStatus.ACTIVE, "status_reason": None, "approved_at": utcnow()},
    ):
        raise AccountError(_("Only pending or rejected people can be approved."))
    if user.is_organiser and user.organiser_profile is not None:
        user.organiser_profile.verified_at = utcnow()
    log_action(kind=ActionKind.APPROVE, actor=actor, subject=user, reason=reason)
    user_approved.send(user)
    queue_email(
        to=user.email,
        subject=_l("Welcome: your profile is approved"),
        template="approved",
        locale=user.locale,
        user=user,
        link=public_url("main.home"),
    )


def reject_user(user: User, *, actor: User | None, reason: str) -> None:
    """Refuse a pending person, with a reason they will read."""
    if not reason.strip():
        raise AccountError(_("Give the person a reason."))
    if not claim(
        user,
        where={"status": UserStatus.PENDING},
        values={"status": UserStatus.REJECTED, "status_reason": reason.strip()},
    ):
        raise AccountError(_("Only pending people can be rejected."))
    log_action(kind=ActionKind.REJECT, actor=actor, subject=user, reason=reason)
    queue_email(
        to=user.email,
        subject=_l("About your application to the network"),
        template="rejected",
        locale=user.locale,
        user=user,
        reason=reason,
        link=public_url("accounts.login"),
    )


def create_admin(*, email: str, password: str, handle: str, display_name: str) -> User:
    """Create an active, verified admin account (the first admin comes from the command line)."""
    now = utcnow()
    user = User(
        email=normalise_email(email),
        handle=handle.lower(),
        display_name=display_name,
        password_hash=hash_password(password),
        account_type=AccountType.DESIGNER,
        status=UserStatus.ACTIVE,
        staff_role=StaffRole.ADMIN,
        email_verified_at=now,
        approved_at=now,
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    db.session.add(DesignerProfile(user_id=user.id))
    log_action(kind=ActionKind.CREATE_ADMIN, actor=None, subject=user)
    return user

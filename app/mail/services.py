"""Queue and deliver email."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol

from flask import current_app, g, render_template
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update

from app.db_types import utcnow
from app.extensions import db
from app.mail.backends import MailBackend
from app.mail.models import Delivery, EmailCategory, EmailPreference, EmailStatus, OutgoingEmail
from app.urls import public_url

log = logging.getLogger("app.mail")


class _Row(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...


def _stamp(row: _Row) -> str:
    return f"{row.created_at.astimezone(UTC):%Y%m%dT%H%M%S%f}"


def once_key(kind: str, *rows: _Row, extra: str | int | None = None) -> str:
    """A dedupe key for "send this once about these rows" that no later row can share.

    An id alone names a row only while it lives (SQLite reused the ids of deleted rows before
    AUTOINCREMENT; a restored or merged database may too): the creation time, to the
    microsecond, names its lifetime, so a new row with an old id never inherits "already sent".
    """
    parts = [kind]
    for row in rows:
        parts.append(f"{row.id}@{_stamp(row)}")
    if extra is not None:
        parts.append(str(extra))
    return ":".join(parts)


def recipient_locale(locale: str | None) -> str:
    """The language written to a person: their saved one, else the network's default."""
    if locale in current_app.config["LANGUAGES"]:
        return str(locale)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


@contextmanager
def in_recipient_language(locale: str | None) -> Iterator[str]:
    """Translate (and format) in the recipient's language, whoever's request this is."""
    lang = recipient_locale(locale)
    with force_locale(lang):
        yield lang


# --- What a person wants by email ----------------------------------------------------------

# The scope of the one-click unsubscribe link in the daily digest: every category the person
# gets as a digest (the link in a category's own email names that category).
DIGEST_SCOPE = "digest"
# The pages are the notifications domain's (app/notifications/preference_views.py); shared code
# imports no domain, so it names them by endpoint.
UNSUBSCRIBE_ENDPOINT = "email_preferences.unsubscribe"
PREFERENCES_ENDPOINT = "email_preferences.edit"


def preferences_of(user_id: int) -> dict[EmailCategory, Delivery]:
    """A person's choice for every category (one query; "immediately" where none is saved)."""
    chosen = dict(
        db.session.execute(
            select(EmailPreference.category, EmailPreference.delivery).where(
                EmailPreference.user_id == user_id
            )
        ).all()
    )
    return {category: chosen.get(category, Delivery.IMMEDIATELY) for category in EmailCategory}


def delivery_for(user_id: int, category: EmailCategory) -> Delivery:
    """How a person wants emails of one category (one query)."""
    found = db.session.scalar(
        select(EmailPreference.delivery).where(
            EmailPreference.user_id == user_id, EmailPreference.category == category
        )
    )
    return found or Delivery.IMMEDIATELY


def set_delivery(user_id: int, choices: dict[EmailCategory, Delivery]) -> None:
    """Save a person's choices (flushes); a choice back to "immediately" keeps its row."""
    rows = {
        row.category: row
        for row in db.session.scalars(
            select(EmailPreference).where(EmailPreference.user_id == user_id)
        )
    }
    for category, delivery in choices.items():
        row = rows.get(category)
        if row is None:
            db.session.add(EmailPreference(user_id=user_id, category=category, delivery=delivery))
        elif row.delivery != delivery:
            row.delivery = delivery
            row.updated_at = utcnow()
    db.session.flush()


class UnsubscribeTokenError(Exception):
    """An unsubscribe link that was altered, or is too old."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid" or "expired"


def _unsubscribe_serializer() -> URLSafeTimedSerializer:
    # A salt of its own: no other signed link of the site (reset, verify...) is read as one.
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="ydn.unsubscribe")


def unsubscribe_token(person: _Row, scope: str) -> str:
    """A signed link token naming the person (id and creation time: ids name a row only while
    it lives) and the category (or DIGEST_SCOPE) it turns off; it needs no log-in."""
    return _unsubscribe_serializer().dumps({"u": person.id, "t": _stamp(person), "c": scope})


def read_unsubscribe_token(token: str) -> tuple[int, str, str]:
    """(person id, creation stamp, scope) of a valid token; raises UnsubscribeTokenError."""
    try:
        payload = _unsubscribe_serializer().loads(
            token, max_age=current_app.config["UNSUBSCRIBE_TOKEN_MAX_AGE"]
        )
    except SignatureExpired as exc:
        raise UnsubscribeTokenError("expired") from exc
    except BadSignature as exc:
        raise UnsubscribeTokenError("invalid") from exc
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("u"), int)
        or not isinstance(payload.get("t"), str)
        or payload.get("c") not in {*EmailCategory, DIGEST_SCOPE}
    ):
        raise UnsubscribeTokenError("invalid")
    return payload["u"], payload["t"], str(payload["c"])


def stamp_of(person: _Row) -> str:
    """The creation stamp an unsubscribe token carries, to compare with the person's."""
    return _stamp(person)


# --- The outbox -----------------------------------------------------------------------------


def queue_email(
    *,
    to: str,
    subject: LazyString,
    template: str,
    locale: str | None = None,
    dedupe_key: str | None = None,
    category: EmailCategory | None = None,
    unsubscribe_scope: str | None = None,
    **context: Any,
) -> OutgoingEmail | None:
    """Render `mail/<template>.txt` (and `.html` if present) and add it to the outbox.

    Subject and body are written in `locale` (the recipient's saved language; the network's
    default without one), never in the language of the request that queued them: pass the
    subject and any text of the context as lazy strings (`lazy_gettext`), they are translated
    here.

    `category`: what the email is about, for the recipient's choice (the recipient is the
    context's `user`, as in every email): "never" queues nothing (None), "daily digest" keeps
    it for `flask notifications send-digests` (status DIGEST, listed by subject and `link`).
    Such an email carries a one-click unsubscribe link (footer and List-Unsubscribe header).
    Without a category the email is about the account's safety and always goes.
    `unsubscribe_scope` gives an email without a category an unsubscribe link all the same
    (the daily digest: DIGEST_SCOPE).

    Returns None when an email with the same dedupe_key was already queued: that is how
    "send each decision exactly once" holds however often a button is pressed.
    """
    if dedupe_key is not None:
        exists = db.session.scalar(
            select(OutgoingEmail.id).where(OutgoingEmail.dedupe_key == dedupe_key)
        )
        if exists is not None:
            return None
    scope = str(category) if category is not None else unsubscribe_scope
    person: _Row | None = None
    delivery: Delivery | None = None
    unsubscribe = ""
    if scope is not None:
        person = context.get("user")
        if person is None or not hasattr(person, "created_at"):
            raise TypeError("an email with a category names its recipient as `user`")
        if category is not None:
            delivery = delivery_for(person.id, category)
            if delivery == Delivery.NEVER:
                return None
        unsubscribe = public_url(UNSUBSCRIBE_ENDPOINT, token=unsubscribe_token(person, scope))
        context["unsubscribe_url"] = unsubscribe
        context["preferences_url"] = public_url(PREFERENCES_ENDPOINT)
    with in_recipient_language(locale) as lang:
        # Lazy strings become text here, in the recipient's language, and are then escaped
        # like any text (flask_babel's LazyString claims to be safe HTML: it is not).
        context = {key: _translated(value) for key, value in context.items()}
        context.setdefault("lang", lang)
        context.setdefault("base_url", current_app.config["PUBLIC_BASE_URL"])
        context.setdefault("network_name", current_app.config["NETWORK_NAME"])
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
        subject_text = str(subject)
    email = OutgoingEmail(
        to=to,
        subject=subject_text,
        text_body=text,
        html_body=html,
        dedupe_key=dedupe_key,
        status=EmailStatus.DIGEST if delivery == Delivery.DIGEST else EmailStatus.QUEUED,
        user_id=person.id if person is not None else None,
        category=category,
        link=str(context.get("link") or "")[:500] or None,
        list_unsubscribe=unsubscribe or None,
    )
    db.session.add(email)
    db.session.flush()
    if email.status == EmailStatus.QUEUED:
        g.mail_queued = True
    return email


def forget_recipient(address: str) -> int:
    """Erase a departing person from the outbox (flushes): every email to them loses its
    address, subject and body, and those not yet sent are cancelled. Returns how many rows."""
    rows = db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.to == address)
        .values(to="", subject="", text_body="", html_body=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(OutgoingEmail)
        .where(
            OutgoingEmail.to == "",
            OutgoingEmail.status.in_([EmailStatus.QUEUED, EmailStatus.DIGEST]),
        )
        .values(status=EmailStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return int(getattr(rows, "rowcount", 0) or 0)


# Shorter names ("An", "Mai") are words in other people's emails too; they are left alone.
MENTION_MIN_LENGTH = 5


def forget_mentions(name: str) -> int:
    """Emails already sent to others that name a departing person keep no body (flushes): the
    copy in the outbox is the network's record, not the recipient's. Returns how many rows."""
    if len(name) < MENTION_MIN_LENGTH:
        return 0
    rows = db.session.execute(
        update(OutgoingEmail)
        .where(
            OutgoingEmail.status != EmailStatus.QUEUED,
            OutgoingEmail.text_body.contains(name, autoescape=True),
        )
        .values(text_body="", html_body=None)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return int(getattr(rows, "rowcount", 0) or 0)


def _translated(value: Any) -> Any:
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, list | tuple):
        return type(value)(_translated(item) for item in value)
    return value


def backend() -> MailBackend:
    return current_app.extensions["mail_backend"]


def _to_message(email: OutgoingEmail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = email.to
    msg["Subject"] = email.subject
    msg["Message-ID"] = f"<ydn-{email.id}@{_domain()}>"
    if email.list_unsubscribe:
        # RFC 8058: a mail client may unsubscribe with one POST to this address, no log-in.
        msg["List-Unsubscribe"] = f"<{email.list_unsubscribe}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(email.text_body)
    if email.html_body:
        msg.add_alternative(email.html_body, subtype="html")
    return msg


def _domain() -> str:
    base = current_app.config["PUBLIC_BASE_URL"]
    return base.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: 1, 2, 4, ... minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def deliver_due(*, limit: int = 50) -> tuple[int, int]:
    """Send queued emails whose time has come; commits each one. Returns (sent, failed)."""
    now = utcnow()
    ids = db.session.scalars(
        select(OutgoingEmail.id)
        .where(OutgoingEmail.status == EmailStatus.QUEUED, OutgoingEmail.next_attempt_at <= now)
        .order_by(OutgoingEmail.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    for email_id in ids:
        # Row lock on PostgreSQL so that two workers never send the same email.
        email = db.session.scalars(
            select(OutgoingEmail)
            .where(OutgoingEmail.id == email_id)
            .with_for_update(skip_locked=True)
        ).first()
        if email is None or email.status != EmailStatus.QUEUED:
            db.session.rollback()
            continue
        email.attempts += 1
        try:
            backend().send(_to_message(email))
        except Exception as exc:  # any delivery failure is retried, never lost
            email.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            if email.attempts >= max_attempts:
                email.status = EmailStatus.FAILED
                log.error(
                    "email %s to %s failed for good: %s", email.id, email.to, email.last_error
                )
            else:
                email.next_attempt_at = utcnow() + retry_delay(email.attempts)
                log.warning("email %s failed (attempt %s), will retry", email.id, email.attempts)
            failed += 1
        else:
            email.status = EmailStatus.SENT
            email.sent_at = utcnow()
            sent += 1
        db.session.commit()
    return sent, failed

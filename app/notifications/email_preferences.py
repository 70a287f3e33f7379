"""Email preferences: per category, immediately, in a daily digest or never; the one-click
unsubscribe; the daily digest itself. The choice is applied in one place, `queue_email(...,
category=...)` (app/mail/services.py); this module is the person's side of it. Flushes, never
commits."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_babel.speaklater import LazyString
from sqlalchemy import select, update

from app.accounts.models import User, UserStatus
from app.db_types import utcnow
from app.extensions import db
from app.mail import digests
from app.mail.models import Delivery, EmailCategory, EmailStatus, OutgoingEmail
from app.mail.services import (
    DIGEST_SCOPE,
    UnsubscribeTokenError,
    once_key,
    preferences_of,
    queue_email,
    read_unsubscribe_token,
    set_delivery,
    stamp_of,
)
from app.urls import public_url

CATEGORY_LABELS: dict[EmailCategory, LazyString] = {
    EmailCategory.APPLICATIONS: _l("Applications and decisions"),
    EmailCategory.REMINDERS: _l("Calls closing soon"),
    EmailCategory.JURY: _l("Jury"),
    EmailCategory.MESSAGES: _l("Messages"),
    EmailCategory.MODERATION: _l("Moderation of your content and your reports"),
}

CATEGORY_HINTS: dict[EmailCategory, LazyString] = {
    EmailCategory.APPLICATIONS: _l(
        "Your application was received; the organiser's decision on it."
    ),
    EmailCategory.REMINDERS: _l(
        "A draft application whose call closes within two days; alerts about calls."
    ),
    EmailCategory.JURY: _l("You were invited to a jury; the applications waiting for you."),
    EmailCategory.MESSAGES: _l(
        "Unread messages: one email for all of them, never one per message "
        "(“immediately” means within the hour)."
    ),
    EmailCategory.MODERATION: _l(
        "Your content was hidden or is visible again; your appeal was decided; "
        "what became of a report you made."
    ),
}

DELIVERY_LABELS: dict[Delivery, LazyString] = {
    Delivery.IMMEDIATELY: _l("Immediately"),
    Delivery.DIGEST: _l("In a daily digest"),
    Delivery.NEVER: _l("Never"),
}

# Emails queued without a category: about the account's safety and standing, always sent.
ALWAYS_SENT: list[LazyString] = [
    _l("Confirming your email address, and a change of address"),
    _l("Resetting your password"),
    _l("The approval or refusal of your profile"),
    _l("A warning from the moderators, a suspension and its lifting"),
    _l("The deletion of your account and data"),
]


def choices_for(user: User) -> dict[EmailCategory, Delivery]:
    """The person's choice for every category (one query)."""
    return preferences_of(user.id)


def save_choices(user: User, choices: dict[EmailCategory, Delivery]) -> None:
    """Save the person's choices (flushes)."""
    set_delivery(user.id, choices)


# --- One-click unsubscribe ------------------------------------------------------------------


@dataclass(frozen=True)
class Unsubscribe:
    """What a valid unsubscribe link turns off: one category, or the daily digest."""

    user: User
    scope: str

    @property
    def categories(self) -> list[EmailCategory]:
        if self.scope != DIGEST_SCOPE:
            return [EmailCategory(self.scope)]
        chosen = preferences_of(self.user.id)
        return [c for c, delivery in chosen.items() if delivery == Delivery.DIGEST]

    @property
    def done(self) -> bool:
        """Whether nothing is left to turn off (the link was already used, say)."""
        chosen = preferences_of(self.user.id)
        return all(chosen[c] == Delivery.NEVER for c in self.categories)


class UnsubscribeError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired" or "gone"


def read_unsubscribe(token: str) -> Unsubscribe:
    """The person and scope of an unsubscribe link; raises UnsubscribeError. The signed token
    is the proof (no log-in): it names the person by id and creation time, so a link outlives
    nobody's account."""
    try:
        user_id, stamp, scope = read_unsubscribe_token(token)
    except UnsubscribeTokenError as exc:
        raise UnsubscribeError(exc.reason) from exc
    user = db.session.get(User, user_id)
    if user is None or stamp_of(user) != stamp or user.status == UserStatus.DELETED:
        raise UnsubscribeError("gone")
    return Unsubscribe(user=user, scope=scope)


def unsubscribe(link: Unsubscribe) -> list[EmailCategory]:
    """Set the link's categories to "never" (flushes); returns them. Emails already waiting
    for the digest in those categories are dropped too."""
    categories = link.categories
    set_delivery(link.user.id, dict.fromkeys(categories, Delivery.NEVER))
    if categories:
        db.session.execute(
            update(OutgoingEmail)
            .where(
                OutgoingEmail.user_id == link.user.id,
                OutgoingEmail.status == EmailStatus.DIGEST,
                OutgoingEmail.category.in_(categories),
            )
            .values(status=EmailStatus.CANCELLED)
            .execution_options(synchronize_session=False)
        )
    return categories


# --- The daily digest -----------------------------------------------------------------------


def send_daily_digests(*, now: datetime | None = None) -> int:
    """Gather each person's waiting digest items into one email (flushes); how many emails.

    The domains' sources add their summaries first (messaging: unread messages). Running it
    again sends nothing until new items wait; a deleted person's items were cancelled."""
    now = now or utcnow()
    digests.run_sources(now)
    items = list(
        db.session.scalars(
            select(OutgoingEmail)
            .where(OutgoingEmail.status == EmailStatus.DIGEST, OutgoingEmail.user_id.is_not(None))
            .order_by(OutgoingEmail.user_id, OutgoingEmail.id)
        )
    )
    if not items:
        return 0
    by_user: dict[int, list[OutgoingEmail]] = defaultdict(list)
    for item in items:
        by_user[item.user_id or 0].append(item)
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(by_user))))}
    sent = 0
    for user_id, waiting in by_user.items():
        person = people.get(user_id)
        if person is None or person.status == UserStatus.DELETED:
            for item in waiting:
                item.status = EmailStatus.CANCELLED
            continue
        _send_digest(person, waiting)
        for item in waiting:
            item.status = EmailStatus.DIGESTED
            item.sent_at = now
        sent += 1
    db.session.flush()
    return sent


def _send_digest(person: User, waiting: list[OutgoingEmail]) -> None:
    by_category: dict[EmailCategory | None, list[OutgoingEmail]] = defaultdict(list)
    for item in waiting:
        by_category[item.category].append(item)
    sections = [
        (CATEGORY_LABELS[category], by_category[category])
        for category in EmailCategory
        if by_category.get(category)
    ]
    queue_email(
        to=person.email,
        subject=lazy_ngettext(
            "Your daily digest: %(num)d update", "Your daily digest: %(num)d updates", len(waiting)
        ),
        template="daily_digest",
        locale=person.locale,
        dedupe_key=once_key("daily-digest", person, extra=waiting[-1].id),
        unsubscribe_scope=DIGEST_SCOPE,
        user=person,
        sections=sections,
        total=len(waiting),
        link=public_url("notifications.index"),
    )

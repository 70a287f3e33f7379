"""The rules of saved calls, alerts and private feeds. Flushes, never commits."""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext, ngettext
from flask_babel.speaklater import LazyString
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User, UserStatus
from app.calls.eligibility import eligibility
from app.calls.models import CallKind, CallStatus, OpenCall, call_disciplines
from app.db_types import utcnow
from app.extensions import db
from app.i18n import is_country, when_in
from app.mail.models import EmailCategory
from app.mail.services import in_recipient_language, once_key, queue_email
from app.notifications.services import notify
from app.opportunities import queries
from app.opportunities.models import (
    AlertFrequency,
    AlertMatch,
    CallAlert,
    FeedToken,
    SavedCall,
)
from app.profiles.models import DesignerProfile, Discipline
from app.savepoints import savepoint
from app.transitions import claim
from app.urls import public_url

WEEK = timedelta(days=7)
FINAL = timedelta(hours=48)


class OpportunityError(Exception):
    """A refusal, in words for the person."""


# ---------- Saving calls ----------


def save_call(user: User, call: OpenCall) -> bool:
    """Save a call that is still open (flushes); False when it was already saved (a double
    click saves it once)."""
    if not call.is_public or call.state() != CallStatus.PUBLISHED:
        raise OpportunityError(_("This call is closed: there is nothing left to save it for."))
    try:
        with savepoint():
            db.session.add(SavedCall(user_id=user.id, call_id=call.id))
    except IntegrityError:
        return False
    return True


def unsave_call(user: User, call: OpenCall) -> bool:
    """Forget a saved call, open or closed (flushes); False when it was not saved."""
    result = db.session.execute(
        delete(SavedCall)
        .where(SavedCall.user_id == user.id, SavedCall.call_id == call.id)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def _remind(saved: SavedCall, *, final: bool) -> bool:
    person, call = saved.user, saved.call
    with in_recipient_language(person.locale):
        left = (
            _("Your saved call “%(title)s” closes in 48 hours.", title=call.title)
            if final
            else _("Your saved call “%(title)s” closes in a week.", title=call.title)
        )
        notify(user=person, kind="saved_call_reminder", text=left, url=call.path)
    subject = (
        _l("“%(title)s” closes in 48 hours", title=call.title)
        if final
        else _l("“%(title)s” closes in a week", title=call.title)
    )
    email = queue_email(
        to=person.email,
        subject=subject,
        template="calls_notice",
        locale=person.locale,
        # Person and call, each named for its whole lifetime: a reused id never inherits it.
        dedupe_key=once_key("saved-call-final" if final else "saved-call-week", person, call),
        category=EmailCategory.REMINDERS,
        user=person,
        lines=[
            _l(
                "You saved “%(title)s”. Its deadline: %(deadline)s.",
                title=call.title,
                deadline=LazyString(when_in, call.deadline_at, call.timezone),
            )
        ],
        link_text=call.title,
        link=public_url("calls.detail", slug=call.slug),
    )
    return email is not None


def send_saved_reminders(*, now: datetime | None = None) -> int:
    """A notification (and an email, as the person chose) 7 days and 48 hours before each
    saved call closes, once each; how many reminders. Running it again sends nothing; a call
    saved inside the last 48 hours gets only the last reminder."""
    now = now or utcnow()
    rows = db.session.scalars(
        select(SavedCall)
        .join(OpenCall, OpenCall.id == SavedCall.call_id)
        .join(User, User.id == OpenCall.owner_id)
        .where(
            SavedCall.final_reminded_at.is_(None),
            OpenCall.status == CallStatus.PUBLISHED,
            OpenCall.hidden_at.is_(None),
            User.status == UserStatus.ACTIVE,
            OpenCall.deadline_at >= now,
            OpenCall.deadline_at < now + WEEK,
        )
        .options(joinedload(SavedCall.user), joinedload(SavedCall.call).joinedload(OpenCall.owner))
        .order_by(SavedCall.id)
    ).all()
    sent = 0
    for saved in rows:
        if saved.user.status not in queries.RECIPIENTS:
            continue
        final = saved.call.closes_at - now <= FINAL
        if final:
            won = claim(
                saved,
                where={"final_reminded_at": None},
                values={
                    "final_reminded_at": now,
                    "week_reminded_at": saved.week_reminded_at or now,
                },
            )
        else:
            won = claim(saved, where={"week_reminded_at": None}, values={"week_reminded_at": now})
        if won:
            _remind(saved, final=final)
            sent += 1
    db.session.flush()
    return sent


# ---------- Alerts ----------


@dataclass
class AlertData:
    kind: str = ""
    discipline_id: int | None = None
    country: str = ""
    no_fee: bool = False
    eligible_for_me: bool = False
    frequency: AlertFrequency = AlertFrequency.IMMEDIATELY

    @property
    def empty(self) -> bool:
        return not (
            self.kind or self.discipline_id or self.country or self.no_fee or self.eligible_for_me
        )


def _checked(user: User, data: AlertData) -> AlertData:
    if data.empty:
        raise OpportunityError(
            _("Choose at least one thing to look for: an alert on every call is the calls page.")
        )
    if data.kind and data.kind not in set(CallKind):
        raise OpportunityError(_("Choose a kind of call from the list."))
    if data.discipline_id is not None and db.session.get(Discipline, data.discipline_id) is None:
        raise OpportunityError(_("Choose a discipline from the list."))
    if data.country and not is_country(data.country):
        raise OpportunityError(_("Choose a country from the list."))
    if data.eligible_for_me and not user.is_designer:
        raise OpportunityError(_("Only designers have rules to be eligible for."))
    return data


def _apply(alert: CallAlert, data: AlertData) -> None:
    alert.kind = data.kind or None
    alert.discipline_id = data.discipline_id
    alert.country = data.country.upper() or None
    alert.no_fee = data.no_fee
    alert.eligible_for_me = data.eligible_for_me
    alert.frequency = data.frequency


def create_alert(user: User, data: AlertData) -> CallAlert:
    _checked(user, data)
    if queries.alert_total(user) >= queries.MAX_ALERTS:
        raise OpportunityError(
            _(
                "You have %(num)d alerts, the most one may keep: delete one first.",
                num=queries.MAX_ALERTS,
            )
        )
    alert = CallAlert(user_id=user.id)
    _apply(alert, data)
    if queries.same_alert(alert) is not None:
        # A double click, or the same search twice: one alert tells enough.
        raise OpportunityError(_("You already have an alert for exactly this."))
    db.session.add(alert)
    db.session.flush()
    return alert


def update_alert(alert: CallAlert, data: AlertData) -> None:
    _checked(alert.user, data)
    _apply(alert, data)
    alert.updated_at = utcnow()
    db.session.flush()


def delete_alert(alert: CallAlert) -> None:
    db.session.delete(alert)
    db.session.flush()


def alert_matches(
    alert: CallAlert, call: OpenCall, discipline_ids: set[int], profile: DesignerProfile | None
) -> bool:
    """Whether a call meets every criterion the alert sets (and it sets one at least: an
    alert whose only discipline was removed matches nothing)."""
    if not (
        alert.kind or alert.discipline_id or alert.country or alert.no_fee or alert.eligible_for_me
    ):
        return False
    if alert.kind and call.kind != alert.kind:
        return False
    if alert.discipline_id is not None and alert.discipline_id not in discipline_ids:
        return False
    if alert.country and call.allowed_countries and alert.country not in call.allowed_countries:
        return False
    if alert.no_fee and not call.no_entry_fee:
        return False
    return not (alert.eligible_for_me and not eligibility(call, profile).ok)


def match_published_call(call: OpenCall) -> int:
    """Record who a newly published call matches, once per person however many of their
    alerts it meets, and tell those who asked for "immediately" now (flushes); how many
    people matched. The daily ones wait for `send_daily_alerts`."""
    discipline_ids = set(
        db.session.scalars(
            select(call_disciplines.c.discipline_id).where(call_disciplines.c.call_id == call.id)
        )
    )
    candidates = db.session.scalars(
        select(CallAlert)
        .join(User, User.id == CallAlert.user_id)
        .where(
            User.status.in_(queries.RECIPIENTS),
            CallAlert.user_id != call.owner_id,
            (CallAlert.kind.is_(None)) | (CallAlert.kind == call.kind.value),
            (CallAlert.no_fee.is_(False)) | call.no_entry_fee,
        )
        .options(selectinload(CallAlert.user))
        .order_by(CallAlert.user_id, CallAlert.id)
    ).all()
    profiles = {
        p.user_id: p
        for p in db.session.scalars(
            select(DesignerProfile).where(
                DesignerProfile.user_id.in_({a.user_id for a in candidates if a.eligible_for_me})
            )
        )
    }
    chosen: dict[int, CallAlert] = {}
    for alert in candidates:
        if alert.user_id in chosen:
            # Told once: "immediately" wins over "daily" when two of their alerts match.
            if alert.frequency == AlertFrequency.IMMEDIATELY and alert_matches(
                alert, call, discipline_ids, profiles.get(alert.user_id)
            ):
                chosen[alert.user_id] = alert
            continue
        if alert_matches(alert, call, discipline_ids, profiles.get(alert.user_id)):
            chosen[alert.user_id] = alert
    told = 0
    for user_id, alert in chosen.items():
        try:
            with savepoint():
                match = AlertMatch(
                    user_id=user_id, call_id=call.id, alert_id=alert.id, frequency=alert.frequency
                )
                db.session.add(match)
        except IntegrityError:
            continue  # already matched (published, unpublished by a moderator, published again)
        told += 1
        if alert.frequency == AlertFrequency.IMMEDIATELY:
            match.notified_at = utcnow()
            _tell_match(alert.user, call)
    db.session.flush()
    return told


def _tell_match(person: User, call: OpenCall) -> None:
    with in_recipient_language(person.locale):
        text = _("A new call matches your alert: “%(title)s”.", title=call.title)
        notify(user=person, kind="call_alert", text=text, url=call.path)
    queue_email(
        to=person.email,
        subject=_l("New call for you: “%(title)s”", title=call.title),
        template="calls_notice",
        locale=person.locale,
        dedupe_key=once_key("call-alert", person, call),
        category=EmailCategory.REMINDERS,
        user=person,
        lines=[
            _l("A new call matches one of your alerts: “%(title)s”.", title=call.title),
            _l(
                "Deadline: %(deadline)s.",
                deadline=LazyString(when_in, call.deadline_at, call.timezone),
            ),
        ],
        link_text=call.title,
        link=public_url("calls.detail", slug=call.slug),
    )


def send_daily_alerts(now: datetime | None = None) -> int:
    """Tell each person, in one notification and one email, the calls their daily alerts
    matched since the last run (flushes); how many people. A source of the daily digest, so
    `flask notifications send-digests` runs it; running it again tells nothing new."""
    now = now or utcnow()
    by_person: dict[int, list[AlertMatch]] = defaultdict(list)
    for match in queries.matches_waiting():
        by_person[match.user_id].append(match)
    told = 0
    for waiting in by_person.values():
        person = waiting[0].user
        won = [
            m for m in waiting if claim(m, where={"notified_at": None}, values={"notified_at": now})
        ]
        visible = [
            m.call for m in won if m.call.is_public and m.call.state(now) == CallStatus.PUBLISHED
        ]
        if person.status not in queries.RECIPIENTS or not visible:
            continue
        with in_recipient_language(person.locale):
            text = _daily_text(len(visible))
            notify(user=person, kind="call_alert", text=text, url="/calls")
        queue_email(
            to=person.email,
            subject=lazy_ngettext(
                "%(num)d new call matches your alerts",
                "%(num)d new calls match your alerts",
                len(visible),
            ),
            template="calls_notice",
            locale=person.locale,
            dedupe_key=once_key("call-alerts-daily", person, *won[-1:]),
            category=EmailCategory.REMINDERS,
            user=person,
            lines=[
                _l(
                    "%(title)s — %(deadline)s",
                    title=call.title,
                    deadline=LazyString(when_in, call.deadline_at, call.timezone),
                )
                for call in visible
            ],
            link_text=_l("Open calls"),
            link=public_url("calls.index"),
        )
        told += 1
    db.session.flush()
    return told


def _still_open(call: OpenCall, now: datetime) -> bool:
    return (
        call.is_public
        and call.owner.status == UserStatus.ACTIVE
        and call.state(now) == CallStatus.PUBLISHED
    )


def _daily_text(count: int) -> str:
    """The daily notification, in the language in force (the recipient's)."""
    return ngettext(
        "%(num)d new call matches your alerts: see them in your feed or on the calls page.",
        "%(num)d new calls match your alerts: see them in your feed or on the calls page.",
        count,
    )


# ---------- Private feeds ----------


def new_feed_token(user: User) -> str:
    """A new secret for the person's feeds (flushes); the previous one stops working. Only
    its hash is kept: the address is shown once."""
    raw = secrets.token_urlsafe(32)
    row = db.session.get(FeedToken, user.id)
    if row is None:
        db.session.add(FeedToken(user_id=user.id, token_hash=queries.hash_token(raw)))
    else:
        row.token_hash = queries.hash_token(raw)
        row.created_at = utcnow()
    db.session.flush()
    return raw


def revoke_feed_token(user: User) -> bool:
    result = db.session.execute(
        delete(FeedToken)
        .where(FeedToken.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))

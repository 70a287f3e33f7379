"""What a call's card shows, worked out in Python once per card.

A list of calls shows a dozen cards; in the template each card made a dozen calls (the state,
labels, two links, the countdown, two dates, the viewer's zone...), and a Jinja call costs
several times a Python one. `call_card` answers them at once; what is the same for every card
(the viewer's zone, whether they may enter codes, the links' shape) is worked out once a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from flask import current_app, g, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.calls.access_forms import ACCESS_TAG
from app.calls.forms import KIND_LABELS
from app.calls.models import AccessMode, CallStatus, OpenCall
from app.db_types import utcnow
from app.i18n import when, when_in

PLACEHOLDER = "0slug0"


def closes_in(call: OpenCall, now: datetime | None = None) -> str:
    """ "Closes in 3 days", "Closes in 5 hours", "Closed", for cards and pages."""
    now = now or utcnow()
    state = call.state(now)
    if state == CallStatus.ARCHIVED:
        return _("Archived")
    if state != CallStatus.PUBLISHED:
        return _("Closed") if state == CallStatus.CLOSED else _("Draft")
    if call.opens_at and call.opens_at > now:
        return _("Opens soon")
    left = call.closes_at - now
    if left.days >= 1:
        return ngettext("Closes in %(num)d day", "Closes in %(num)d days", left.days)
    hours = max(1, left.seconds // 3600)
    return ngettext("Closes in %(num)d hour", "Closes in %(num)d hours", hours)


@dataclass(frozen=True)
class _Viewer:
    zone: str
    enters_codes: bool
    locale: str
    detail: tuple[str, str]
    code: tuple[str, str]


def _link(endpoint: str) -> tuple[str, str]:
    """A call's link as a prefix and a suffix around its slug (built once a request)."""
    head, _slug, tail = url_for(endpoint, slug=PLACEHOLDER).rpartition(PLACEHOLDER)
    return head, tail


def _viewer() -> _Viewer:
    found: _Viewer | None = g.get("call_card_viewer")
    if found is None:
        signed_in = current_user.is_authenticated
        found = g.call_card_viewer = _Viewer(
            zone=(current_user.timezone if signed_in else None)
            or current_app.config["BABEL_DEFAULT_TIMEZONE"],
            enters_codes=bool(signed_in and current_user.is_member and current_user.is_designer),
            locale=str(g.get("locale", current_app.config["BABEL_DEFAULT_LOCALE"])),
            detail=_link("calls.detail"),
            code=_link("access.enter_code"),
        )
    return found


@dataclass(frozen=True)
class CallCard:
    state: str
    kind: str
    url: str
    disciplines: str
    countdown: str
    deadline_iso: str
    deadline: str  # in the viewer's zone
    deadline_there: str  # in the call's own zone; "" when it is the viewer's
    access_tag: str  # "" for a call open to all
    code_url: str  # an invite-only call's "enter a code" link, for those who may enter one


def call_card(call: OpenCall, now: datetime) -> CallCard:
    viewer = _viewer()
    slug = quote(call.slug)
    code_url = ""
    if call.access_mode == AccessMode.INVITE_ONLY and viewer.enters_codes:
        code_url = f"{viewer.code[0]}{slug}{viewer.code[1]}"
    return CallCard(
        state=call.state(now).value,
        kind=str(KIND_LABELS.get(call.kind, call.kind)),
        url=f"{viewer.detail[0]}{slug}{viewer.detail[1]}",
        disciplines=" · ".join(d.name(viewer.locale) for d in call.disciplines),
        countdown=closes_in(call, now),
        deadline_iso=call.deadline_at.isoformat(),
        deadline=when(call.deadline_at, "medium"),
        deadline_there=""
        if call.timezone == viewer.zone
        else when_in(call.deadline_at, call.timezone, "short"),
        access_tag=str(ACCESS_TAG.get(call.access_mode, "")),
        code_url=code_url,
    )

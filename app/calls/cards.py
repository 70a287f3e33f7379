"""What a call's card shows, worked out in Python once per card.

A list of calls shows a dozen cards; in the template each card made a dozen calls (the state,
labels, two links, the countdown, two dates, the viewer's zone, its Save button...), and a
Jinja call costs several times a Python one. `call_card` answers them at once; what is the same
for every card (the viewer's zone, whether they may enter codes, the links' shape, the labels
in the viewer's language) is worked out once a request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import current_app, g, url_for
from flask_login import current_user
from markupsafe import Markup

from app.calls.access_forms import ACCESS_TAG
from app.calls.forms import KIND_LABELS
from app.calls.models import AccessMode, CallStatus, OpenCall
from app.db_types import utcnow
from app.i18n import request_translations, when, when_in

PLACEHOLDER = "0slug0"


def _(message: str) -> str:
    """`gettext` through the request's catalogue, looked up once a request (Flask-Babel's own
    lookup costs ~12 µs a string, and a list of cards translates several a card)."""
    return str(request_translations().ugettext(message))


def ngettext(singular: str, plural: str, num: int) -> str:
    return str(request_translations().ungettext(singular, plural, num)) % {"num": num}


def _label(message: str) -> Markup:
    """A label as a template's `_()` writes it: the catalogue's text, trusted (not escaped)."""
    return Markup(_(message))  # noqa: S704  (the network's own catalogue, as in templates)


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
class _Labels:
    """The words every card may show, in the viewer's language."""

    no_fee: Markup
    enter_code: Markup
    save: Markup
    saved: Markup


@dataclass(frozen=True)
class _Viewer:
    zone: str
    signed_in: bool
    enters_codes: bool
    locale: str
    detail: tuple[str, str]
    code: tuple[str, str]
    labels: _Labels
    kinds: dict[str, str] = field(default_factory=dict)  # a kind's label, once a request


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
            signed_in=bool(signed_in),
            enters_codes=bool(signed_in and current_user.is_member and current_user.is_designer),
            locale=str(g.get("locale", current_app.config["BABEL_DEFAULT_LOCALE"])),
            detail=_link("calls.detail"),
            code=_link("access.enter_code"),
            labels=_Labels(
                no_fee=_label("No entry fee"),
                enter_code=_label("Enter an access code"),
                save=_label("Save"),
                saved=_label("Saved"),
            ),
        )
    return found


def _kind(viewer: _Viewer, kind: Any) -> str:
    label = viewer.kinds.get(kind)
    if label is None:
        label = viewer.kinds[kind] = str(KIND_LABELS.get(kind, kind))
    return label


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
    labels: _Labels
    # The Save/Saved button (opportunities' `save_button`) for a signed-in person; None for
    # visitors (a card has no log-in link) and when there is none.
    save: Any = None


def call_card(
    call: OpenCall, now: datetime, save_button: Callable[..., Any] | None = None
) -> CallCard:
    viewer = _viewer()
    slug = quote(call.slug)
    code_url = ""
    if call.access_mode == AccessMode.INVITE_ONLY and viewer.enters_codes:
        code_url = f"{viewer.code[0]}{slug}{viewer.code[1]}"
    return CallCard(
        state=call.state(now).value,
        kind=_kind(viewer, call.kind),
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
        labels=viewer.labels,
        save=save_button(call, now) if save_button is not None and viewer.signed_in else None,
    )

"""The notification centre: the list, opening one, marking one or all read."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from app.extensions import db
from app.forms import ConfirmForm
from app.navigation import nav_count
from app.notifications import queries, services, subjects
from app.notifications.models import Notification
from app.notifications.policies import can_open_notification
from app.pagination import KeysetPage, page_number
from app.permissions import require
from app.urls import safe_next

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

PER_PAGE = 20
# Keyset pages have no OFFSET: the page number only labels them, so it is not capped.
MAX_LABELLED_PAGES = 10**6


@bp.app_template_global()
def unread_notifications_count() -> int:
    """The navigation's badge (app.navigation: one query for every badge)."""
    return nav_count("unread_notifications")


def _local_target(url: str) -> str | None:
    """The stored link as a path of this site that still routes, or None (gone, or elsewhere).

    Older notifications hold absolute links (PUBLIC_BASE_URL + path, as in emails)."""
    base = str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/")
    if base and url.startswith(base + "/"):
        url = url[len(base) :]
    target = safe_next("", url)
    if not target:
        return None
    try:
        current_app.url_map.bind("localhost").match(urlsplit(target).path, method="GET")
    except (NotFound, MethodNotAllowed):
        return None
    except RequestRedirect:  # the same page with a trailing slash, say: it exists
        return target
    return target


def _subject_gone(target: str) -> bool:
    """Whether the page's own domain says its subject was deleted (one query at most)."""
    try:
        endpoint, args = current_app.url_map.bind("localhost").match(
            urlsplit(target).path, method="GET"
        )
    except RequestRedirect:
        return False
    return not subjects.still_exists(str(endpoint), dict(args))


def _own(notification_id: int) -> Notification:
    note = queries.get(notification_id)
    require(can_open_notification(current_user, note), status=404)
    assert note is not None
    return note


@bp.get("")
@login_required
def index() -> ResponseReturnValue:
    number = page_number(request.args, max_pages=MAX_LABELLED_PAGES)
    before = request.args.get("before", type=int)
    notes, more = queries.page_for(current_user, before=before, limit=PER_PAGE)
    page: KeysetPage[Notification] = KeysetPage(
        items=notes,
        number=number if before is not None else 1,
        per_page=PER_PAGE,
        has_next=more,
        cursor=notes[-1].id if notes else None,
    )
    return render_template(
        "notifications/index.html",
        page=page,
        targets={note.id: _local_target(note.url) for note in notes if note.url},
        form=ConfirmForm(),
    )


@bp.post("/<int:notification_id>/open")
@login_required
def open_one(notification_id: int) -> ResponseReturnValue:
    note = _own(notification_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for(".index"))
    target = _local_target(note.url)
    services.mark_read(note)
    db.session.commit()
    if target is None or _subject_gone(target):
        flash(_("What this notification was about is no longer available."), "info")
        return redirect(url_for(".index"))
    return redirect(target)


@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int) -> ResponseReturnValue:
    note = _own(notification_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.mark_read(note)
        db.session.commit()
    return redirect(safe_next(url_for(".index")))


@bp.post("/read")
@login_required
def mark_all_read() -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        count = services.mark_all_read(current_user)
        db.session.commit()
        if count:
            flash(_("All notifications are marked as read."), "success")
    return redirect(url_for(".index"))

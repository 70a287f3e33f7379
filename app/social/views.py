"""Follow and unfollow, follower lists, the personal feed, staff picks and their form."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts.models import AccountType, User, UserStatus
from app.db_types import utcnow
from app.extensions import db
from app.forms import ConfirmForm
from app.i18n import zone
from app.pagination import Page, page_number
from app.permissions import require
from app.portfolios.models import Project
from app.social import services, viewcount
from app.social.forms import FeatureForm, ListsForm
from app.social.models import Feature, FeatureKind
from app.social.policies import (
    POLICIES,
    can_feature,
    can_follow_anyone,
    can_see_lists,
    is_followable,
)
from app.urls import safe_next

bp = Blueprint("social", __name__)


@bp.app_context_processor
def social_helpers() -> dict[str, Any]:
    return {
        **POLICIES,
        "is_following": lambda person: services.is_following(current_user, person),
        "followed_ids": lambda: services.followed_ids(current_user),
        "follower_count": services.follower_count,
        "follow_state": lambda person: services.follow_state(current_user, person),
        "view_counts": viewcount.view_counts,
        "person_url": person_url,
    }


def person_url(person: User) -> str:
    """A member's public page: the portfolio of a designer, the page of an organisation."""
    if person.account_type == AccountType.ORGANISER:
        return url_for("calls.organiser", handle=person.handle)
    return url_for("portfolios.portfolio", handle=person.handle)


def _person_or_404(handle: str) -> User:
    person = db.session.scalar(select(User).where(User.handle == handle))
    if person is None:
        abort(404)
    return person


def refusal_message(code: str, person: User) -> str:
    name = services.public_name(person)
    messages = {
        "self": _("You cannot follow yourself."),
        "suspended": _("%(name)s's account is suspended: you cannot follow it now.", name=name),
        "deleted": _("This account was deleted: there is no one to follow."),
        "unavailable": _("%(name)s cannot be followed at the moment.", name=name),
        "blocked": _("You cannot follow %(name)s: one of you blocked the other.", name=name),
        "too_many": _(
            "You follow %(max)d people and organisations, the most one can. Unfollow some first.",
            max=services.MAX_FOLLOWS,
        ),
        "not_member": _("You can follow people once a moderator has approved your account."),
    }
    return messages.get(code, _("That could not be done."))


def _back(person: User) -> str:
    if person.status == UserStatus.ACTIVE and person.hidden_at is None:
        return safe_next(person_url(person))
    return safe_next(url_for("social.feed"))


@bp.post("/people/<handle>/follow")
@login_required
def follow(handle: str) -> ResponseReturnValue:
    person = _person_or_404(handle)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return redirect(_back(person))
    try:
        added = services.follow(actor=current_user, person=person)
    except services.SocialError as error:
        db.session.rollback()
        flash(refusal_message(error.code, person), "error")
        return redirect(_back(person))
    db.session.commit()
    if added:
        flash(
            _(
                "You follow %(name)s: their new work and calls appear in your feed.",
                name=services.public_name(person),
            ),
            "success",
        )
    else:
        flash(_("You already follow %(name)s.", name=services.public_name(person)), "info")
    return redirect(_back(person))


@bp.post("/people/<handle>/unfollow")
@login_required
def unfollow(handle: str) -> ResponseReturnValue:
    person = _person_or_404(handle)
    if ConfirmForm().validate_on_submit() and services.unfollow(actor=current_user, person=person):
        db.session.commit()
        flash(_("You no longer follow %(name)s.", name=services.public_name(person)), "success")
    return redirect(_back(person))


def _before_id() -> int | None:
    raw = request.args.get("before", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        abort(404)
    return int(raw)


class CursorPage(Page[Any]):
    """A keyset page whose "next" link carries an opaque text cursor."""

    def __init__(self, items: list[Any], *, number: int, has_next: bool, cursor: Any) -> None:
        super().__init__(items=items, number=number, per_page=len(items), has_next=has_next)
        self.cursor = cursor

    def url(self, number: int) -> str:
        args: dict[str, Any] = {
            k: v for k, v in request.args.items() if k not in ("page", "before")
        }
        if number > self.number and self.cursor is not None:
            args.update(before=self.cursor, page=number)
        return url_for(str(request.endpoint), **(request.view_args or {}), **args)


def _list_page(handle: str, which: str) -> ResponseReturnValue:
    person = _person_or_404(handle)
    is_self = current_user.is_authenticated and current_user.id == person.id
    visible = person.status == UserStatus.ACTIVE and person.hidden_at is None
    if not (visible and is_followable(person)) and not is_self and not can_feature(current_user):
        abort(404)
    hidden = services.lists_hidden(person)
    number = page_number(request.args)
    rows: list[services.PersonRow] = []
    more, cursor = False, None
    if can_see_lists(current_user, person, hidden=hidden):
        reader = services.followers_page if which == "followers" else services.following_page
        rows, more, cursor = reader(person, before=_before_id())
    return render_template(
        "social/people.html",
        person=person,
        name=services.public_name(person),
        which=which,
        page=CursorPage(rows, number=number, has_next=more, cursor=cursor),
        hidden=hidden,
        shown=can_see_lists(current_user, person, hidden=hidden),
        is_self=is_self,
        followers=services.follower_count(person),
        following=services.following_count(person),
        form=ListsForm(data={"hide_lists": hidden}) if is_self else None,
    )


@bp.get("/people/<handle>/followers")
def followers(handle: str) -> ResponseReturnValue:
    return _list_page(handle, "followers")


@bp.get("/people/<handle>/following")
def following(handle: str) -> ResponseReturnValue:
    return _list_page(handle, "following")


@bp.post("/me/follow-lists")
@login_required
def lists_setting() -> ResponseReturnValue:
    form = ListsForm()
    if form.validate_on_submit():
        services.set_lists_hidden(current_user, bool(form.hide_lists.data))
        db.session.commit()
        flash(
            _("Only you and moderators now see who follows you and whom you follow.")
            if form.hide_lists.data
            else _("Everyone can now see who follows you and whom you follow."),
            "success",
        )
    return redirect(url_for("social.following", handle=current_user.handle))


@bp.get("/feed")
@login_required
def feed() -> ResponseReturnValue:
    try:
        before = services.Cursor.parse(request.args.get("before"))
    except (ValueError, OverflowError, OSError):
        abort(404)
    number = page_number(request.args)
    found = services.feed(current_user, before=before)
    return render_template(
        "social/feed.html",
        page=CursorPage(found.items, number=number, has_next=found.has_next, cursor=found.cursor),
        following=services.following_count(current_user),
        may_follow=can_follow_anyone(current_user),
        now=utcnow(),
    )


@bp.get("/featured")
def featured() -> ResponseReturnValue:
    number = page_number(request.args)
    picks, more = services.featured_page(number=number)
    if number > 1 and not picks:
        abort(404)
    page: Page[services.Pick] = Page(
        items=picks, number=number, per_page=services.FEATURED_PER_PAGE, has_next=more
    )
    return render_template("social/featured.html", page=page, form=ConfirmForm())


# ---------- Moderators choose staff picks ----------


def _feature_target(kind: str, target_id: int) -> tuple[FeatureKind, User, Project | None]:
    if kind == FeatureKind.PROJECT:
        project = db.session.get(Project, target_id)
        if project is None or not project.is_public:
            abort(404)
        return FeatureKind.PROJECT, project.owner, project
    if kind == FeatureKind.DESIGNER:
        person = db.session.get(User, target_id)
        if person is None or not person.is_designer or not is_followable(person):
            abort(404)
        return FeatureKind.DESIGNER, person, None
    abort(404)


def _local_midnight(day: Any) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone(current_user.timezone))


@bp.route("/moderation/feature/<kind>/<int:target_id>", methods=["GET", "POST"])
@login_required
def feature(kind: str, target_id: int) -> ResponseReturnValue:
    require(can_feature(current_user))
    feature_kind, person, project = _feature_target(kind, target_id)
    today = utcnow().astimezone(zone(current_user.timezone)).date()
    # Suggested dates on the blank form only: a submitted form is read as it was sent.
    form = (
        FeatureForm()
        if request.method == "POST"
        else FeatureForm(data={"starts_on": today, "ends_on": today + timedelta(days=13)})
    )
    if form.validate_on_submit():
        assert form.starts_on.data is not None
        assert form.ends_on.data is not None
        try:
            services.feature(
                actor=current_user,
                kind=feature_kind,
                person=person,
                project=project,
                starts_at=_local_midnight(form.starts_on.data),
                ends_at=_local_midnight(form.ends_on.data + timedelta(days=1)),
                note=form.note.data or "",
            )
        except services.SocialError as error:
            db.session.rollback()
            messages = {
                "order": _("The last day comes before the first day."),
                "past": _("This period is already over: choose a last day from today on."),
                "too_long": _(
                    "A staff pick lasts at most %(days)d days.", days=services.MAX_FEATURE_DAYS
                ),
            }
            form.ends_on.errors = [
                *form.ends_on.errors,
                messages.get(error.code, _("This cannot be featured now.")),
            ]
        else:
            db.session.commit()
            flash(_("Featured: it appears on the home page for the period chosen."), "success")
            return redirect(url_for("social.featured"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "social/feature_form.html",
        form=form,
        person=person,
        project=project,
        kind=feature_kind,
        current=services.features_of(person, project),
    ), status


@bp.post("/moderation/features/<int:feature_id>/end")
@login_required
def end_feature(feature_id: int) -> ResponseReturnValue:
    require(can_feature(current_user))
    row = db.session.get(Feature, feature_id)
    if row is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        if services.end_feature(actor=current_user, row=row):
            db.session.commit()
            flash(_("The staff pick has ended: it no longer shows on the home page."), "success")
        else:
            flash(_("This staff pick had already ended."), "info")
    return redirect(safe_next(url_for("social.featured")))

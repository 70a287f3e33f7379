"""A person's own pages under /account: what moderators decided about them, and appeals."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts.forms import AppealForm
from app.accounts.models import User
from app.accounts.tokens import TokenError, read_token
from app.extensions import db, limiter
from app.moderation import actions, queries
from app.moderation.models import Appeal, ModerationAction
from app.moderation.policies import can_appeal
from app.pagination import page_number

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.get("/moderation")
@login_required
def moderation() -> ResponseReturnValue:
    page = queries.actions_about(current_user, number=page_number(request.args))
    return render_template(
        "accounts/account/moderation.html",
        page=page,
        appeals=queries.appeals_by_action([a.id for a in page.items]),
    )


def _own_action_or_404(person: User, action_id: int) -> ModerationAction:
    action = db.session.get(ModerationAction, action_id)
    if action is None or action.subject_id != person.id:
        abort(404)
    return action


def _appeal(
    person: User, action: ModerationAction, form: AppealForm, *, token: str | None
) -> ResponseReturnValue:
    already = db.session.scalar(select(Appeal).where(Appeal.action_id == action.id))
    if already is not None:
        flash(_("You already appealed this decision. You will be told the outcome."), "info")
        return render_template(
            "accounts/account/appeal.html", action=action, form=None, appeal=already, token=token
        )
    if not can_appeal(person, action, already=False) and token is None:
        abort(403)
    if form.validate_on_submit():
        try:
            actions.file_appeal(action=action, person=person, text=form.text.data or "")
        except actions.ModerationError as exc:
            db.session.rollback()
            form.text.errors = [*form.text.errors, str(exc)]
            return render_template(
                "accounts/account/appeal.html", action=action, form=form, token=token
            ), 422
        db.session.commit()
        flash(_("Your appeal is sent. A moderator will decide and tell you."), "success")
        if token is not None:
            return redirect(url_for("main.home"))
        return redirect(url_for("account.moderation"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "accounts/account/appeal.html", action=action, form=form, token=token
    ), status


@bp.route("/moderation/<int:action_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal(action_id: int) -> ResponseReturnValue:
    action = _own_action_or_404(current_user, action_id)
    return _appeal(current_user, action, AppealForm(), token=None)


@bp.route("/appeal/<token>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def appeal_with_token(token: str) -> ResponseReturnValue:
    # A suspended person cannot log in: the link in the suspension email proves who they are.
    try:
        person, payload = read_token(token, "appeal", actions.APPEAL_TOKEN_MAX_AGE)
    except TokenError:
        abort(404)
    action = _own_action_or_404(person, int(payload.get("action", 0)))
    if action.kind not in actions.APPEALABLE:
        abort(404)
    return _appeal(person, action, AppealForm(), token=token)

"""Saved calls (`/calls/saved`, save and unsave from any call card or page), alerts
(`/account/alerts`) and the person's private feeds (`/account/feeds`, `/feeds/<token>/…`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from app.calls import feeds
from app.calls import queries as call_queries
from app.calls.forms import KIND_LABELS
from app.calls.models import CallKind, CallStatus, OpenCall
from app.db_types import utcnow
from app.extensions import db, limiter
from app.forms import ConfirmForm
from app.i18n import country_name
from app.opportunities import queries, services
from app.opportunities.forms import FREQUENCY_LABELS, AlertForm
from app.opportunities.models import CallAlert
from app.pagination import page_number
from app.permissions import require
from app.urls import public_url, safe_next

bp = Blueprint("opportunities", __name__)

# The new feed secret, shown once after it is made (kept in the signed session until then).
FRESH_FEED = "fresh_feed"


def _saved_call_ids() -> set[int]:
    """The viewer's saved calls, read once per request whatever the number of cards."""
    if "saved_call_ids" not in g:
        g.saved_call_ids = queries.saved_ids(current_user)
    ids: set[int] = g.saved_call_ids
    return ids


@dataclass(frozen=True)
class SaveButton:
    saved: bool
    action: str  # the form's URL: save, or unsave when saved
    back: str  # where the person comes back to
    csrf: str


PLACEHOLDER = "0slug0"


def _save_button(call: OpenCall, now: datetime | None = None) -> SaveButton | None:
    """The Save/Saved button of a call for a signed-in person (None when there is none: a call
    not saved that no longer takes entries). A list shows one a card: what is the same for all
    (the way back, the links' shape, the CSRF token) is worked out once a request."""
    shared = g.get("save_button_shared")
    if shared is None:
        back = request.full_path if request.query_string else request.path
        save = url_for("opportunities.save", slug=PLACEHOLDER).rpartition(PLACEHOLDER)
        unsave = url_for("opportunities.unsave", slug=PLACEHOLDER).rpartition(PLACEHOLDER)
        shared = g.save_button_shared = (back, save, unsave, generate_csrf())
    back, save, unsave, csrf = shared
    saved = call.id in _saved_call_ids()
    if not saved and not (call.is_public and call.state(now) == CallStatus.PUBLISHED):
        return None
    head, _slug, tail = unsave if saved else save
    return SaveButton(saved, f"{head}{quote(call.slug)}{tail}", back, csrf)


@bp.app_context_processor
def opportunities_helpers() -> dict[str, Any]:
    return {"saved_call_ids": _saved_call_ids, "save_button": _save_button}


def _public_call_or_404(slug: str) -> OpenCall:
    call = call_queries.load_call(slug)
    require(call is not None and call.is_public, status=404)
    assert call is not None
    return call


# ---------- Saving ----------


@bp.post("/calls/<slug>/save")
@login_required
@limiter.limit("120 per hour", key_func=lambda: f"save-call:{current_user.id}")
def save(slug: str) -> ResponseReturnValue:
    call = _public_call_or_404(slug)
    back = safe_next(url_for("calls.detail", slug=call.slug))
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The form expired: please try again."), "error")
        return redirect(back)
    try:
        services.save_call(current_user, call)
    except services.OpportunityError as exc:
        flash(str(exc), "error")
        return redirect(back)
    db.session.commit()
    flash(
        _(
            "Saved. We will remind you a week and 48 hours before “%(title)s” closes.",
            title=call.title,
        ),
        "success",
    )
    return redirect(back)


@bp.post("/calls/<slug>/unsave")
@login_required
def unsave(slug: str) -> ResponseReturnValue:
    call = _public_call_or_404(slug)
    back = safe_next(url_for("calls.detail", slug=call.slug))
    if ConfirmForm().validate_on_submit():
        services.unsave_call(current_user, call)
        db.session.commit()
        flash(_("“%(title)s” is no longer in your saved calls.", title=call.title), "success")
    else:
        flash(_("The form expired: please try again."), "error")
    return redirect(back)


@bp.get("/calls/saved")
@login_required
def saved() -> ResponseReturnValue:
    page = queries.saved_page(current_user, number=page_number(request.args))
    return render_template("opportunities/saved.html", page=page, now=utcnow())


# ---------- Alerts ----------


def _is_designer() -> bool:
    return bool(current_user.is_designer)


def _alerts_page(form: AlertForm, status: int = 200, problem: str = "") -> ResponseReturnValue:
    return render_template(
        "opportunities/alerts.html",
        form=form,
        alerts=queries.alerts_of(current_user),
        describe=describe_alert,
        max_alerts=queries.MAX_ALERTS,
        delete_form=ConfirmForm(),
        problem=problem,
    ), status


def describe_alert(alert: CallAlert) -> list[str]:
    """The alert's criteria, in words."""
    words: list[str] = []
    if alert.kind:
        words.append(str(KIND_LABELS.get(CallKind(alert.kind), alert.kind)))
    if alert.discipline is not None:
        words.append(alert.discipline.name(str(get_locale() or "en")))
    if alert.country:
        words.append(_("Open to designers from %(country)s", country=country_name(alert.country)))
    if alert.no_fee:
        words.append(_("No entry fee"))
    if alert.eligible_for_me:
        words.append(_("Eligible for me"))
    return words


@bp.route("/account/alerts", methods=["GET", "POST"])
@login_required
def alerts() -> ResponseReturnValue:
    form = AlertForm(designer=_is_designer())
    if form.validate_on_submit():
        try:
            services.create_alert(current_user, form.alert_data())
        except services.OpportunityError as exc:
            return _alerts_page(form, 422, problem=str(exc))
        db.session.commit()
        flash(_("Your alert is saved: new calls that match it will come to you."), "success")
        return redirect(url_for(".alerts"))
    return _alerts_page(form, 422 if form.is_submitted() else 200)


def _own_alert_or_404(alert_id: int) -> CallAlert:
    alert = queries.alert_of(current_user, alert_id)
    require(alert is not None, status=404)
    assert alert is not None
    return alert


@bp.route("/account/alerts/<int:alert_id>", methods=["GET", "POST"])
@login_required
def edit_alert(alert_id: int) -> ResponseReturnValue:
    alert = _own_alert_or_404(alert_id)
    if request.method == "POST":
        form = AlertForm(designer=_is_designer())
    else:
        form = AlertForm.for_alert(alert, designer=_is_designer())
    status = 200
    problem = ""
    if form.validate_on_submit():
        try:
            services.update_alert(alert, form.alert_data())
        except services.OpportunityError as exc:
            problem = str(exc)
        else:
            db.session.commit()
            flash(_("Your alert is saved."), "success")
            return redirect(url_for(".alerts"))
    if form.is_submitted():
        status = 422
    return render_template(
        "opportunities/alert_edit.html", form=form, alert=alert, problem=problem
    ), status


@bp.post("/account/alerts/<int:alert_id>/delete")
@login_required
def delete_alert(alert_id: int) -> ResponseReturnValue:
    alert = _own_alert_or_404(alert_id)
    if ConfirmForm().validate_on_submit():
        services.delete_alert(alert)
        db.session.commit()
        flash(_("The alert is deleted."), "success")
    else:
        flash(_("The form expired: please try again."), "error")
    return redirect(url_for(".alerts"))


# ---------- Private feeds ----------


def _feed_urls(token: str) -> dict[str, str]:
    return {
        "atom": public_url("opportunities.private_atom", token=token),
        "ics": public_url("opportunities.private_ics", token=token),
    }


@bp.get("/account/feeds")
@login_required
def feeds_page() -> ResponseReturnValue:
    fresh = session.pop(FRESH_FEED, None)
    return render_template(
        "opportunities/feeds.html",
        urls=_feed_urls(fresh) if isinstance(fresh, str) else None,
        has_feed=queries.has_feed(current_user),
        form=ConfirmForm(),
        frequency_labels=FREQUENCY_LABELS,
    )


@bp.post("/account/feeds")
@login_required
@limiter.limit("30 per hour", key_func=lambda: f"feed-token:{current_user.id}")
def new_feed() -> ResponseReturnValue:
    if ConfirmForm().validate_on_submit():
        raw = services.new_feed_token(current_user)
        db.session.commit()
        session[FRESH_FEED] = raw
        flash(
            _("Your private feed addresses are ready; any older ones stopped working."), "success"
        )
    else:
        flash(_("The form expired: please try again."), "error")
    return redirect(url_for(".feeds_page"))


@bp.post("/account/feeds/revoke")
@login_required
def revoke_feed() -> ResponseReturnValue:
    if ConfirmForm().validate_on_submit():
        services.revoke_feed_token(current_user)
        db.session.commit()
        session.pop(FRESH_FEED, None)
        flash(_("Your private feed addresses no longer work."), "success")
    else:
        flash(_("The form expired: please try again."), "error")
    return redirect(url_for(".feeds_page"))


def _feed_owner_or_404(token: str) -> Any:
    person = queries.feed_owner(token)
    require(person is not None, status=404)
    return person


@bp.get("/feeds/<token>/calls.atom")
def private_atom(token: str) -> ResponseReturnValue:
    person = _feed_owner_or_404(token)
    calls = queries.feed_calls(person)
    body = feeds.atom_feed(
        # The feed's id names nothing of the person: readers need only a stable one.
        feed_id=f"tag:{feeds.tag_domain()},2019:private-calls:{queries.hash_token(token)[:16]}",
        title=_("My calls — %(name)s", name=current_app.config["NETWORK_NAME"]),
        self_url=public_url("opportunities.private_atom", token=token),
        calls=calls,
    )
    response = Response(body, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/feeds/<token>/calls.ics")
def private_ics(token: str) -> ResponseReturnValue:
    person = _feed_owner_or_404(token)
    body = feeds.deadline_calendar(name=_("My call deadlines"), calls=queries.feed_calls(person))
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response

"""Email preferences (`/account/notifications`) and the one-click unsubscribe of every email
that is not about the account's safety (`/unsubscribe/<token>`, RFC 8058)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import csrf, db
from app.forms import ConfirmForm
from app.notifications import email_preferences as prefs
from app.notifications.forms import EmailPreferencesForm

bp = Blueprint("email_preferences", __name__)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def edit() -> ResponseReturnValue:
    form = EmailPreferencesForm.for_choices(prefs.choices_for(current_user))
    if form.validate_on_submit():
        prefs.save_choices(current_user, form.chosen())
        db.session.commit()
        flash(_("Your email preferences are saved."), "success")
        return redirect(url_for(".edit"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "notifications/preferences.html",
        form=form,
        categories=prefs.CATEGORY_LABELS,
        always=prefs.ALWAYS_SENT,
    ), status


def _problem(reason: str) -> ResponseReturnValue:
    status = 404 if reason == "gone" else 400
    return render_template("notifications/unsubscribe_problem.html", reason=reason), status


# A mail client's one-click POST (RFC 8058) carries no CSRF token and no cookie: the signed,
# single-purpose token in the URL stands in for both (it names one person and one category,
# and can only ever turn emails off). Documented in tests/test_csrf_sweep.py.
@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str) -> ResponseReturnValue:
    try:
        link = prefs.read_unsubscribe(token)
    except prefs.UnsubscribeError as exc:
        return _problem(exc.reason)
    labels = [prefs.CATEGORY_LABELS[c] for c in link.categories]
    form = ConfirmForm(meta={"csrf": False})
    if form.is_submitted():
        prefs.unsubscribe(link)
        db.session.commit()
        return render_template("notifications/unsubscribed.html", link=link, labels=labels)
    # GET changes nothing: link scanners and previews open links in emails.
    return render_template(
        "notifications/unsubscribe.html", link=link, labels=labels, token=token, form=form
    )

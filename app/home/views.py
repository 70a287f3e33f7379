"""The person's home (`/me`), and the old address of "My applications" that leads to it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.db_types import utcnow
from app.home import services

bp = Blueprint("home", __name__)

# The organisation editor (issue 14, part 3) may live in its own branch: link to it once it is
# there, to the account settings until then.
ORGANISATION_EDITOR = "organisations.edit"


def organisation_editor_url() -> str:
    if ORGANISATION_EDITOR in current_app.view_functions:
        return url_for(ORGANISATION_EDITOR)
    return url_for("accounts.settings")


@bp.app_context_processor
def home_helpers() -> dict[str, Any]:
    return {"organisation_editor_url": organisation_editor_url}


@bp.get("/me")
@login_required
def me() -> ResponseReturnValue:
    return render_template("home/me.html", home=services.home_for(current_user), now=utcnow())


@bp.get("/submissions")
@login_required
def old_submissions() -> ResponseReturnValue:
    """Emails and notifications already sent link here: the same list now lives on the home."""
    section = "applications" if current_user.is_designer else "jury"
    return redirect(url_for(".me", _anchor=section))

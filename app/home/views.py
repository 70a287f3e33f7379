"""The person's home (`/me`), and the old address of "My applications" that leads to it."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.db_types import utcnow
from app.home import services

bp = Blueprint("home", __name__)


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

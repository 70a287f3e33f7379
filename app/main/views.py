"""Home and language switch."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import HiddenField, SelectField

from app.accounts.models import User, UserStatus
from app.cache import remember
from app.calls.queries import closing_soon
from app.db_types import utcnow
from app.extensions import db
from app.forms import Form, choices
from app.i18n import SESSION_LOCALE_KEY, language_choices
from app.portfolios.queries import designers_query, recent_covers_for_owners
from app.urls import safe_next

bp = Blueprint("main", __name__)


class LanguageForm(Form):
    language = SelectField()
    next = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = choices(language_choices())


def _member_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(User.account_type, func.count())
        .where(User.status == UserStatus.ACTIVE)
        .group_by(User.account_type)
    ).all()
    return {str(kind): int(n) for kind, n in rows}


@bp.get("/")
def home() -> ResponseReturnValue:
    designers = db.session.execute(
        designers_query(
            discipline_id=None, country="", city="", available=False, sort="newest"
        ).limit(6)
    ).all()
    covers = recent_covers_for_owners([user.id for user, _profile in designers])
    counts = remember("home:counts", 60, _member_counts)
    return render_template(
        "main/home.html",
        designers=designers,
        covers=covers,
        calls=closing_soon(4),
        now=utcnow(),
        counts=counts,
    )


@bp.post("/language")
def set_language() -> ResponseReturnValue:
    form = LanguageForm()
    target = safe_next(url_for("main.home"), form.next.data)
    if form.validate_on_submit() and form.language.data in current_app.config["LANGUAGES"]:
        session[SESSION_LOCALE_KEY] = form.language.data
        if current_user.is_authenticated:
            current_user.locale = form.language.data
            db.session.commit()
    return redirect(target)

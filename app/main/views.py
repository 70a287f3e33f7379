"""Home, language switch, the network's own pages (about, guidelines), sitemap and robots."""

from __future__ import annotations

import math
from email.utils import parseaddr

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select

from app.accounts.models import User, UserStatus
from app.cache import remember
from app.calls.queries import closing_soon
from app.db_types import utcnow
from app.extensions import db
from app.forms import LanguageForm
from app.i18n import SESSION_LOCALE_KEY
from app.main import guidelines as rules
from app.main import home_page, queries
from app.portfolios.queries import page_covers
from app.social.services import discovery
from app.urls import public_url, safe_next

bp = Blueprint("main", __name__)

HOME_DESIGNERS = 6


def _member_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(User.account_type, func.count())
        .where(User.status == UserStatus.ACTIVE)
        .group_by(User.account_type)
    ).all()
    return {str(kind): int(n) for kind, n in rows}


@bp.get("/")
def home() -> ResponseReturnValue:
    # Every section's rows first, then the covers of all of them in one query.
    designers = home_page.newest_designers(HOME_DESIGNERS)
    sections = discovery(current_user)
    by_owner, by_project = page_covers([card.id for card in designers], sections.project_ids())
    sections.attach_covers(by_project)
    counts = remember("home:counts", 60, _member_counts)
    return render_template(
        "main/home.html",
        designers=designers,
        covers=by_owner,
        discovery_data=sections,
        # A designer's own list of calls replaces "Calls closing soon".
        calls=[] if sections.eligible else closing_soon(4),
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


@bp.get("/about")
def about() -> ResponseReturnValue:
    contact = parseaddr(str(current_app.config["MAIL_FROM"]))[1]
    return render_template("main/about.html", contact=contact)


@bp.get("/guidelines")
def guidelines() -> ResponseReturnValue:
    return render_template("main/guidelines.html", rules=rules.rules())


def _xml(body: str) -> Response:
    return Response(body, mimetype="application/xml")


@bp.get("/sitemap.xml")
def sitemap() -> ResponseReturnValue:
    """The public pages; past SITEMAP_MAX_URLS, an index of sitemaps of that many each."""
    cap = int(current_app.config["SITEMAP_MAX_URLS"])
    total = queries.count_entries()
    if total <= cap:
        return _sitemap_page(0, cap)
    pages = [public_url("main.sitemap_page", page=n) for n in range(1, math.ceil(total / cap) + 1)]
    return _xml(render_template("main/sitemap_index.xml", pages=pages))


@bp.get("/sitemap-<int:page>.xml")
def sitemap_page(page: int) -> ResponseReturnValue:
    cap = int(current_app.config["SITEMAP_MAX_URLS"])
    if page < 1:
        abort(404)
    return _sitemap_page((page - 1) * cap, cap)


def _sitemap_page(offset: int, cap: int) -> Response:
    urls = [public_url(e.endpoint, **e.values) for e in queries.entries(offset, cap)]
    if not urls:
        abort(404)
    return _xml(render_template("main/sitemap.xml", urls=urls))


@bp.get("/robots.txt")
def robots() -> ResponseReturnValue:
    body = render_template("main/robots.txt", sitemap=public_url("main.sitemap"))
    return Response(body, mimetype="text/plain")

"""`/search?q=`: one ranked search over designers, projects and calls."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from app.pagination import page_number
from app.search.services import KINDS, MAX_PAGES, search

bp = Blueprint("search", __name__)


@bp.get("/search")
def results() -> ResponseReturnValue:
    q = request.args.get("q", "").strip()[:200]
    kind = request.args.get("type", "")
    kind = kind if kind in KINDS else ""
    found = search(q, kind=kind or None, page=page_number(request.args, MAX_PAGES)) if q else None
    return render_template("search/results.html", q=q, kind=kind, kinds=KINDS, found=found)

"""Pagination that stays fast on big tables: no COUNT(*), a bounded number of pages.

A page fetches one row more than it shows to know whether a next page exists. Deep pages are
capped (MAX_PAGES): past a few thousand rows people filter or search instead of paging, and
the cap keeps OFFSET small whatever the size of the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import abort, request, url_for
from sqlalchemy import Select

from app.extensions import db

T = TypeVar("T")
AnySelect = Select[*tuple[Any, ...]]
MAX_PAGES = 200


@dataclass
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    per_page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    def url(self, number: int) -> str:
        """This page's URL with another page number, keeping the other query arguments."""
        args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
        if number > 1:
            args["page"] = number
        return url_for(str(request.endpoint), **(request.view_args or {}), **args)


def page_number(max_pages: int = MAX_PAGES) -> int:
    """The `page` query argument; 404 for nonsense or for pages beyond the cap."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= max_pages:
        abort(404)
    return int(raw)


def paginate_rows(stmt: AnySelect, *, number: int, per_page: int) -> Page[Any]:
    """Run a select for one page of rows (tuples); the statement must already be ordered."""
    rows = db.session.execute(stmt.limit(per_page + 1).offset((number - 1) * per_page)).all()
    return Page(
        items=rows[:per_page], number=number, per_page=per_page, has_next=len(rows) > per_page
    )


def paginate(stmt: AnySelect, *, number: int, per_page: int) -> Page[Any]:
    """Like paginate_rows, for a select of one entity (scalars)."""
    rows = list(db.session.scalars(stmt.limit(per_page + 1).offset((number - 1) * per_page)))
    return Page(
        items=rows[:per_page], number=number, per_page=per_page, has_next=len(rows) > per_page
    )

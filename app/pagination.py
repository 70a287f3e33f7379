"""Pages of a list, the one way: numbered pages (`?page=N`) and keyset "older/newer" pages.

A numbered page fetches one row more than it shows to know whether a next page exists (no
COUNT(*)); a list that needs the number of pages counts them once (`pages`). Deep pages are
capped (MAX_PAGES): past a few thousand rows people filter or search instead of paging, and
the cap keeps OFFSET small whatever the size of the table. A keyset page (`keyset_page`) is for
lists that grow while they are read (messages, notifications): the next page starts *before*
the last row shown, whatever arrived since; `KeysetPage` gives such a page to the `pager` macro.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    """One page of a list: its items, its number (from 1) and whether more pages follow.

    `pages` and `total` (rows) are known when the list counted them (numbered pager), else
    None (previous/next pager).
    """

    items: Sequence[T]
    number: int
    per_page: int
    has_next: bool
    pages: int | None = None
    total: int | None = None

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    def window(self, around: int = 2) -> list[int | None]:
        """The page numbers a numbered pager shows: the first, the last, and `around` either
        side of this one; None where numbers are left out ("…"). A list of 167 pages shows 9
        links, not 167."""
        last = self.pages or 1
        shown = sorted(
            {1, last}
            | set(range(max(1, self.number - around), min(last, self.number + around) + 1))
        )
        numbers: list[int | None] = []
        for n in shown:
            if numbers and n - (numbers[-1] or 0) == 2:
                numbers.append(n - 1)  # one number left out: show it rather than "…"
            elif numbers and n - (numbers[-1] or 0) > 2:
                numbers.append(None)
            numbers.append(n)
        return numbers

    def url(self, number: int) -> str:
        """This page's URL with another page number, keeping the other query arguments (the
        list's URL is built once: a numbered pager asks for every page's)."""
        base = self.__dict__.get("_base_url")
        if base is None:
            args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
            base = self.__dict__["_base_url"] = url_for(
                str(request.endpoint), **(request.view_args or {}), **args
            )
        if number <= 1:
            return base
        return f"{base}{'&' if '?' in base else '?'}page={number}"


def page_number(args: Mapping[str, str], max_pages: int = MAX_PAGES) -> int:
    """The `page` query argument (views pass request.args); 404 for nonsense or beyond the cap."""
    raw = args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= max_pages:
        abort(404)
    return int(raw)


def paginate(stmt: AnySelect, *, number: int, per_page: int, rows: bool = False) -> Page[Any]:
    """Run an ordered select for one page: of entities (scalars), or of tuples with `rows`."""
    result = db.session.execute(stmt.limit(per_page + 1).offset((number - 1) * per_page))
    found: list[Any] = list(result.all() if rows else result.unique().scalars())
    return Page(
        items=found[:per_page], number=number, per_page=per_page, has_next=len(found) > per_page
    )


def page_of(items: Sequence[T], *, number: int, per_page: int) -> Page[T]:
    """A numbered page of a list already in memory (`items` holds all of it), pages counted."""
    pages = max(1, -(-len(items) // per_page))
    number = min(max(number, 1), pages)
    start = (number - 1) * per_page
    return Page(
        items=items[start : start + per_page],
        number=number,
        per_page=per_page,
        has_next=number < pages,
        pages=pages,
        total=len(items),
    )


def keyset_page(rows: Sequence[T], *, limit: int) -> tuple[list[T], bool]:
    """The first `limit` of `limit + 1` rows fetched past a cursor, and whether more remain."""
    return list(rows[:limit]), len(rows) > limit


@dataclass
class KeysetPage(Page[T]):
    """A page of a keyset list for the `pager` macro: the next ("older") link continues before
    `cursor` (the last row's key, as `?before=`), whatever arrived since; the previous link goes
    back to the first (newest) page. `number` only labels the page ("Page 3")."""

    cursor: int | None = None

    def url(self, number: int) -> str:
        args: dict[str, Any] = {
            k: v for k, v in request.args.items() if k not in ("page", "before")
        }
        if number > self.number and self.cursor is not None:
            args.update(before=self.cursor, page=number)
        return url_for(str(request.endpoint), **(request.view_args or {}), **args)

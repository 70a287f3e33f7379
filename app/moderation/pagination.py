"""Pages of a query: one extra row tells whether there is a next page (no COUNT query)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select

from app.extensions import db

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.number > 1


def page_number(args: Mapping[str, str]) -> int:
    """The page asked for in the query arguments (`?page=`), between 1 and 10,000."""
    try:
        return max(1, min(int(args.get("page", "1")), 10_000))
    except ValueError:
        return 1


def paginate(
    stmt: Select[*tuple[Any, ...]], *, number: int, per_page: int = 20, scalars: bool = True
) -> Page[Any]:
    """Page `number` of a select, ordered by the caller."""
    stmt = stmt.limit(per_page + 1).offset((number - 1) * per_page)
    result = db.session.execute(stmt)
    rows: list[Any] = list(result.unique().scalars() if scalars else result.all())
    return Page(items=rows[:per_page], number=number, has_next=len(rows) > per_page)

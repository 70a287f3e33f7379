"""What the sitemap lists: the public pages of each kind, one query per kind, in pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from app.accounts.models import AccountType, User, UserStatus
from app.calls.models import CallStatus, OpenCall
from app.extensions import db
from app.portfolios.models import Project
from app.portfolios.queries import public_project_clause


@dataclass(frozen=True)
class Entry:
    endpoint: str
    values: dict[str, str]


def _public_people(kind: AccountType) -> Any:
    return (
        User.status == UserStatus.ACTIVE,
        User.account_type == kind,
        User.hidden_at.is_(None),
    )


def _designers() -> Select[Any]:
    return select(User.handle).where(*_public_people(AccountType.DESIGNER)).order_by(User.id)


def _projects() -> Select[str, str]:
    return (
        select(User.handle, Project.slug)
        .join(User, User.id == Project.owner_id)
        .where(public_project_clause(), *_public_people(AccountType.DESIGNER))
        .order_by(Project.id)
    )


def _calls() -> Select[Any]:
    return (
        select(OpenCall.slug)
        .join(User, User.id == OpenCall.owner_id)
        .where(
            OpenCall.status.in_([CallStatus.PUBLISHED, CallStatus.CLOSED]),
            OpenCall.hidden_at.is_(None),
            User.status == UserStatus.ACTIVE,
            User.hidden_at.is_(None),
        )
        .order_by(OpenCall.id)
    )


def _organisers() -> Select[Any]:
    return select(User.handle).where(*_public_people(AccountType.ORGANISER)).order_by(User.id)


# Each kind: its query and how a row becomes a page of the site.
KINDS: list[tuple[Callable[[], Select[Any] | Select[str, str]], Callable[[Any], Entry]]] = [
    (_designers, lambda row: Entry("portfolios.portfolio", {"handle": row[0]})),
    (
        _projects,
        lambda row: Entry("portfolios.project", {"handle": row[0], "slug": row[1]}),
    ),
    (_calls, lambda row: Entry("calls.detail", {"slug": row[0]})),
    (_organisers, lambda row: Entry("calls.organiser", {"handle": row[0]})),
]

STATIC = [
    Entry("main.home", {}),
    Entry("portfolios.directory", {}),
    Entry("calls.index", {}),
    Entry("organisations.directory", {}),
    Entry("main.about", {}),
    Entry("main.guidelines", {}),
]


def count_entries() -> int:
    """How many pages the sitemap lists (one count per kind)."""
    total = len(STATIC)
    for query, _entry in KINDS:
        total += int(db.session.scalar(select(func.count()).select_from(query().subquery())) or 0)
    return total


def entries(offset: int, limit: int) -> Iterator[Entry]:
    """The pages from `offset` on, at most `limit`: one query per kind that falls in the range."""
    static = STATIC[offset : offset + limit]
    yield from static
    offset = max(0, offset - len(STATIC))
    limit -= len(static)
    for query, entry in KINDS:
        if limit <= 0:
            return
        rows = db.session.execute(query().offset(offset).limit(limit)).all()
        for row in rows:
            yield entry(row)
        limit -= len(rows)
        if rows:
            offset = 0
        else:
            # Nothing of this kind in range: skip past however many it holds.
            held = int(db.session.scalar(select(func.count()).select_from(query().subquery())) or 0)
            offset = max(0, offset - held)

"""Read-only queries of the moderation pages, shaped to a constant number of statements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, func, select, true
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.accounts.models import AccountType, User, UserStatus
from app.extensions import db
from app.moderation import targets
from app.moderation.models import Appeal, AppealStatus, ModerationAction, Report, ReportStatus
from app.pagination import Page, paginate
from app.portfolios.models import Project
from app.profiles.models import DesignerProfile


@dataclass
class Queue:
    size: int
    oldest: datetime | None


_QUEUES = ("members", "organisers", "reports", "appeals")


@cache
def _queues_statement() -> Select[*tuple[Any, ...]]:
    """Every queue's size and oldest entry in one statement (built once per process): four
    one-row subqueries side by side."""

    def pending(kind: AccountType) -> Select[*tuple[Any, ...]]:
        return select(func.count(User.id), func.min(User.created_at)).where(
            User.status == UserStatus.PENDING, User.account_type == kind
        )

    open_targets = (
        select(Report.target_type, Report.target_id, func.min(Report.created_at).label("first"))
        .where(Report.status == ReportStatus.OPEN)
        .group_by(Report.target_type, Report.target_id)
        .subquery()
    )
    parts = [
        pending(AccountType.DESIGNER),
        pending(AccountType.ORGANISER),
        select(func.count(), func.min(open_targets.c.first)),
        select(func.count(Appeal.id), func.min(Appeal.created_at)).where(
            Appeal.status == AppealStatus.OPEN
        ),
    ]
    subqueries = [
        part.with_only_columns(
            *[
                c.label(label)
                for c, label in zip(part.selected_columns, ("size", "oldest"), strict=True)
            ]
        ).subquery(name)
        for part, name in zip(parts, _QUEUES, strict=True)
    ]
    stmt = select(
        *[column for sq in subqueries for column in (sq.c.size, sq.c.oldest)]
    ).select_from(subqueries[0])
    for sq in subqueries[1:]:
        stmt = stmt.join(sq, true())
    return stmt


def queues() -> dict[str, Queue]:
    """Size and age of each queue for the dashboard (one statement for all of them)."""
    row = db.session.execute(_queues_statement()).one()
    return {
        name: Queue(size=int(row[2 * i] or 0), oldest=row[2 * i + 1])
        for i, name in enumerate(_QUEUES)
    }


def pending_people(kind: AccountType, *, number: int, per_page: int = 20) -> Page[User]:
    """Pending people, oldest first, with their profile loaded."""
    options = (
        [selectinload(User.designer_profile).selectinload(DesignerProfile.disciplines)]
        if kind == AccountType.DESIGNER
        else [selectinload(User.organiser_profile)]
    )
    stmt = (
        select(User)
        .where(User.status == UserStatus.PENDING, User.account_type == kind)
        .options(*options)
        .order_by(User.created_at, User.id)
    )
    return paginate(stmt, number=number, per_page=per_page)


def projects_by_owner(owner_ids: list[int], *, limit: int = 4) -> dict[int, list[Project]]:
    """A few recent projects of each person, in one query."""
    if not owner_ids:
        return {}
    rows = db.session.scalars(
        select(Project)
        .where(Project.owner_id.in_(owner_ids))
        .order_by(Project.owner_id, Project.created_at.desc())
    )
    found: dict[int, list[Project]] = defaultdict(list)
    for project in rows:
        if len(found[project.owner_id]) < limit:
            found[project.owner_id].append(project)
    return found


@dataclass
class ReportedTarget:
    """Open reports on one thing, grouped: what it is, how many people reported it, why."""

    target_type: str
    target_id: int
    reporters: int
    first: datetime
    obj: Any = None
    reasons: dict[str, int] = field(default_factory=dict)
    snapshot: str = ""

    @property
    def target(self) -> targets.TargetType | None:
        return targets.get(self.target_type)

    @property
    def title(self) -> str:
        target = self.target
        if target is None or self.obj is None or target.private:
            return ""
        return target.title(self.obj)

    @property
    def owner(self) -> User | None:
        target = self.target
        if target is None or self.obj is None:
            return None
        return target.owner(self.obj)

    @property
    def hidden(self) -> bool:
        return targets.is_hidden(self.obj) if self.obj is not None else False

    @property
    def deleted(self) -> bool:
        """Deleted since it was reported (private things are never loaded: not known)."""
        target = self.target
        return target is not None and not target.private and self.obj is None


def reported_targets(*, number: int, per_page: int = 20) -> Page[ReportedTarget]:
    """Open reports grouped by target, most reported first, then oldest."""
    reporters = func.count(Report.id)
    stmt = (
        select(Report.target_type, Report.target_id, reporters, func.min(Report.created_at))
        .where(Report.status == ReportStatus.OPEN)
        .group_by(Report.target_type, Report.target_id)
        .order_by(reporters.desc(), func.min(Report.created_at), Report.target_type)
    )
    page = paginate(stmt, number=number, per_page=per_page, rows=True)
    groups = [ReportedTarget(t, i, int(n), first) for t, i, n, first in page.items]
    if groups:
        _fill(groups)
    return Page(items=groups, number=page.number, per_page=per_page, has_next=page.has_next)


def _fill(groups: list[ReportedTarget]) -> None:
    keys = {(g.target_type, g.target_id) for g in groups}
    by_key = {(g.target_type, g.target_id): g for g in groups}
    ids = {t for t, _ in keys}
    rows = db.session.execute(
        select(Report.target_type, Report.target_id, Report.reason, Report.snapshot).where(
            Report.status == ReportStatus.OPEN,
            Report.target_type.in_(ids),
            Report.target_id.in_({i for _, i in keys}),
        )
    )
    for t, i, reason, snapshot in rows:
        group = by_key.get((t, i))
        if group is not None:
            group.reasons[str(reason)] = group.reasons.get(str(reason), 0) + 1
            group.snapshot = group.snapshot or snapshot
    for type_name in ids:
        target = targets.get(type_name)
        if target is None or target.private:
            continue  # private things (messages) are shown only as the report captured them
        wanted = [g.target_id for g in groups if g.target_type == type_name]
        loaded = target.load_many(wanted)
        for group in groups:
            if group.target_type == type_name:
                group.obj = loaded.get(group.target_id)


def reports_on(target_type: str, target_id: int) -> list[Report]:
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.target_type == target_type, Report.target_id == target_id)
            .options(joinedload(Report.reporter))
            .order_by(Report.status, Report.created_at.desc())
        )
    )


def log_page(
    *, number: int, moderator: str = "", person: str = "", kind: str = "", per_page: int = 30
) -> Page[ModerationAction]:
    """The audit log, newest first, filtered by moderator handle, person handle and kind."""
    actor = aliased(User)
    subject = aliased(User)
    stmt = (
        select(ModerationAction)
        .options(joinedload(ModerationAction.actor), joinedload(ModerationAction.subject))
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
    )
    if moderator:
        stmt = stmt.join(actor, actor.id == ModerationAction.actor_id).where(
            actor.handle == moderator.strip().lstrip("@").lower()
        )
    if person:
        stmt = stmt.join(subject, subject.id == ModerationAction.subject_id).where(
            subject.handle == person.strip().lstrip("@").lower()
        )
    if kind:
        stmt = stmt.where(ModerationAction.kind == kind)
    return paginate(stmt, number=number, per_page=per_page)


def actions_about(person: User, *, number: int, per_page: int = 20) -> Page[ModerationAction]:
    return paginate(
        select(ModerationAction)
        .where(ModerationAction.subject_id == person.id)
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc()),
        number=number,
        per_page=per_page,
    )


def appeals_by_action(action_ids: list[int]) -> dict[int, Appeal]:
    if not action_ids:
        return {}
    rows = db.session.scalars(select(Appeal).where(Appeal.action_id.in_(action_ids)))
    return {a.action_id: a for a in rows}


def appeals_page(*, status: AppealStatus | None, number: int, per_page: int = 20) -> Page[Appeal]:
    stmt = select(Appeal).options(
        joinedload(Appeal.user), joinedload(Appeal.action).joinedload(ModerationAction.actor)
    )
    if status is not None:
        stmt = stmt.where(Appeal.status == status)
    return paginate(stmt.order_by(Appeal.created_at, Appeal.id), number=number, per_page=per_page)

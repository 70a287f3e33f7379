"""Read-side queries of the public pages, each shaped to a fixed number of statements."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.accounts.models import AccountType, User, UserStatus
from app.extensions import db
from app.portfolios.models import Project, ProjectImage
from app.profiles.models import DesignerProfile, designer_disciplines

PER_PAGE = 24


def public_project_clause() -> Any:
    return and_(Project.is_published.is_(True), Project.hidden_at.is_(None))


def designers_query(
    *, discipline_id: int | None, country: str, city: str, available: bool, sort: str
) -> Select[User, DesignerProfile]:
    """Public designers with their profiles, filtered and ordered (ties broken by id)."""
    stmt = (
        select(User, DesignerProfile)
        .join(DesignerProfile, DesignerProfile.user_id == User.id)
        .where(
            User.status == UserStatus.ACTIVE,
            User.account_type == AccountType.DESIGNER,
            User.hidden_at.is_(None),
        )
        .options(selectinload(DesignerProfile.disciplines))
    )
    if discipline_id:
        stmt = stmt.where(
            select(designer_disciplines.c.profile_id)
            .where(
                designer_disciplines.c.profile_id == DesignerProfile.id,
                designer_disciplines.c.discipline_id == discipline_id,
            )
            .exists()
        )
    if country:
        stmt = stmt.where(DesignerProfile.country == country.upper())
    if city:
        stmt = stmt.where(func.lower(DesignerProfile.city) == city.strip().lower())
    if available:
        stmt = stmt.where(DesignerProfile.available_for_work.is_(True))
    # Plain column orders, so that an index on (status, <column>, id) serves the page.
    if sort == "active":
        stmt = stmt.order_by(User.last_active_at.desc(), User.id.desc())
    else:
        stmt = stmt.order_by(User.approved_at.desc(), User.id.desc())
    return stmt


def _ranked_covers(project_filter: Any) -> Any:
    """Each project's cover: the chosen image, else the first one.

    The filter is applied inside the window's subquery: ranking only the images of the projects
    on the page, never the whole table (the planner cannot push an outer filter through it).
    """
    return (
        select(
            ProjectImage.id.label("image_id"),
            func.row_number()
            .over(
                partition_by=ProjectImage.project_id,
                order_by=(ProjectImage.is_cover.desc(), ProjectImage.position, ProjectImage.id),
            )
            .label("rank"),
        )
        .where(project_filter)
        .subquery("ranked_covers")
    )


def covers_for(project_ids: Sequence[int]) -> dict[int, ProjectImage]:
    """The cover of each project, in one query."""
    if not project_ids:
        return {}
    ranked = _ranked_covers(ProjectImage.project_id.in_(list(project_ids)))
    rows = db.session.scalars(
        select(ProjectImage).join(
            ranked, and_(ranked.c.image_id == ProjectImage.id, ranked.c.rank == 1)
        )
    )
    return {image.project_id: image for image in rows}


def recent_covers_for_owners(owner_ids: Sequence[int], per_owner: int = 3) -> dict[int, list[Any]]:
    """Up to `per_owner` covers of each designer's newest public projects, in one query."""
    if not owner_ids:
        return {}
    public_projects = select(Project.id).where(
        Project.owner_id.in_(list(owner_ids)), public_project_clause()
    )
    ranked = _ranked_covers(ProjectImage.project_id.in_(public_projects))
    inner = (
        select(
            ProjectImage.id.label("image_id"),
            Project.owner_id.label("owner_id"),
            Project.title.label("title"),
            func.row_number()
            .over(
                partition_by=Project.owner_id,
                order_by=(Project.published_at.desc(), Project.id.desc()),
            )
            .label("project_rank"),
        )
        .join(ranked, and_(ranked.c.image_id == ProjectImage.id, ranked.c.rank == 1))
        .join(Project, Project.id == ProjectImage.project_id)
        .where(Project.owner_id.in_(list(owner_ids)), public_project_clause())
        .subquery("recent")
    )
    image = aliased(ProjectImage)
    rows = db.session.execute(
        select(image, inner.c.owner_id, inner.c.title)
        .join(inner, inner.c.image_id == image.id)
        .where(inner.c.project_rank <= per_owner)
        .order_by(inner.c.owner_id, inner.c.project_rank)
    ).all()
    found: dict[int, list[Any]] = {}
    for img, owner_id, title in rows:
        found.setdefault(owner_id, []).append((img, title))
    return found


def designer_by_handle(handle: str) -> tuple[User, DesignerProfile] | None:
    row = db.session.execute(
        select(User, DesignerProfile)
        .join(DesignerProfile, DesignerProfile.user_id == User.id)
        .where(User.handle == handle.lower())
        .options(selectinload(DesignerProfile.disciplines))
    ).first()
    return (row[0], row[1]) if row else None


def portfolio_projects(owner_id: int, *, include_drafts: bool) -> list[Project]:
    stmt = select(Project).where(Project.owner_id == owner_id)
    if not include_drafts:
        stmt = stmt.where(public_project_clause())
    stmt = stmt.order_by(
        Project.is_published.desc(), Project.published_at.desc(), Project.created_at.desc()
    )
    return list(db.session.scalars(stmt))


def project_by_slug(owner_id: int, slug: str) -> Project | None:
    return db.session.scalar(
        select(Project)
        .where(Project.owner_id == owner_id, Project.slug == slug)
        .options(selectinload(Project.images), selectinload(Project.disciplines))
    )


@cache
def _page_covers_statement() -> Any:
    """Built once (a statement of this shape costs more to build than to run): the images,
    owners, projects, titles and ranks of the covers of `owners` and `projects` (bound)."""
    owners: Any = bindparam("owners", expanding=True)
    projects: Any = bindparam("projects", expanding=True)
    wanted = and_(
        or_(Project.owner_id.in_(owners), Project.id.in_(projects)), public_project_clause()
    )
    ranked = _ranked_covers(ProjectImage.project_id.in_(select(Project.id).where(wanted)))
    inner = (
        select(
            ProjectImage.id.label("image_id"),
            Project.id.label("project_id"),
            Project.owner_id.label("owner_id"),
            Project.title.label("title"),
            func.row_number()
            .over(
                partition_by=Project.owner_id,
                order_by=(Project.published_at.desc(), Project.id.desc()),
            )
            .label("project_rank"),
        )
        .join(ranked, and_(ranked.c.image_id == ProjectImage.id, ranked.c.rank == 1))
        .join(Project, Project.id == ProjectImage.project_id)
        .where(wanted)
        .subquery("page_covers")
    )
    image = aliased(ProjectImage)
    return (
        select(image, inner.c.owner_id, inner.c.project_id, inner.c.title, inner.c.project_rank)
        .join(inner, inner.c.image_id == image.id)
        .where(
            or_(
                and_(inner.c.owner_id.in_(owners), inner.c.project_rank <= bindparam("per_owner")),
                inner.c.project_id.in_(projects),
            )
        )
        .order_by(inner.c.owner_id, inner.c.project_rank)
    )


def page_covers(
    owner_ids: Sequence[int], project_ids: Sequence[int], per_owner: int = 3
) -> tuple[dict[int, list[Any]], dict[int, ProjectImage]]:
    """The covers a page of several sections shows, in one query: up to `per_owner` covers of
    each designer's newest public projects (by owner: [(image, title)]) and the cover of each
    public project of `project_ids` (by project)."""
    if not owner_ids and not project_ids:
        return {}, {}
    rows = db.session.execute(
        _page_covers_statement(),
        {"owners": list(owner_ids), "projects": list(project_ids), "per_owner": per_owner},
    ).all()
    by_owner: dict[int, list[Any]] = {}
    by_project: dict[int, ProjectImage] = {}
    shown_owners = set(owner_ids)
    for img, owner_id, project_id, title, rank in rows:
        by_project[project_id] = img
        if owner_id in shown_owners and rank <= per_owner:
            by_owner.setdefault(owner_id, []).append((img, title))
    return by_owner, by_project

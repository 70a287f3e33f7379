"""Read-side queries of the public pages, each shaped to a fixed number of statements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, func, select, text
from sqlalchemy.orm import selectinload

from app.accounts.models import AccountType, User, UserStatus
from app.extensions import db
from app.pagination import Page
from app.portfolios.models import (
    PUBLIC_DESIGNER_SQL,
    Project,
    ProjectImage,
    image_fallback_url,
    image_srcset,
)
from app.profiles.models import DesignerProfile, designer_disciplines

PER_PAGE = 24


class DesignerCard(NamedTuple):
    """What a designer's card shows, read as columns (no entities, no relationships).

    `account_type`, `status` and `hidden_at` let the Follow policy judge a card as it judges a
    person; the directory only lists active visible designers.
    """

    id: int
    handle: str
    display_name: str
    city: str | None
    country: str | None
    avatar_key: str | None
    available_for_work: bool
    disciplines: tuple[str, ...] = ()
    account_type: AccountType = AccountType.DESIGNER
    status: UserStatus = UserStatus.ACTIVE
    hidden_at: datetime | None = None


class Cover(NamedTuple):
    """A cover image as a card shows it (the columns of a ProjectImage that it needs)."""

    storage_key: str
    widths: tuple[int, ...]
    width: int
    height: int

    @property
    def srcset(self) -> str:
        return image_srcset(self.storage_key, self.widths)

    @property
    def fallback_url(self) -> str:
        return image_fallback_url(self.storage_key)


def designer_card(user: User, profile: DesignerProfile | None, locale: str) -> DesignerCard:
    """The card of a designer already loaded as entities (the home page's newest designers)."""
    return DesignerCard(
        id=user.id,
        handle=user.handle,
        display_name=user.display_name,
        city=profile.city if profile else None,
        country=profile.country if profile else None,
        avatar_key=profile.avatar_key if profile else None,
        available_for_work=bool(profile and profile.available_for_work),
        disciplines=tuple(d.name(locale) for d in profile.disciplines) if profile else (),
        account_type=user.account_type,
        status=user.status,
        hidden_at=user.hidden_at,
    )


def public_project_clause() -> Any:
    return and_(Project.is_published.is_(True), Project.hidden_at.is_(None))


def _public_designers() -> Any:
    """Who the directory lists: active, visible designers. Written as the partial indexes' own
    condition, with literal values, so that the planner uses those indexes (see models)."""
    return text(PUBLIC_DESIGNER_SQL.format(t="users."))


def _sort_key(sort: str) -> tuple[Any, Any]:
    # Plain column orders, so that an index on (<column>, id) serves the page in order.
    if sort == "active":
        return (User.last_active_at.desc(), User.id.desc())
    return (User.approved_at.desc(), User.id.desc())


def directory_page(
    *,
    discipline_id: int | None,
    country: str,
    city: str,
    available: bool,
    sort: str,
    number: int,
    discipline_names: Mapping[int, str],
    per_page: int = PER_PAGE,
) -> Page[DesignerCard]:
    """One numbered page of the directory, as cards, in two statements whatever the page.

    The page's ids are found first, by walking only the narrow partial index of public
    designers (an index-only scan, so the OFFSET of a deep page skips index entries, never
    whole rows); then only those rows are read. Filters on the profile join it in that walk.
    `discipline_names` (id -> name, in the admins' order) names each card's disciplines.
    """
    ids = select(User.id).where(_public_designers())
    profile_filters = _profile_filters(
        discipline_id=discipline_id, country=country, city=city, available=available
    )
    if profile_filters:
        ids = ids.join(DesignerProfile, DesignerProfile.user_id == User.id).where(*profile_filters)
    order = _sort_key(sort)
    window = ids.order_by(*order).limit(per_page + 1).offset((number - 1) * per_page)
    rows = db.session.execute(
        select(
            User.id,
            User.handle,
            User.display_name,
            DesignerProfile.id,
            DesignerProfile.city,
            DesignerProfile.country,
            DesignerProfile.avatar_key,
            DesignerProfile.available_for_work,
        )
        .outerjoin(DesignerProfile, DesignerProfile.user_id == User.id)
        .where(User.id.in_(window.scalar_subquery()))
        .order_by(*order)
    ).all()
    shown = rows[:per_page]
    names = _discipline_names([row[3] for row in shown if row[3] is not None], discipline_names)
    cards = [
        DesignerCard(
            id=user_id,
            handle=handle,
            display_name=display_name,
            city=city_,
            country=country_,
            avatar_key=avatar_key,
            available_for_work=bool(available_),
            disciplines=names.get(profile_id, ()),
        )
        for user_id, handle, display_name, profile_id, city_, country_, avatar_key, available_ in (
            shown
        )
    ]
    return Page(items=cards, number=number, per_page=per_page, has_next=len(rows) > per_page)


def _discipline_names(
    profile_ids: Sequence[int], discipline_names: Mapping[int, str]
) -> dict[int, tuple[str, ...]]:
    """Each profile's discipline names, in the order of `discipline_names`, in one query."""
    if not profile_ids:
        return {}
    rank = {discipline_id: n for n, discipline_id in enumerate(discipline_names)}
    found: dict[int, list[int]] = {}
    for profile_id, discipline_id in db.session.execute(
        select(designer_disciplines.c.profile_id, designer_disciplines.c.discipline_id).where(
            designer_disciplines.c.profile_id.in_(list(profile_ids))
        )
    ):
        if discipline_id in rank:
            found.setdefault(profile_id, []).append(discipline_id)
    return {
        profile_id: tuple(discipline_names[d] for d in sorted(ids, key=rank.__getitem__))
        for profile_id, ids in found.items()
    }


def designers_query(
    *, discipline_id: int | None, country: str, city: str, available: bool, sort: str
) -> Select[User, DesignerProfile]:
    """Public designers with their profiles, filtered and ordered (ties broken by id)."""
    stmt = (
        select(User, DesignerProfile)
        .join(DesignerProfile, DesignerProfile.user_id == User.id)
        .where(_public_designers())
        .options(selectinload(DesignerProfile.disciplines))
    )
    filters = _profile_filters(
        discipline_id=discipline_id, country=country, city=city, available=available
    )
    return stmt.where(*filters).order_by(*_sort_key(sort))


def _profile_filters(
    *, discipline_id: int | None, country: str, city: str, available: bool
) -> list[Any]:
    """The directory's filters, on the designer's profile (joined as DesignerProfile)."""
    filters: list[Any] = []
    if discipline_id:
        filters.append(
            select(designer_disciplines.c.profile_id)
            .where(
                designer_disciplines.c.profile_id == DesignerProfile.id,
                designer_disciplines.c.discipline_id == discipline_id,
            )
            .exists()
        )
    if country:
        filters.append(DesignerProfile.country == country.upper())
    if city:
        filters.append(func.lower(DesignerProfile.city) == city.strip().lower())
    if available:
        filters.append(DesignerProfile.available_for_work.is_(True))
    return filters


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


def recent_covers_for_owners(
    owner_ids: Sequence[int], per_owner: int = 3
) -> dict[int, list[tuple[Cover, str]]]:
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
    rows = db.session.execute(
        select(
            inner.c.owner_id,
            inner.c.title,
            ProjectImage.storage_key,
            ProjectImage.widths,
            ProjectImage.width,
            ProjectImage.height,
        )
        .join(inner, inner.c.image_id == ProjectImage.id)
        .where(inner.c.project_rank <= per_owner)
        .order_by(inner.c.owner_id, inner.c.project_rank)
    ).all()
    found: dict[int, list[tuple[Cover, str]]] = {}
    for owner_id, title, key, widths, width, height in rows:
        found.setdefault(owner_id, []).append(
            (Cover(key, tuple(widths or ()), width, height), title)
        )
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

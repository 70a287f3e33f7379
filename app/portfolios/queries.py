"""Read-side queries of the public pages, each shaped to a fixed number of statements."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.orm import (
    aliased,
    contains_eager,
    defer,
    joinedload,
    load_only,
    selectinload,
)
from sqlalchemy.sql import ColumnElement, Subquery
from sqlalchemy.sql.elements import BindParameter

from app.accounts.models import AccountType, User, UserStatus
from app.extensions import db
from app.pagination import Page
from app.portfolios.models import (
    PUBLIC_DESIGNER_SQL,
    Appreciation,
    Project,
    ProjectImage,
    image_fallback_url,
    image_srcset,
)
from app.profiles.models import DesignerProfile, designer_disciplines
from app.profiles.queries import parse_ids

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
    """One numbered page of the directory, as cards, in one statement whatever the page.

    The page's ids are found first, by walking only the narrow partial index of public
    designers (an index-only scan, so the OFFSET of a deep page skips index entries, never
    whole rows); then only those rows are read, each with its disciplines' ids. Filters on the
    profile join it in that walk.
    `discipline_names` (id -> name, in the admins' order) names each card's disciplines.
    Columns only, so run on the session's connection: the ORM's handling of a statement (and
    its autoflush, with nothing to flush on a read) cost more than reading these rows.
    """
    stmt = _directory_statement(
        discipline=bool(discipline_id),
        country=bool(country),
        city=bool(city),
        available=available,
        sort=sort,
    )
    rows = (
        db.session.connection()
        .execute(
            stmt,
            {
                "discipline_id": discipline_id,
                "country": country.upper(),
                "city": city.strip().lower(),
                "window": per_page + 1,
                "skip": (number - 1) * per_page,
            },
        )
        .all()
    )
    shown = rows[:per_page]
    rank = {discipline_id: n for n, discipline_id in enumerate(discipline_names)}
    cards = [
        DesignerCard(
            id=user_id,
            handle=handle,
            display_name=display_name,
            city=city_,
            country=country_,
            avatar_key=avatar_key,
            available_for_work=bool(available_),
            disciplines=_named(parse_ids(ids_), rank, discipline_names) if ids_ else (),
        )
        for user_id, handle, display_name, ids_, city_, country_, avatar_key, available_ in shown
    ]
    return Page(items=cards, number=number, per_page=per_page, has_next=len(rows) > per_page)


@cache
def _directory_statement(
    *, discipline: bool, country: bool, city: bool, available: bool, sort: str
) -> Any:
    """The statement of a directory page, built once per combination of filters and order
    (building and keying one cost more than running it); the filters' values, the page's size
    and its offset are bound parameters."""
    ids = select(User.id).where(_public_designers())
    profile_filters = _profile_filters(
        discipline_id=bindparam("discipline_id") if discipline else None,
        country=bindparam("country") if country else "",
        city=bindparam("city") if city else "",
        available=available,
    )
    if profile_filters:
        ids = ids.join(DesignerProfile, DesignerProfile.user_id == User.id).where(*profile_filters)
    order = _sort_key(sort)
    window = ids.order_by(*order).limit(bindparam("window")).offset(bindparam("skip"))
    discipline_ids = (
        select(func.aggregate_strings(cast(designer_disciplines.c.discipline_id, String), ","))
        .where(designer_disciplines.c.profile_id == DesignerProfile.id)
        .scalar_subquery()
    )
    return (
        select(
            User.id,
            User.handle,
            User.display_name,
            discipline_ids,
            DesignerProfile.city,
            DesignerProfile.country,
            DesignerProfile.avatar_key,
            DesignerProfile.available_for_work,
        )
        .outerjoin(DesignerProfile, DesignerProfile.user_id == User.id)
        .where(User.id.in_(window.scalar_subquery()))
        .order_by(*order)
    )


def _named(
    ids: Sequence[int], rank: Mapping[int, int], discipline_names: Mapping[int, str]
) -> tuple[str, ...]:
    """A designer's discipline names, in the admins' order (`rank`); unknown ids left out."""
    return tuple(
        discipline_names[d] for d in sorted((d for d in ids if d in rank), key=rank.__getitem__)
    )


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


def _profile_filters(*, discipline_id: Any, country: Any, city: Any, available: bool) -> list[Any]:
    """The directory's filters, on the designer's profile (joined as DesignerProfile): values,
    or bound parameters (whose values the caller gives upper-cased and stripped, lower-cased)."""
    filters: list[Any] = []
    if isinstance(discipline_id, BindParameter) or discipline_id:
        filters.append(
            select(designer_disciplines.c.profile_id)
            .where(
                designer_disciplines.c.profile_id == DesignerProfile.id,
                designer_disciplines.c.discipline_id == discipline_id,
            )
            .exists()
        )
    if isinstance(country, BindParameter):
        filters.append(DesignerProfile.country == country)
    elif country:
        filters.append(DesignerProfile.country == country.upper())
    if isinstance(city, BindParameter):
        filters.append(func.lower(DesignerProfile.city) == city)
    elif city:
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


def _rank_among_owners_projects() -> Any:
    """A project's place among its owner's projects in the statement, newest first."""
    return (
        func.row_number()
        .over(
            partition_by=Project.owner_id,
            order_by=(Project.published_at.desc(), Project.id.desc()),
        )
        .label("project_rank")
    )


def _newest_covers(wanted: ColumnElement[bool], name: str) -> Subquery:
    """The cover of each `wanted` project with its id, owner and title, and its rank among its
    owner's wanted projects, newest first."""
    ranked = _ranked_covers(ProjectImage.project_id.in_(select(Project.id).where(wanted)))
    return (
        select(
            ProjectImage.id.label("image_id"),
            Project.id.label("project_id"),
            Project.owner_id.label("owner_id"),
            Project.title.label("title"),
            _rank_among_owners_projects(),
        )
        .join(ranked, and_(ranked.c.image_id == ProjectImage.id, ranked.c.rank == 1))
        .join(Project, Project.id == ProjectImage.project_id)
        .where(wanted)
        .subquery(name)
    )


def _recent_projects(owners: Any) -> Any:
    """The public projects with images of `owners`, ranked newest first per owner."""
    has_images = select(ProjectImage.id).where(ProjectImage.project_id == Project.id).exists()
    return (
        select(
            Project.id.label("project_id"),
            Project.owner_id.label("owner_id"),
            Project.title.label("title"),
            _rank_among_owners_projects(),
        )
        .where(Project.owner_id.in_(owners), public_project_clause(), has_images)
        .subquery("recent")
    )


def _cover_order(image: Any) -> tuple[Any, ...]:
    # A project's cover: the chosen image, else the first one.
    return (image.is_cover.desc(), image.position, image.id)


@cache
def _recent_covers_statement(dialect: str) -> Any:
    """Built once per database kind (see below): up to `per_owner` covers of the newest public
    projects of each of `owners` (bound). Each project's cover is read from its own images, by
    the (project_id, position) index, whatever the size of the table: on PostgreSQL by a
    LATERAL lookup (a join on a computed id let the planner scan every image of a small
    database), elsewhere by a correlated lookup of the cover's id."""
    owners: Any = bindparam("owners", expanding=True)
    recent = _recent_projects(owners)
    if dialect == "postgresql":
        cover: Any = (
            select(
                ProjectImage.storage_key,
                ProjectImage.widths,
                ProjectImage.width,
                ProjectImage.height,
            )
            .where(ProjectImage.project_id == recent.c.project_id)
            .order_by(*_cover_order(ProjectImage))
            .limit(1)
            .lateral("cover")
        )
        stmt = select(
            recent.c.owner_id,
            recent.c.title,
            cover.c.storage_key,
            cover.c.widths,
            cover.c.width,
            cover.c.height,
        ).select_from(recent.join(cover, true()))
    else:
        first = aliased(ProjectImage)
        cover_id = (
            select(first.id)
            .where(first.project_id == recent.c.project_id)
            .order_by(*_cover_order(first))
            .limit(1)
            .scalar_subquery()
        )
        stmt = select(
            recent.c.owner_id,
            recent.c.title,
            ProjectImage.storage_key,
            ProjectImage.widths,
            ProjectImage.width,
            ProjectImage.height,
        ).join(recent, ProjectImage.id == cover_id)
    return stmt.where(recent.c.project_rank <= bindparam("per_owner")).order_by(
        recent.c.owner_id, recent.c.project_rank
    )


def recent_covers_for_owners(
    owner_ids: Sequence[int], per_owner: int = 3
) -> dict[int, list[tuple[Cover, str]]]:
    """Up to `per_owner` covers of each designer's newest public projects, in one query (of
    columns, on the session's connection, as `directory_page`)."""
    if not owner_ids:
        return {}
    rows = (
        db.session.connection()
        .execute(
            _recent_covers_statement(db.session.get_bind().dialect.name),
            {"owners": list(owner_ids), "per_owner": per_owner},
        )
        .all()
    )
    found: dict[int, list[tuple[Cover, str]]] = {}
    for owner_id, title, key, widths, width, height in rows:
        found.setdefault(owner_id, []).append(
            (Cover(key, tuple(widths or ()), width, height), title)
        )
    return found


# The public pages' statements are built once: a statement is immutable, and SQLAlchemy then
# computes its cache key once too (building and keying one cost more than running it). Their
# values are bound parameters; a viewer id of None (a visitor) matches no follow or appreciation.
# They load the columns the pages and their policies read (each column read costs, row or not);
# another attribute, if some code reads one, is loaded when read.
_PAGE_USER = load_only(
    User.id,
    User.handle,
    User.display_name,
    User.account_type,
    User.status,
    User.staff_role,
    User.hidden_at,
)
_PAGE_IMAGE = (
    ProjectImage.id,
    ProjectImage.project_id,
    ProjectImage.position,
    ProjectImage.alt_text,
    ProjectImage.caption,
    ProjectImage.width,
    ProjectImage.height,
    ProjectImage.storage_key,
    ProjectImage.widths,
    ProjectImage.is_cover,
    ProjectImage.processing_error,
)


# Facts other domains show in a designer's page header, read with the designer's row: each a
# scalar SQL expression of the designer's id column and the viewer's id (a bound parameter, None
# for visitors). Social registers the Follow button's (followers, whether the viewer follows),
# so that the page needs no statement of its own for them and this domain no import of social.
DesignerFact = Callable[[Any, Any], ColumnElement[Any]]
_DESIGNER_FACTS: dict[str, DesignerFact] = {}


def register_designer_fact(name: str, expression: DesignerFact) -> None:
    """Add a fact to the designer's page header (registering twice is harmless)."""
    if _DESIGNER_FACTS.get(name) is not expression:
        _DESIGNER_FACTS[name] = expression
        _designer_page_stmt.cache_clear()


@dataclass(frozen=True)
class DesignerPage:
    """A designer's page header: the account, the profile (disciplines loaded) and the facts
    other domains registered (by name), read in one statement."""

    user: User
    profile: DesignerProfile
    facts: dict[str, Any]


@cache
def _designer_page_stmt() -> tuple[Any, list[str]]:
    names = list(_DESIGNER_FACTS)
    viewer = bindparam("viewer_id", type_=Integer)
    statement = (
        select(
            User,
            DesignerProfile,
            *[_DESIGNER_FACTS[n](User.id, viewer).label(n) for n in names],
        )
        .join(DesignerProfile, DesignerProfile.user_id == User.id)
        .where(User.handle == bindparam("handle", type_=String))
        .options(
            _PAGE_USER,
            defer(DesignerProfile.birth_date),
            defer(DesignerProfile.updated_at),
            joinedload(DesignerProfile.disciplines),
        )
    )
    return statement, names


def designer_page(handle: str, *, viewer_id: int | None) -> DesignerPage | None:
    """The designer at `handle` with the page's viewer-specific facts, one statement."""
    statement, names = _designer_page_stmt()
    row = (
        db.session.execute(statement, {"handle": handle.lower(), "viewer_id": viewer_id})
        .unique()
        .first()
    )
    if row is None:
        return None
    user, profile = row[0], row[1]
    return DesignerPage(user, profile, dict(zip(names, row[2:], strict=True)))


def _portfolio_order(stmt: Any) -> Any:
    return stmt.order_by(
        Project.is_published.desc(), Project.published_at.desc(), Project.created_at.desc()
    )


def portfolio_projects(owner_id: int, *, include_drafts: bool) -> list[Project]:
    stmt = select(Project).where(Project.owner_id == owner_id)
    if not include_drafts:
        stmt = stmt.where(public_project_clause())
    return list(db.session.scalars(_portfolio_order(stmt)))


@cache
def _portfolio_grid_stmt(include_drafts: bool) -> Select[Any]:
    # The cover is the chosen image, else the first one: a correlated subquery per project over
    # the (project_id, position) index, so the statement stays flat however many images exist.
    image = aliased(ProjectImage)
    cover_id = (
        select(image.id)
        .where(image.project_id == Project.id)
        .order_by(image.is_cover.desc(), image.position, image.id)
        .limit(1)
        .scalar_subquery()
    )
    stmt = (
        select(Project, ProjectImage)
        .outerjoin(ProjectImage, ProjectImage.id == cover_id)
        .where(Project.owner_id == bindparam("owner_id", type_=Integer))
        .options(
            load_only(
                Project.id,
                Project.owner_id,
                Project.slug,
                Project.title,
                Project.year,
                Project.is_published,
                Project.hidden_at,
                Project.appreciation_count,
            ),
            load_only(*_PAGE_IMAGE),
        )
    )
    if not include_drafts:
        stmt = stmt.where(public_project_clause())
    return _portfolio_order(stmt)


def portfolio_grid(
    owner_id: int, *, include_drafts: bool
) -> list[tuple[Project, ProjectImage | None]]:
    """A portfolio's projects, each with its cover (None without images), in one statement."""
    rows = db.session.execute(_portfolio_grid_stmt(include_drafts), {"owner_id": owner_id})
    return [(project, cover) for project, cover in rows]


@dataclass(frozen=True)
class ProjectPage:
    """A project's page: its designer, the profile, the project (images and disciplines
    loaded) and whether the viewer appreciated it."""

    user: User
    profile: DesignerProfile
    project: Project
    appreciated: bool


@cache
def _project_page_stmt() -> Select[User, DesignerProfile, Project, bool]:
    appreciated = select(Appreciation.project_id).where(
        Appreciation.user_id == bindparam("viewer_id", type_=Integer),
        Appreciation.project_id == Project.id,
    )
    return (
        select(User, DesignerProfile, Project, appreciated.exists())
        .join(DesignerProfile, DesignerProfile.user_id == User.id)
        .join(Project, Project.owner_id == User.id)
        # Its images in the same rows (a project has a few): one statement for the page.
        .outerjoin(ProjectImage, ProjectImage.project_id == Project.id)
        .where(
            User.handle == bindparam("handle", type_=String),
            Project.slug == bindparam("slug", type_=String),
        )
        .options(
            _PAGE_USER,
            # The page shows the designer's name and avatar, never their disciplines.
            load_only(DesignerProfile.id, DesignerProfile.user_id, DesignerProfile.avatar_key),
            defer(Project.created_at),
            defer(Project.updated_at),
            defer(Project.published_at),
            joinedload(Project.disciplines),
            contains_eager(Project.images).load_only(*_PAGE_IMAGE),
        )
        .order_by(ProjectImage.position, ProjectImage.id)
    )


def project_page(handle: str, slug: str, *, viewer_id: int | None) -> ProjectPage | None:
    """The project at /designers/<handle>/projects/<slug>, in one statement: the row with its
    images and disciplines joined (images already loaded in this session, by its editor, are
    kept as they are)."""
    params = {"handle": handle.lower(), "slug": slug, "viewer_id": viewer_id}
    row = db.session.execute(_project_page_stmt(), params).unique().first()
    if row is None:
        return None
    user, profile, project, is_appreciated = row
    return ProjectPage(user, profile, project, bool(is_appreciated))


@cache
def _page_covers_statement() -> Any:
    """Built once (a statement of this shape costs more to build than to run): the images,
    owners, projects, titles and ranks of the covers of `owners` and `projects` (bound)."""
    owners: Any = bindparam("owners", expanding=True)
    projects: Any = bindparam("projects", expanding=True)
    wanted = and_(
        or_(Project.owner_id.in_(owners), Project.id.in_(projects)), public_project_clause()
    )
    inner = _newest_covers(wanted, "page_covers")
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

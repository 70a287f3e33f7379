"""Following, the personal feed, the home page's discovery sections and staff picks.

Every list reads a fixed number of queries whatever the data: the feed is one UNION of the
followed people's new projects and the followed organisations' new calls, cut at the page's
size (keyset: the next page continues before the last item shown), then one query per kind to
load what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import g
from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    cast,
    delete,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import AccountType, User, UserStatus
from app.calls.eligibility import eligible_clause
from app.calls.models import CallStatus, Juror, OpenCall, Submission, call_disciplines
from app.calls.queries import CARD_COLUMNS
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.messaging.policies import is_blocked_between
from app.moderation.models import ActionKind
from app.moderation.services import log_action
from app.portfolios.models import Project, ProjectImage
from app.portfolios.queries import covers_for, public_project_clause
from app.profiles.models import DesignerProfile, OrganiserProfile
from app.profiles.queries import disciplines_by_id, parse_ids
from app.savepoints import savepoint
from app.social.models import Feature, FeatureKind, Follow, FollowSettings
from app.social.policies import can_follow_anyone

# A person follows at most this many people: the feed and the buttons stay fast for everyone.
MAX_FOLLOWS = 5000
FEED_PER_PAGE = 20
LIST_PER_PAGE = 30
FEATURED_PER_PAGE = 12
HOME_PICKS = 6
HOME_FOLLOWED_WORK = 4
HOME_ELIGIBLE = 4
MAX_FEATURE_DAYS = 92


class SocialError(Exception):
    """A follow or a staff pick that cannot be made; `code` names the reason."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _visible_member() -> Any:
    return and_(User.status == UserStatus.ACTIVE, User.hidden_at.is_(None))


# ---------- Following ----------


def follow(*, actor: User, person: User) -> bool:
    """Follow a designer or an organisation; False if already followed (flushes)."""
    if not can_follow_anyone(actor):
        raise SocialError("not_member")
    if person.id == actor.id:
        raise SocialError("self")
    if person.status == UserStatus.SUSPENDED:
        raise SocialError("suspended")
    if person.status == UserStatus.DELETED:
        raise SocialError("deleted")
    if (
        person.status != UserStatus.ACTIVE
        or person.hidden_at is not None
        or person.account_type not in (AccountType.DESIGNER, AccountType.ORGANISER)
    ):
        raise SocialError("unavailable")
    if is_blocked_between(actor, person):
        raise SocialError("blocked")
    if is_following(actor, person):
        return False
    if following_count(actor) >= MAX_FOLLOWS:
        raise SocialError("too_many")
    try:
        with savepoint():
            db.session.add(Follow(follower_id=actor.id, followee_id=person.id))
            db.session.flush()
    except IntegrityError:  # a second click at the same moment: the first one won
        return False
    _forget_followed_ids()
    return True


def unfollow(*, actor: User, person: User) -> bool:
    """Stop following; True if the person was followed (flushes)."""
    result = db.session.execute(
        delete(Follow).where(Follow.follower_id == actor.id, Follow.followee_id == person.id)
    )
    db.session.flush()
    _forget_followed_ids()
    return bool(getattr(result, "rowcount", 0))


def remove_between(connection: Any, a_id: int, b_id: int) -> None:
    """Neither follows the other any more (a block): run on the blocking flush's connection."""
    connection.execute(
        delete(Follow).where(
            or_(
                and_(Follow.follower_id == a_id, Follow.followee_id == b_id),
                and_(Follow.follower_id == b_id, Follow.followee_id == a_id),
            )
        )
    )


def is_following(actor: Any, person: User) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    return person.id in followed_ids(actor)


def followed_ids(actor: Any) -> frozenset[int]:
    """Everyone the person follows (at most MAX_FOLLOWS ids), read once per request, so that a
    page of cards with Follow buttons costs one query whatever its length."""
    if not getattr(actor, "is_authenticated", False):
        return frozenset()
    cache: dict[int, frozenset[int]] = g.setdefault("_followed_ids", {})
    if actor.id not in cache:
        cache[actor.id] = frozenset(
            db.session.scalars(select(Follow.followee_id).where(Follow.follower_id == actor.id))
        )
    return cache[actor.id]


def _forget_followed_ids() -> None:
    g.pop("_followed_ids", None)


def follow_state(viewer: Any, person: User) -> tuple[int, bool]:
    """How many follow the person, and whether the viewer does: one query (a person's page)."""
    count = select(func.count(Follow.id)).where(Follow.followee_id == person.id).scalar_subquery()
    if not getattr(viewer, "is_authenticated", False) or viewer.id == person.id:
        return int(db.session.scalar(select(count)) or 0), False
    mine = (
        select(Follow.id)
        .where(Follow.follower_id == viewer.id, Follow.followee_id == person.id)
        .exists()
    )
    n, following = db.session.execute(select(count, mine)).one()
    return int(n or 0), bool(following)


def follower_count(person: User) -> int:
    return int(
        db.session.scalar(select(func.count(Follow.id)).where(Follow.followee_id == person.id)) or 0
    )


def following_count(person: User) -> int:
    return int(
        db.session.scalar(select(func.count(Follow.id)).where(Follow.follower_id == person.id)) or 0
    )


def lists_hidden(person: User) -> bool:
    return bool(
        db.session.scalar(
            select(FollowSettings.hide_lists).where(FollowSettings.user_id == person.id)
        )
    )


def set_lists_hidden(person: User, hidden: bool) -> None:
    """Hide or show the lists of who follows the person and whom they follow (flushes)."""
    row = db.session.get(FollowSettings, person.id)
    if row is None:
        row = FollowSettings(user_id=person.id, hide_lists=hidden)
        try:
            with savepoint():
                db.session.add(row)
                db.session.flush()
        except IntegrityError:
            row = db.session.get(FollowSettings, person.id)
            assert row is not None
    row.hide_lists = hidden
    db.session.flush()


def public_name(person: User) -> str:
    """How a member is named on the site: an organisation by its own name."""
    if person.account_type == AccountType.ORGANISER:
        return organisation_names([person.id]).get(person.id) or person.display_name
    return person.display_name


@dataclass
class PersonRow:
    follow: Follow
    person: User
    avatar_key: str | None
    name: str = ""


def _people_page(
    *, of: Any, person_column: Any, before: int | None
) -> tuple[list[PersonRow], bool, int | None]:
    """One keyset page of followers or followed people (visible members only): 1 query."""
    stmt = (
        select(Follow, User, DesignerProfile.avatar_key)
        .join(User, User.id == person_column)
        .outerjoin(DesignerProfile, DesignerProfile.user_id == User.id)
        .where(of, _visible_member())
        .order_by(Follow.id.desc())
        .limit(LIST_PER_PAGE + 1)
    )
    if before is not None:
        stmt = stmt.where(Follow.id < before)
    rows = [PersonRow(f, u, key, u.display_name) for f, u, key in db.session.execute(stmt)]
    more = len(rows) > LIST_PER_PAGE
    rows = rows[:LIST_PER_PAGE]
    names = organisation_names(
        [r.person.id for r in rows if r.person.account_type == AccountType.ORGANISER]
    )
    for row in rows:
        row.name = names.get(row.person.id, row.name)
    return rows, more, (rows[-1].follow.id if rows and more else None)


def followers_page(person: User, *, before: int | None) -> tuple[list[PersonRow], bool, int | None]:
    return _people_page(
        of=Follow.followee_id == person.id, person_column=Follow.follower_id, before=before
    )


def following_page(person: User, *, before: int | None) -> tuple[list[PersonRow], bool, int | None]:
    return _people_page(
        of=Follow.follower_id == person.id, person_column=Follow.followee_id, before=before
    )


# ---------- The feed ----------

KIND_PROJECT = 1
KIND_CALL = 2


@dataclass(frozen=True)
class Cursor:
    at: datetime
    kind: int
    id: int

    def text(self) -> str:
        return f"{int(self.at.timestamp() * 1_000_000)}.{self.kind}.{self.id}"

    @classmethod
    def parse(cls, raw: str | None) -> Cursor | None:
        """A cursor from `?before=`; None for nothing, ValueError for nonsense."""
        if not raw:
            return None
        micros, kind, ident = (int(part) for part in raw.split("."))
        if kind not in (KIND_PROJECT, KIND_CALL) or micros < 0 or ident < 0:
            raise ValueError(raw)
        at = datetime.fromtimestamp(micros / 1_000_000, tz=utcnow().tzinfo)
        return cls(at, kind, ident)


@dataclass
class FeedItem:
    at: datetime
    project: Project | None = None
    call: OpenCall | None = None
    cover: ProjectImage | None = None
    # Who it is from: the designer's name, or the organisation's (not its organiser's).
    by: str = ""


@dataclass
class Feed:
    items: list[FeedItem] = field(default_factory=list)
    has_next: bool = False
    cursor: str | None = None


def _feed_union(actor: User, *, projects: bool = True, calls: bool = True) -> Any:
    followed = select(Follow.followee_id).where(Follow.follower_id == actor.id)
    parts = []
    if projects:
        parts.append(
            select(
                Project.published_at.label("at"),
                literal(KIND_PROJECT).label("kind"),
                Project.id.label("id"),
            )
            .join(User, User.id == Project.owner_id)
            .where(
                Project.owner_id.in_(followed),
                public_project_clause(),
                Project.published_at.is_not(None),
                _visible_member(),
            )
        )
    if calls:
        parts.append(
            select(
                OpenCall.published_at.label("at"),
                literal(KIND_CALL).label("kind"),
                OpenCall.id.label("id"),
            )
            .join(User, User.id == OpenCall.owner_id)
            .where(
                OpenCall.owner_id.in_(followed),
                OpenCall.status.in_([CallStatus.PUBLISHED, CallStatus.CLOSED]),
                OpenCall.hidden_at.is_(None),
                OpenCall.published_at.is_not(None),
                _visible_member(),
            )
        )
    return union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()


def feed(actor: User, *, before: Cursor | None, limit: int = FEED_PER_PAGE, **kinds: bool) -> Feed:
    """New work of the people the person follows and new calls of the organisations they follow,
    newest first: one query for the page's keys, one per kind to load them, one for covers."""
    union = _feed_union(actor, **kinds)
    stmt = select(union.c.at, union.c.kind, union.c.id)
    if before is not None:
        stmt = stmt.where(
            or_(
                union.c.at < before.at,
                and_(
                    union.c.at == before.at,
                    or_(
                        union.c.kind < before.kind,
                        and_(union.c.kind == before.kind, union.c.id < before.id),
                    ),
                ),
            )
        )
    keys = db.session.execute(
        stmt.order_by(union.c.at.desc(), union.c.kind.desc(), union.c.id.desc()).limit(limit + 1)
    ).all()
    more = len(keys) > limit
    keys = keys[:limit]
    project_ids = [i for _at, kind, i in keys if kind == KIND_PROJECT]
    call_ids = [i for _at, kind, i in keys if kind == KIND_CALL]
    projects = (
        {
            p.id: p
            for p in db.session.scalars(
                select(Project)
                .where(Project.id.in_(project_ids))
                .options(joinedload(Project.owner))
            )
        }
        if project_ids
        else {}
    )
    calls = (
        {
            c.id: c
            for c in db.session.scalars(
                select(OpenCall)
                .where(OpenCall.id.in_(call_ids))
                .options(joinedload(OpenCall.owner), selectinload(OpenCall.disciplines))
            ).unique()
        }
        if call_ids
        else {}
    )
    covers = covers_for(project_ids)
    organisations = organisation_names([c.owner_id for c in calls.values()])
    items: list[FeedItem] = []
    for at, kind, ident in keys:
        if kind == KIND_PROJECT and ident in projects:
            project = projects[ident]
            items.append(
                FeedItem(
                    at, project=project, cover=covers.get(ident), by=project.owner.display_name
                )
            )
        elif kind == KIND_CALL and ident in calls:
            call = calls[ident]
            by = organisations.get(call.owner_id) or call.owner.display_name
            items.append(FeedItem(at, call=call, by=by))
    cursor = None
    if more and keys:
        at, kind, ident = keys[-1]
        cursor = Cursor(at, int(kind), int(ident)).text()
    return Feed(items, more, cursor)


# ---------- The home page ----------

# The home page's sections of project cards, one UNION of columns (never whole entities).
SECTION_WORK = 1
SECTION_PICK = 2


def calls_you_may_enter(user: User, *, limit: int = HOME_ELIGIBLE) -> list[OpenCall]:
    """Open calls a designer meets the rules of (age, country), has not applied to and does not
    judge, nearest deadline first: picked in the database (app.calls.eligibility's rule in
    SQL), one query whatever their number; the disciplines of those shown come from the
    per-process list (app.profiles.queries)."""
    if not (user.is_authenticated and user.is_designer and user.is_member):
        return []
    rows = db.session.execute(
        _candidates_statement(), {"now": utcnow(), "viewer": user.id, "limit": limit}
    ).all()
    for call, ids in rows:
        set_committed_value(call, "disciplines", disciplines_by_id(parse_ids(ids)))
    return [call for call, _ids in rows]


# The columns of a call shown: its card's (calls/_card.html, opportunities/_save_button.html).
_CANDIDATE_COLUMNS = (*CARD_COLUMNS, OpenCall.owner_id)


@cache
def _candidates_statement() -> Any:
    """Built once (bound: `now`, `viewer`, `limit`): the open calls whose rules the viewer's
    profile meets, that they neither applied to nor judge, nearest deadline first, each with
    its disciplines' ids."""
    now = bindparam("now", type_=UTCDateTime())
    viewer: Any = bindparam("viewer")
    mine = select(Submission.call_id).where(Submission.applicant_id == viewer)
    judged = select(Juror.call_id).where(Juror.user_id == viewer)
    discipline_ids = (
        select(func.aggregate_strings(cast(call_disciplines.c.discipline_id, String), ","))
        .where(call_disciplines.c.call_id == OpenCall.id)
        .scalar_subquery()
    )
    return (
        select(OpenCall, discipline_ids)
        .join(User, User.id == OpenCall.owner_id)
        .outerjoin(DesignerProfile, DesignerProfile.user_id == viewer)
        .where(
            OpenCall.status == CallStatus.PUBLISHED,
            OpenCall.hidden_at.is_(None),
            OpenCall.deadline_at > now,
            or_(OpenCall.opens_at.is_(None), OpenCall.opens_at <= now),
            OpenCall.id.not_in(mine),
            OpenCall.id.not_in(judged),
            _visible_member(),
            eligible_clause(DesignerProfile.birth_date, DesignerProfile.country),
        )
        .options(
            # Only what a call's card reads (a card reading more fails loudly in the tests
            # rather than costing a query per call).
            load_only(*_CANDIDATE_COLUMNS, raiseload=True),
        )
        .order_by(OpenCall.deadline_at, OpenCall.id)
        .limit(bindparam("limit", type_=Integer()))
    )


@dataclass
class Pick:
    feature: Feature
    person: User
    project: Project | None
    avatar_key: str | None
    cover: ProjectImage | None


def _current_features(now: Any, *columns: Any) -> Any:
    """Staff picks running now whose designer (and project) the public may see."""
    return (
        select(*(columns or (Feature, User, Project, DesignerProfile.avatar_key)))
        .select_from(Feature)
        .join(User, User.id == Feature.user_id)
        .outerjoin(Project, Project.id == Feature.project_id)
        .outerjoin(DesignerProfile, DesignerProfile.user_id == User.id)
        .where(
            Feature.starts_at <= now,
            Feature.ends_at > now,
            _visible_member(),
            or_(
                Feature.kind == FeatureKind.DESIGNER,
                and_(Project.id.is_not(None), public_project_clause()),
            ),
        )
        .order_by(Feature.starts_at.desc(), Feature.id.desc())
    )


def _picks(rows: Any) -> list[Pick]:
    rows = list(rows)
    covers = covers_for([p.id for _f, _u, p, _k in rows if p is not None])
    return [Pick(f, u, p, k, covers.get(p.id) if p else None) for f, u, p, k in rows]


def staff_picks(*, limit: int = HOME_PICKS) -> list[Pick]:
    """The picks running now, newest first (two queries)."""
    return _picks(db.session.execute(_current_features(utcnow()).limit(limit)))


def featured_page(*, number: int) -> tuple[list[Pick], bool]:
    """One numbered page of the picks running now (two queries)."""
    rows = db.session.execute(
        _current_features(utcnow())
        .limit(FEATURED_PER_PAGE + 1)
        .offset((number - 1) * FEATURED_PER_PAGE)
    ).all()
    return _picks(rows[:FEATURED_PER_PAGE]), len(rows) > FEATURED_PER_PAGE


@dataclass(frozen=True)
class PersonLine:
    """Who a card names: what its link and its words need."""

    id: int
    handle: str
    display_name: str


@dataclass(frozen=True)
class ProjectLine:
    id: int
    slug: str
    title: str
    owner: PersonLine


@dataclass(frozen=True)
class NoteLine:
    note: str


@dataclass
class WorkItem:
    """New work of someone the person follows (social/_feed_item.html)."""

    at: datetime
    project: ProjectLine
    by: str
    cover: ProjectImage | None = None
    call: None = None


@dataclass
class HomePick:
    """A staff pick on the home page (social/_pick.html)."""

    feature: NoteLine
    person: PersonLine
    project: ProjectLine | None
    avatar_key: str | None
    cover: ProjectImage | None = None


@dataclass
class Discovery:
    eligible: list[OpenCall]
    followed: list[WorkItem]
    picks: list[HomePick]

    def project_ids(self) -> list[int]:
        """The projects whose covers the sections show (read with the page's other covers)."""
        ids = [item.project.id for item in self.followed]
        return ids + [pick.project.id for pick in self.picks if pick.project is not None]

    def attach_covers(self, covers: dict[int, ProjectImage]) -> None:
        for item in self.followed:
            item.cover = covers.get(item.project.id)
        for pick in self.picks:
            pick.cover = covers.get(pick.project.id) if pick.project else None


def _card_columns(section: int, at: Any, key: Any, avatar: Any, note: Any) -> tuple[Any, ...]:
    return (
        literal(section).label("section"),
        at.label("at"),
        key.label("key"),
        Project.id.label("project_id"),
        Project.slug.label("slug"),
        Project.title.label("title"),
        User.id.label("user_id"),
        User.handle.label("handle"),
        User.display_name.label("display_name"),
        avatar.label("avatar_key"),
        note.label("note"),
    )


@cache
def _home_cards_statement(logged_in: bool) -> Any:
    """Built once (bound: `now`, and `viewer` when logged in): the staff picks running now and,
    for a person logged in, the newest public work of the people they follow."""
    picks = (
        _current_features(
            bindparam("now", type_=UTCDateTime()),
            *_card_columns(
                SECTION_PICK,
                Feature.starts_at,
                Feature.id,
                DesignerProfile.avatar_key,
                Feature.note,
            ),
        )
        .limit(HOME_PICKS)
        .subquery()
    )
    if not logged_in:
        return select(picks)
    followed = select(Follow.followee_id).where(Follow.follower_id == bindparam("viewer"))
    nothing = cast(null(), String)
    work = (
        select(*_card_columns(SECTION_WORK, Project.published_at, Project.id, nothing, nothing))
        .join(User, User.id == Project.owner_id)
        .where(
            Project.owner_id.in_(followed),
            public_project_clause(),
            Project.published_at.is_not(None),
            _visible_member(),
        )
        .order_by(Project.published_at.desc(), Project.id.desc())
        .limit(HOME_FOLLOWED_WORK)
        .subquery()
    )
    return union_all(select(work), select(picks))


def _home_cards(user: Any) -> tuple[list[WorkItem], list[HomePick]]:
    """The newest work of the people the person follows and the staff picks running now: one
    query of the columns the cards show (covers apart, read with the page's others)."""
    params: dict[str, Any] = {"now": utcnow()}
    if user is not None:
        params["viewer"] = user.id
    rows = list(db.session.execute(_home_cards_statement(user is not None), params))
    # Each section newest first (a UNION keeps no order): by its time, then its id.
    rows.sort(key=lambda r: (r.at, r.key), reverse=True)
    work_items: list[WorkItem] = []
    home_picks: list[HomePick] = []
    for r in rows:
        person = PersonLine(r.user_id, r.handle, r.display_name)
        project = (
            ProjectLine(r.project_id, r.slug, r.title, person) if r.project_id is not None else None
        )
        if r.section == SECTION_WORK and project is not None:
            work_items.append(WorkItem(r.at, project, by=person.display_name))
        elif r.section == SECTION_PICK:
            home_picks.append(HomePick(NoteLine(r.note or ""), person, project, r.avatar_key))
    return work_items, home_picks


def discovery(user: Any) -> Discovery:
    """What the home page adds: for a designer, the calls they may enter; for anyone logged in,
    new work of the people they follow; for everyone, the staff picks (two queries; the
    covers are the page's to read, see Discovery.project_ids)."""
    logged_in = bool(getattr(user, "is_authenticated", False))
    followed, picks = _home_cards(user if logged_in else None)
    return Discovery(
        eligible=calls_you_may_enter(user) if logged_in else [],
        followed=followed,
        picks=picks,
    )


# ---------- Staff picks ----------


def feature(
    *,
    actor: User,
    kind: FeatureKind,
    person: User,
    project: Project | None,
    starts_at: datetime,
    ends_at: datetime,
    note: str,
) -> Feature:
    """Show a designer or a project on the home page for a period; logged (flushes)."""
    now = utcnow()
    if ends_at <= starts_at:
        raise SocialError("order")
    if ends_at <= now:
        raise SocialError("past")
    if ends_at - starts_at > timedelta(days=MAX_FEATURE_DAYS):
        raise SocialError("too_long")
    if person.status != UserStatus.ACTIVE or person.hidden_at is not None:
        raise SocialError("unavailable")
    if kind == FeatureKind.PROJECT and (project is None or not project.is_public):
        raise SocialError("unavailable")
    row = Feature(
        kind=kind,
        user_id=person.id,
        project_id=project.id if project else None,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note.strip(),
        created_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    log_action(
        kind=ActionKind.FEATURE,
        actor=actor,
        subject=person,
        target_type="project" if project else "user",
        target_id=project.id if project else person.id,
        reason=row.note,
        starts_at=starts_at.isoformat(),
        ends_at=ends_at.isoformat(),
        feature_id=row.id,
    )
    return row


def end_feature(*, actor: User, row: Feature) -> bool:
    """Stop a staff pick now; False if it had already ended (flushes, logged)."""
    now = utcnow()
    if row.ends_at <= now:
        return False
    row.ends_at = max(now, row.starts_at)
    db.session.flush()
    log_action(
        kind=ActionKind.END_FEATURE,
        actor=actor,
        subject=db.session.get(User, row.user_id),
        target_type="project" if row.project_id else "user",
        target_id=row.project_id or row.user_id,
        feature_id=row.id,
    )
    return True


def features_of(person: User, project: Project | None) -> list[Feature]:
    """The current and coming picks of a designer or project (for the moderator's form)."""
    where = (
        Feature.project_id == project.id
        if project is not None
        else and_(Feature.user_id == person.id, Feature.kind == FeatureKind.DESIGNER)
    )
    return list(
        db.session.scalars(
            select(Feature)
            .where(where, Feature.ends_at > utcnow())
            .order_by(Feature.starts_at)
            .limit(20)
        )
    )


def organisation_names(owner_ids: list[int]) -> dict[int, str]:
    """The names organisations gave themselves, by organiser (one query, none if no ids)."""
    if not owner_ids:
        return {}
    rows = db.session.execute(
        select(OrganiserProfile.user_id, OrganiserProfile.organisation).where(
            OrganiserProfile.user_id.in_(owner_ids)
        )
    )
    return {int(uid): str(name) for uid, name in rows if name}

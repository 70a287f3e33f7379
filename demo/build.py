"""The one builder: small functions that make one thing each, with keyword overrides.

The demo's loaders, the test factories (thin wrappers with their own defaults) and the shapes
of the benchmark's bulk rows all come from here, so that a new column is filled in one place.
Each function adds rows and flushes; the caller commits (or the test rolls back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.calls import rounds
from app.calls.models import (
    CallCategory,
    CallKind,
    CallStatus,
    Juror,
    JurorStatus,
    OpenCall,
    Review,
    Submission,
    SubmissionStatus,
)
from app.calls.round_models import CriterionScore, ReviewRound
from app.db_types import utcnow
from app.extensions import db
from app.media.services import StoredImage, store_image
from app.messaging.models import Conversation, Message, Participant
from app.messaging.services import pair_key
from app.moderation.models import ActionKind, ModerationAction, Report, ReportReason
from app.portfolios.models import Project, ProjectImage
from app.portfolios.services import AVATAR_WIDTHS, slugify_title
from app.profiles.models import LOGO_WIDTHS, DesignerProfile, OrganiserProfile

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def account_columns(
    *,
    handle: str,
    display_name: str,
    password_hash: str,
    email: str | None = None,
    account_type: AccountType = AccountType.DESIGNER,
    status: UserStatus = UserStatus.ACTIVE,
    staff_role: StaffRole = StaffRole.NONE,
    created_at: datetime | None = None,
    verified: bool = True,
    email_verified_at: datetime | None = None,
    approved_at: datetime | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An account's columns: joined 30 days ago, email verified five minutes later, approved a
    day later when active, unless told otherwise. `person` makes a User of them; the benchmark
    inserts them by the thousand (bench/data.py)."""
    created = created_at or utcnow() - timedelta(days=30)
    verified_at = email_verified_at or created + timedelta(minutes=5)
    active = status == UserStatus.ACTIVE
    return {
        "email": (email or f"{handle}@example.org").lower(),
        "handle": handle,
        "display_name": display_name,
        "password_hash": password_hash,
        "account_type": account_type,
        "status": status,
        "staff_role": staff_role,
        "email_verified_at": verified_at if verified else None,
        "created_at": created,
        "approved_at": approved_at or (created + timedelta(days=1) if active else None),
        **fields,
    }


def person(
    *,
    avatar: bytes | None = None,
    profile: dict[str, Any] | None = None,
    **account: Any,
) -> User:
    """A person with their profile (a designer's, or an organiser's for an organiser).

    `account` are the keywords of `account_columns` (and other columns of the account: locale,
    timezone, status_reason...); `profile` holds the profile's columns; `avatar` (image bytes)
    goes through the real image pipeline.
    """
    user = User(**account_columns(**account))
    db.session.add(user)
    db.session.flush()
    columns = dict(profile or {})
    if user.account_type == AccountType.ORGANISER:
        columns.setdefault("organisation", user.display_name)
        columns.setdefault("verified_at", user.approved_at)
        db.session.add(OrganiserProfile(user_id=user.id, **columns))
    else:
        designer = DesignerProfile(user_id=user.id, **columns)
        db.session.add(designer)
        if avatar is not None:
            give_avatar(designer, avatar)
    db.session.flush()
    return user


def give_logo(profile: OrganiserProfile, data: bytes, alt: str) -> str:
    """A real logo (through the image pipeline) with its description; returns its key."""
    stored = store_image(data, kind="o", widths=LOGO_WIDTHS)
    profile.logo_key, profile.logo_width, profile.logo_alt = stored.key, stored.width, alt
    db.session.flush()
    return stored.key


def give_avatar(profile: DesignerProfile, data: bytes) -> str:
    """A real avatar (every width, square) from image bytes; returns its key."""
    stored = store_image(data, kind="a", widths=AVATAR_WIDTHS, square=True)
    profile.avatar_key = stored.key
    db.session.flush()
    return stored.key


@dataclass(frozen=True)
class Picture:
    """One image of a project: a stored image (or one that only has rows) and its texts."""

    stored: StoredImage
    alt: str = ""
    caption: str = ""


def project(
    owner: User,
    *,
    title: str,
    slug: str | None = None,
    pictures: Sequence[Picture] = (),
    is_published: bool = True,
    **fields: Any,
) -> Project:
    """A project with its images (the first is the cover). Not indexed: the caller reindexes."""
    item = Project(
        owner_id=owner.id,
        owner=owner,
        slug=slug or slugify_title(title),
        title=title,
        is_published=is_published,
        **fields,
    )
    for position, picture in enumerate(pictures):
        item.images.append(
            ProjectImage(
                position=position,
                width=picture.stored.width,
                height=picture.stored.height,
                storage_key=picture.stored.key,
                widths=picture.stored.widths,
                alt_text=picture.alt,
                caption=picture.caption,
                is_cover=position == 0,
            )
        )
    db.session.add(item)
    db.session.flush()
    return item


def call(
    owner: User,
    *,
    title: str,
    slug: str | None = None,
    kind: CallKind = CallKind.COMPETITION,
    status: CallStatus = CallStatus.PUBLISHED,
    deadline_at: datetime | None = None,
    published_at: datetime | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    **fields: Any,
) -> OpenCall:
    """An open call: published a day ago (unless a draft), closing in 20 days by default."""
    now = utcnow()
    fields.setdefault("summary", f"The summary of {title}.")
    fields.setdefault("description", "")
    item = OpenCall(
        owner_id=owner.id,
        slug=slug or slugify_title(title),
        kind=kind,
        title=title,
        timezone=timezone,
        deadline_at=deadline_at or now + timedelta(days=20),
        status=status,
        published_at=None
        if status == CallStatus.DRAFT
        else published_at or now - timedelta(days=1),
        **fields,
    )
    db.session.add(item)
    db.session.flush()
    rounds.default_round(item)
    return item


def submission(
    call: OpenCall,
    applicant: User,
    *,
    status: SubmissionStatus = SubmissionStatus.SUBMITTED,
    projects: Sequence[Project] = (),
    statement: str = "",
    submitted_at: datetime | None = None,
    **fields: Any,
) -> Submission:
    """An application with its projects; submitted now unless a date (or a draft) says otherwise."""
    item = Submission(
        call_id=call.id,
        applicant_id=applicant.id,
        status=status,
        statement=statement,
        submitted_at=(submitted_at or utcnow()) if status == SubmissionStatus.SUBMITTED else None,
        **fields,
    )
    item.projects = list(projects)
    db.session.add(item)
    db.session.flush()
    return item


def category(call: OpenCall, name: str, **fields: Any) -> CallCategory:
    """A category (track) of a call, placed after the call's existing ones."""
    fields.setdefault("position", len(call.categories))
    item = CallCategory(call=call, name=name, **fields)
    db.session.add(item)
    db.session.flush()
    return item


def juror(call: OpenCall, user: User, **fields: Any) -> Juror:
    """A member of a call's jury (the invitation accepted, unless `status` says otherwise)."""
    fields.setdefault("status", JurorStatus.ACCEPTED)
    item = Juror(call_id=call.id, user_id=user.id, **fields)
    db.session.add(item)
    db.session.flush()
    return item


def review(
    submission: Submission,
    juror: User,
    *,
    score: int = 4,
    round: ReviewRound | None = None,
    scores: Sequence[int] = (),
    **fields: Any,
) -> Review:
    """A juror's review of an application in a round (the call's current one by default):
    `scores` per criterion in order, or `score` on every criterion; the averages follow."""
    item = round or rounds.current_round(rounds.ensure_rounds(submission.call))
    assert item is not None
    given = {c.id: (scores[i] if scores else score) for i, c in enumerate(item.criteria)}
    review = Review(submission_id=submission.id, juror_id=juror.id, round_id=item.id, **fields)
    if not review.conflict_of_interest:
        review.scores = [
            CriterionScore(criterion_id=c, score=v, comment="") for c, v in given.items()
        ]
        review.score = rounds.weighted_score(item.criteria, given)
    db.session.add(review)
    db.session.flush()
    rounds.recompute(item)
    return review


# (who speaks: 0 = the first person, 1 = the second; minutes ago; text)
Line = tuple[int, int, str]


def conversation(
    a: User,
    b: User,
    lines: Sequence[Line],
    *,
    topic: OpenCall | None = None,
    unread: int = 0,
) -> Conversation:
    """A conversation between a and b, already in the past; the last `unread` lines are unread
    for the one who did not write the last line. No digest email is due for any of it."""
    now = utcnow()
    people = (a, b)
    item = Conversation(
        pair_key=pair_key(a, b, "call" if topic else None, topic.id if topic else None),
        topic_type="call" if topic else None,
        topic_id=topic.id if topic else None,
        topic_label=topic.title if topic else None,
        created_by_id=people[lines[0][0]].id,
        created_at=now - timedelta(minutes=lines[0][1]),
        last_message_at=now - timedelta(minutes=lines[-1][1]),
    )
    db.session.add(item)
    db.session.flush()
    messages = [
        Message(
            conversation_id=item.id,
            sender_id=people[speaker].id,
            body=text,
            created_at=now - timedelta(minutes=minutes_ago),
        )
        for speaker, minutes_ago, text in lines
    ]
    db.session.add_all(messages)
    db.session.flush()
    item.last_message_id = messages[-1].id
    last_speaker = lines[-1][0]
    unread_messages = messages[len(messages) - unread :] if unread else []
    for index, member in enumerate(people):
        is_reader = index != last_speaker and bool(unread_messages)
        read_through = messages[-unread - 1] if is_reader else messages[-1]
        db.session.add(
            Participant(
                conversation_id=item.id,
                user_id=member.id,
                unread_count=len(unread_messages) if is_reader else 0,
                unread_since=unread_messages[0].created_at if is_reader else None,
                last_read_message_id=read_through.id,
                last_read_at=read_through.created_at,
                notified_through_id=messages[-1].id,
            )
        )
    db.session.flush()
    return item


def report(
    reporter: User,
    *,
    target_type: str,
    target_id: int,
    subject: User | None = None,
    reason: ReportReason = ReportReason.SPAM,
    details: str = "",
    snapshot: str = "",
    **fields: Any,
) -> Report:
    """An open report on a project, a profile, a message..."""
    item = Report(
        reporter_id=reporter.id,
        target_type=target_type,
        target_id=target_id,
        subject_id=subject.id if subject else None,
        reason=reason,
        details=details,
        snapshot=snapshot,
        **fields,
    )
    db.session.add(item)
    db.session.flush()
    return item


def logged_action(
    kind: ActionKind,
    *,
    actor: User,
    subject: User,
    reason: str = "",
    created_at: datetime | None = None,
    **details: Any,
) -> ModerationAction:
    """A past entry of the moderation log about a person (the services log new ones)."""
    item = ModerationAction(
        kind=kind,
        actor_id=actor.id,
        subject_id=subject.id,
        target_type="user",
        target_id=subject.id,
        reason=reason,
        details=details,
        created_at=created_at or utcnow(),
    )
    db.session.add(item)
    db.session.flush()
    return item

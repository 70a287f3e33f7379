"""Who follows whom, the follower-list setting, staff picks and the daily views of projects."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import NEVER_REUSE_IDS, UTCDateTime, str_enum, utcnow
from app.extensions import Model
from app.portfolios.models import Project


class Follow(Model):
    """One member follows one designer or organisation (once)."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("follower_id", "followee_id"),
        # "Who follows this person", newest first (the followers page) and the count.
        Index("ix_follows_followee_id_created_at", "followee_id", "created_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    follower_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    followee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    follower: Mapped[User] = relationship(foreign_keys=[follower_id])
    followee: Mapped[User] = relationship(foreign_keys=[followee_id])


class FollowSettings(Model):
    """A person's choice to keep the lists of who follows them (and whom they follow) private."""

    __tablename__ = "follow_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    hide_lists: Mapped[bool] = mapped_column(default=False)


class FeatureKind(enum.StrEnum):
    PROJECT = "project"
    DESIGNER = "designer"


class Feature(Model):
    """A staff pick: a project or a designer a moderator shows on the home page for a period."""

    __tablename__ = "features"
    __table_args__ = (
        Index("ix_features_ends_at_starts_at", "ends_at", "starts_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[FeatureKind] = mapped_column(str_enum(FeatureKind))
    # The designer featured, or the owner of the featured project.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    project: Mapped[Project | None] = relationship()


class ViewSalt(Model):
    """The random salt of one day's visitor hashes (when no Redis is configured); deleted once
    the day is aggregated, so that no hash can be recomputed afterwards."""

    __tablename__ = "view_salts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))


class ProjectViewHit(Model):
    """One visitor (a salted hash) opened one project on one day: kept until the day is
    aggregated (only without Redis)."""

    __tablename__ = "project_view_hits"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    visitor: Mapped[str] = mapped_column(String(64), primary_key=True)


class ProjectViewDay(Model):
    """How many visitors opened a project on a day (`flask social aggregate-views` writes it)."""

    __tablename__ = "project_view_days"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(default=0)

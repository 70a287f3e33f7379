"""Projects a designer shows: images, disciplines, tags, credits and appreciations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import NEVER_REUSE_IDS, UTCDateTime, utcnow
from app.extensions import Model, db
from app.profiles.models import Discipline

MAX_IMAGES = 20
MAX_TAGS = 10

project_disciplines = Table(
    "project_disciplines",
    db.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "discipline_id",
        ForeignKey("disciplines.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Project(Model):
    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("owner_id", "slug"),
        # The portfolio grid: one owner's published projects, newest first.
        Index("ix_projects_owner_id_published_at", "owner_id", "published_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(150))
    description: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None] = mapped_column()
    is_published: Mapped[bool] = mapped_column(default=False)
    # Set when a moderator hides the project (404 to the public, visible to moderators).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Normalised, lower-case, at most MAX_TAGS.
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    credits: Mapped[str] = mapped_column(Text, default="")
    # Kept in step by the appreciate service so that grids need no COUNT per card.
    appreciation_count: Mapped[int] = mapped_column(default=0)

    owner: Mapped[User] = relationship()
    images: Mapped[list[ProjectImage]] = relationship(
        back_populates="project",
        order_by="ProjectImage.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    disciplines: Mapped[list[Discipline]] = relationship(secondary=project_disciplines)

    @property
    def is_public(self) -> bool:
        """Published, not hidden, and its owner is a visible active member."""
        owner = self.owner
        return (
            self.is_published
            and self.hidden_at is None
            and owner.is_member
            and owner.hidden_at is None
        )

    @property
    def cover(self) -> ProjectImage | None:
        chosen = [i for i in self.images if i.is_cover]
        return chosen[0] if chosen else (self.images[0] if self.images else None)

    @property
    def images_missing_alt(self) -> list[ProjectImage]:
        return [i for i in self.images if not i.alt_text.strip()]


class ProjectImage(Model):
    __tablename__ = "project_images"
    __table_args__ = (
        Index("ix_project_images_project_id_position", "project_id", "position"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    alt_text: Mapped[str] = mapped_column(String(300), default="")
    caption: Mapped[str] = mapped_column(String(300), default="")
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    # Base key of the stored files (`<key>/<w>.webp`, `<key>/fallback.jpg`), a content hash.
    storage_key: Mapped[str] = mapped_column(String(100), index=True)
    widths: Mapped[list[int]] = mapped_column(JSON, default=list)
    # What its files take on disk (all variants): summed per person for the storage quota.
    stored_bytes: Mapped[int] = mapped_column(default=0, server_default="0")
    is_cover: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The upload as sent, kept private (never served) under `u/...`; its sizes are made by a
    # background job, and `widths` stays empty until then ("processing" in the editor).
    original_key: Mapped[str | None] = mapped_column(String(100))
    # Why the sizes could not be made (the original did not decode after all): the editor says
    # so and the person removes it.
    processing_error: Mapped[str | None] = mapped_column(String(40))

    project: Mapped[Project] = relationship(back_populates="images")

    @property
    def is_processing(self) -> bool:
        return not self.widths and self.processing_error is None

    def url(self, width: int | None = None) -> str:
        """The smallest size at least `width` wide; an image still processing has none yet
        (check `widths`, or use the `picture` macro, which shows "processing")."""
        widths = self.widths or [self.width]
        chosen = min((w for w in widths if w >= (width or 0)), default=max(widths))
        return f"/media/{self.storage_key}/{chosen}.webp"

    @property
    def srcset(self) -> str:
        return image_srcset(self.storage_key, self.widths)

    @property
    def fallback_url(self) -> str:
        return image_fallback_url(self.storage_key)

    def height_for(self, width: int) -> int:
        return max(1, round(self.height * width / self.width)) if self.width else width


def image_srcset(storage_key: str, widths: Sequence[int]) -> str:
    """The `srcset` of a stored image's WebP sizes."""
    return ", ".join(f"/media/{storage_key}/{w}.webp {w}w" for w in widths)


def image_fallback_url(storage_key: str) -> str:
    """The JPEG for browsers without WebP."""
    return f"/media/{storage_key}/fallback.jpg"


# The directory lists active people newest first or most recently active first: these indexes
# let a page be read in order instead of sorting every member (100,000 designers and more).
Index("ix_users_status_approved_at_id", User.status, User.approved_at, User.id)
Index("ix_users_status_last_active_at_id", User.status, User.last_active_at, User.id)

# Who the directory lists, as SQL (literal values, so that the planner matches the partial
# indexes below whatever the statement's parameters): active, visible designers.
PUBLIC_DESIGNER_SQL = (
    "{t}status = 'active' AND {t}account_type = 'designer' AND {t}hidden_at IS NULL"
)
_PUBLIC_DESIGNER = text(PUBLIC_DESIGNER_SQL.format(t=""))
# A directory page finds its ids in these narrow indexes of the listed designers only, without
# reading the rows it skips: page 200 costs about what page 1 costs (an index-only scan).
Index(
    "ix_users_directory_approved_at_id",
    User.approved_at,
    User.id,
    postgresql_where=_PUBLIC_DESIGNER,
    sqlite_where=_PUBLIC_DESIGNER,
)
Index(
    "ix_users_directory_last_active_at_id",
    User.last_active_at,
    User.id,
    postgresql_where=_PUBLIC_DESIGNER,
    sqlite_where=_PUBLIC_DESIGNER,
)


class Appreciation(Model):
    """One member appreciates one project once."""

    __tablename__ = "appreciations"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

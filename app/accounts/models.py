"""People and their log-in sessions."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import NEVER_REUSE_IDS, UTCDateTime, str_enum, utcnow
from app.extensions import Model


class AccountType(enum.StrEnum):
    DESIGNER = "designer"
    ORGANISER = "organiser"


class UserStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    SUSPENDED = "suspended"
    DELETED = "deleted"


class StaffRole(enum.StrEnum):
    NONE = "none"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(UserMixin, Model):
    __tablename__ = "users"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: one address, one account, whatever case it is typed in.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    account_type: Mapped[AccountType] = mapped_column(str_enum(AccountType))
    status: Mapped[UserStatus] = mapped_column(
        str_enum(UserStatus),
        default=UserStatus.PENDING,
        index=True,
    )
    staff_role: Mapped[StaffRole] = mapped_column(
        str_enum(StaffRole),
        default=StaffRole.NONE,
    )
    # Why the person was rejected or suspended: they see it when they log in.
    status_reason: Mapped[str | None] = mapped_column(String(2000))
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locale: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_active_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when a moderator hides the person's public profile (their pages answer 404 meanwhile).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    sessions: Mapped[list[UserSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def current_session_token(self) -> str | None:
        """The raw token of the session this request came with (set by the user loader)."""
        return self.__dict__.get("_session_token")

    @current_session_token.setter
    def current_session_token(self, value: str | None) -> None:
        self.__dict__["_session_token"] = value

    def get_id(self) -> str | None:
        # Flask-Login keeps this in the cookie: the per-session token, never the user id,
        # so that a session can be ended on the server and a copied cookie stops working.
        return self.current_session_token

    @property
    def is_active(self) -> bool:  # Flask-Login: refuse log-in to suspended and deleted people
        return self.status not in (UserStatus.SUSPENDED, UserStatus.DELETED)

    @property
    def is_member(self) -> bool:
        return self.status == UserStatus.ACTIVE

    @property
    def is_pending(self) -> bool:
        return self.status == UserStatus.PENDING

    @property
    def is_designer(self) -> bool:
        return self.account_type == AccountType.DESIGNER

    @property
    def is_organiser(self) -> bool:
        return self.account_type == AccountType.ORGANISER

    @property
    def is_moderator(self) -> bool:
        return self.staff_role in (StaffRole.MODERATOR, StaffRole.ADMIN) and self.is_member

    @property
    def is_admin(self) -> bool:
        return self.staff_role == StaffRole.ADMIN and self.is_member

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def __repr__(self) -> str:
        return f"<User @{self.handle} {self.status}>"


class UserSession(Model):
    """One logged-in browser: the cookie carries a random token whose hash is the key here."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_id_created_at", "user_id", "created_at"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(back_populates="sessions")


# Public lists (calls, the feed, search) keep only what active, visible members own: a partial
# index of their ids answers that check from the index alone, not from a scan of every member.
_VISIBLE_ACTIVE = text("status = 'active' AND hidden_at IS NULL")
Index(
    "ix_users_visible_active",
    User.id,
    postgresql_where=_VISIBLE_ACTIVE,
    sqlite_where=_VISIBLE_ACTIVE,
)

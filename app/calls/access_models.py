"""Who may apply to a call that is not open to all: access codes and what they opened
(invite-only calls), nominators and their candidates (nominated calls)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.calls.models import OpenCall
from app.db_types import NEVER_REUSE_IDS, UTCDateTime, utcnow
from app.extensions import Model


class AccessCode(Model):
    """A code that opens the application of one invite-only call, `uses` times at most.

    The organiser hands codes out and may read them again (so stored as typed, not hashed):
    a code is worth one application to one call, ends at its expiry and can be revoked.
    `uses_left` only ever falls through one conditional UPDATE, so a code is never used more
    often than it allows, however many people race for it."""

    __tablename__ = "call_access_codes"
    __table_args__ = (
        CheckConstraint("uses BETWEEN 1 AND 1000", name="access_code_uses_range"),
        CheckConstraint("uses_left BETWEEN 0 AND uses", name="access_code_uses_left_range"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("open_calls.id", ondelete="CASCADE"), index=True
    )
    # Unique across calls: a code typed on the wrong call is recognised and told so.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    label: Mapped[str] = mapped_column(String(80), default="")
    uses: Mapped[int] = mapped_column(default=1)
    uses_left: Mapped[int] = mapped_column(default=1)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    call: Mapped[OpenCall] = relationship()

    def usable(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return (
            self.revoked_at is None
            and self.uses_left > 0
            and (self.expires_at is None or now < self.expires_at)
        )


class AccessGrant(Model):
    """One person may apply to one invite-only call: the code they entered opened it."""

    __tablename__ = "call_access_grants"
    __table_args__ = (UniqueConstraint("call_id", "user_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("open_calls.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_id: Mapped[int | None] = mapped_column(
        ForeignKey("call_access_codes.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Nominator(Model):
    """A member (typically an organisation) named by the organiser to put forward up to `quota`
    candidates for a nominated call; `used` counts them and only grows by a conditional
    UPDATE, so the quota holds under parallel clicks."""

    __tablename__ = "call_nominators"
    __table_args__ = (
        UniqueConstraint("call_id", "user_id"),
        CheckConstraint("quota BETWEEN 1 AND 100", name="nominator_quota_range"),
        CheckConstraint("used BETWEEN 0 AND quota", name="nominator_used_range"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(
        ForeignKey("open_calls.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    quota: Mapped[int] = mapped_column(default=3)
    used: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    call: Mapped[OpenCall] = relationship()
    user: Mapped[User] = relationship()

    @property
    def left(self) -> int:
        return max(self.quota - self.used, 0)


class Nomination(Model):
    """A candidate put forward for a nominated call: a member (`user_id`) or an address without
    an account (`email`, with a single-use sign-up link whose hash only is kept). Signing up
    from the link fills `user_id`. A verified organisation's nomination of a pending person
    lets them apply to this call (`approved_at`, logged; a moderator may revoke it)."""

    __tablename__ = "call_nominations"
    __table_args__ = (
        UniqueConstraint("call_id", "user_id"),
        UniqueConstraint("call_id", "email"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("open_calls.id", ondelete="CASCADE"))
    nominator_id: Mapped[int] = mapped_column(
        ForeignKey("call_nominators.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    call: Mapped[OpenCall] = relationship()
    nominator: Mapped[Nominator] = relationship()
    user: Mapped[User | None] = relationship()

    @property
    def candidate(self) -> str:
        if self.user is not None:
            return self.user.display_name
        return self.email or ""

"""Designer and organiser profiles, and the translatable list of design disciplines."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import NEVER_REUSE_IDS, UTCDateTime
from app.extensions import Model, db

designer_disciplines = Table(
    "designer_disciplines",
    db.metadata,
    Column("profile_id", ForeignKey("designer_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "discipline_id",
        ForeignKey("disciplines.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Discipline(Model):
    __tablename__ = "disciplines"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    # The name in each language, by language code: {"en": ..., "vi": ..., "fr": ...}.
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)

    def name(self, locale: str) -> str:
        """The name in a locale, English when the locale has none (the slug without either)."""
        return self.names.get(locale) or self.names.get("en") or self.slug


class DesignerProfile(Model):
    __tablename__ = "designer_profiles"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    bio: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="", index=True)  # ISO 3166-1 alpha-2
    # Private: used only to judge a call's age rule, never shown to anyone.
    birth_date: Mapped[date | None] = mapped_column()
    available_for_work: Mapped[bool] = mapped_column(default=False)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    avatar_key: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(backref=db.backref("designer_profile", uselist=False))
    disciplines: Mapped[list[Discipline]] = relationship(secondary=designer_disciplines)


class OrganiserProfile(Model):
    __tablename__ = "organiser_profiles"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    organisation: Mapped[str] = mapped_column(String(150), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(backref=db.backref("organiser_profile", uselist=False))

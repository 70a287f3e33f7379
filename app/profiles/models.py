"""Designer and organiser profiles, and the translatable list of design disciplines."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db_types import NEVER_REUSE_IDS, UTCDateTime
from app.extensions import Model, db
from app.text import fold

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
    # A new avatar whose sizes a background job is still making (app.media.deferred): the key of
    # its private original; `avatar_key` keeps the previous one (or none) until then.
    avatar_original_key: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(backref=db.backref("designer_profile", uselist=False))
    disciplines: Mapped[list[Discipline]] = relationship(secondary=designer_disciplines)


LOGO_WIDTHS = (160, 400)


class OrganiserProfile(Model):
    __tablename__ = "organiser_profiles"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    organisation: Mapped[str] = mapped_column(String(150), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="", index=True)  # ISO 3166-1 alpha-2
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The logo goes through the image pipeline (key of its variants, like a designer's avatar);
    # its description is required whenever there is a logo.
    logo_key: Mapped[str | None] = mapped_column(String(100))
    logo_width: Mapped[int | None] = mapped_column()  # as uploaded: never upscaled (variants)
    logo_alt: Mapped[str] = mapped_column(String(300), default="")
    # A new logo still being resized (app.media.deferred): its private original's key.
    logo_original_key: Mapped[str | None] = mapped_column(String(100))
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    show_contact_email: Mapped[bool] = mapped_column(default=False)
    # The name and city folded (app.text.fold), "<name> | <city>", kept in step on every save:
    # the directory's search ("truong dai hoc" finds "Trường Đại học"), its city filter
    # ("da nang" finds "Đà Nẵng") and its alphabetical order.
    search_text: Mapped[str] = mapped_column(String(300), default="", index=True)

    user: Mapped[User] = relationship(backref=db.backref("organiser_profile", uselist=False))

    def display_name(self, fallback: str) -> str:
        """The organisation's name; the person's name until the organiser gives one."""
        return self.organisation or fallback

    def logo_widths(self) -> list[int]:
        """The widths of the logo's stored variants (a small logo is never upscaled)."""
        if not self.logo_key or not self.logo_width:
            return []
        return sorted({min(width, self.logo_width) for width in LOGO_WIDTHS})

    def logo_file(self, width: int = 400) -> str | None:
        """The media key of the logo's variant for `width` (smaller when the upload was)."""
        if not self.logo_key or not self.logo_width:
            return None
        return f"{self.logo_key}/{min(width, self.logo_width)}.webp"


def search_text(organisation: str | None, city: str | None) -> str:
    """The folded "<name> | <city>": words match either; the city filter matches after the bar."""
    name = " ".join(fold(organisation or "").split())[:200]
    place = " ".join(fold(city or "").split())
    return f"{name} | {place}"[:300]


@event.listens_for(OrganiserProfile, "before_insert")
@event.listens_for(OrganiserProfile, "before_update")
def _fold_for_search(_mapper: Any, _connection: Any, profile: OrganiserProfile) -> None:
    profile.search_text = search_text(profile.organisation, profile.city)

"""The directory of verified organisations, and who uses a logo."""

from __future__ import annotations

from sqlalchemy import Select, select

from app.accounts.models import AccountType, User, UserStatus
from app.extensions import db
from app.profiles.models import OrganiserProfile
from app.text import fold

PER_PAGE = 24
MAX_WORDS = 8


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def directory_query(*, country: str, city: str, q: str) -> Select[User, OrganiserProfile]:
    """Verified organisations of active, visible organisers, in alphabetical (folded) order.

    The search is folded like the designers' ("truong dai hoc" finds "Trường Đại học"): every
    word typed must appear in the organisation's name or city; the city filter is folded too.
    """
    stmt = (
        select(User, OrganiserProfile)
        .join(OrganiserProfile, OrganiserProfile.user_id == User.id)
        .where(
            User.status == UserStatus.ACTIVE,
            User.account_type == AccountType.ORGANISER,
            User.hidden_at.is_(None),
            OrganiserProfile.verified_at.is_not(None),
        )
    )
    if country:
        stmt = stmt.where(OrganiserProfile.country == country.upper())
    folded_city = " ".join(fold(city).split())
    if folded_city:
        # Folded, so that "da nang" and "đà nẵng" find "Đà Nẵng" (SQLite's lower() is ASCII).
        stmt = stmt.where(
            OrganiserProfile.search_text.like(f"% | {_like_escaped(folded_city)}", escape="\\")
        )
    for word in fold(q).split()[:MAX_WORDS]:
        stmt = stmt.where(
            OrganiserProfile.search_text.like(f"%{_like_escaped(word)}%", escape="\\")
        )
    return stmt.order_by(OrganiserProfile.search_text, OrganiserProfile.id)


def logo_users(key: str) -> list[User]:
    """The organisers whose logo is this image (the same file may back several)."""
    return list(
        db.session.scalars(
            select(User)
            .join(OrganiserProfile, OrganiserProfile.user_id == User.id)
            .where(OrganiserProfile.logo_key == key)
            .limit(20)
        )
    )

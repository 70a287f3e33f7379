"""Reading the list of design disciplines."""

from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import select

from app.extensions import db
from app.profiles.models import Discipline


def all_disciplines() -> list[Discipline]:
    """Every discipline in the order the admins set."""
    return list(db.session.scalars(select(Discipline).order_by(Discipline.position, Discipline.id)))


def discipline_choices(locale: str | None = None) -> list[tuple[str, str]]:
    """(id, name) pairs for a select, named in `locale` (the request's by default)."""
    locale = locale or str(get_locale() or "en")
    return [(str(d.id), d.name(locale)) for d in all_disciplines()]

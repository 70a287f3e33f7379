"""Reading the list of design disciplines."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import get_locale
from sqlalchemy import select

from app.cache import forget, remember
from app.extensions import db
from app.profiles.models import Discipline


def all_disciplines() -> list[Discipline]:
    """Every discipline in the order the admins set."""
    return list(db.session.scalars(select(Discipline).order_by(Discipline.position, Discipline.id)))


def discipline_choices(locale: str | None = None) -> list[tuple[str, str]]:
    """(id, name) pairs for a select, named in `locale` (the request's by default)."""
    locale = locale or str(get_locale() or "en")
    return [(str(d.id), d.name(locale)) for d in all_disciplines()]


DISCIPLINES_KEY = "profiles:disciplines"
# The list changes a few times a year, by an admin: a minute's staleness in other processes is
# harmless (this process forgets it at once, see services.save_discipline).
DISCIPLINES_TTL = 60


def _index() -> dict[int, Discipline]:
    # Detached copies: shared between requests, they never touch a session.
    return {
        d.id: Discipline(id=d.id, slug=d.slug, names=dict(d.names), position=d.position)
        for d in all_disciplines()
    }


def disciplines_by_id(ids: Iterable[int]) -> list[Discipline]:
    """The disciplines of these ids in the admins' order, read from a per-process copy of the
    list (no query while it is fresh; read again when an id is not in it)."""
    wanted = set(ids)
    if not wanted:
        return []
    index = remember(DISCIPLINES_KEY, DISCIPLINES_TTL, _index)
    if not wanted <= index.keys():
        forget(DISCIPLINES_KEY)
        index = remember(DISCIPLINES_KEY, DISCIPLINES_TTL, _index)
    found = [index[i] for i in wanted if i in index]
    return sorted(found, key=lambda d: (d.position, d.id))


def known_disciplines() -> list[Discipline]:
    """Every discipline in the admins' order, from the per-process copy (see `disciplines_by_id`):
    a list's filter names them without a query."""
    index = remember(DISCIPLINES_KEY, DISCIPLINES_TTL, _index)
    return sorted(index.values(), key=lambda d: (d.position, d.id))


def listed_discipline_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """`discipline_choices` read from the per-process copy of the list (see `disciplines_by_id`):
    for pages that only offer the list as a filter (a minute's staleness elsewhere is harmless:
    an unknown id filters to nothing). Named in `locale`, kept per language."""

    def named() -> tuple[tuple[str, str], ...]:
        return tuple((str(d.id), d.name(locale)) for d in known_disciplines())

    return remember(f"{DISCIPLINES_KEY}:choices:{locale}", DISCIPLINES_TTL, named)


def parse_ids(text: str | None) -> list[int]:
    """Ids aggregated by SQL into one comma-separated string (`aggregate_strings`)."""
    return [int(part) for part in text.split(",") if part] if text else []

"""Profiles' changes that are not a person's own: the list of disciplines (admins)."""

from __future__ import annotations

from app.accounts.models import User
from app.cache import forget
from app.extensions import db
from app.moderation.models import ActionKind
from app.moderation.services import log_action
from app.profiles.models import Discipline
from app.profiles.queries import DISCIPLINES_KEY


def save_discipline(
    *,
    discipline: Discipline | None,
    actor: User,
    slug: str,
    names: dict[str, str],
    position: int,
) -> Discipline:
    """Add a discipline or change its names (by language code) and position."""
    if discipline is None:
        discipline = Discipline(slug=slug)
        db.session.add(discipline)
    discipline.slug = slug
    discipline.names = dict(names)
    discipline.position = position
    db.session.flush()
    forget(DISCIPLINES_KEY)
    log_action(
        kind=ActionKind.EDIT_DISCIPLINE,
        actor=actor,
        target_type="discipline",
        target_id=discipline.id,
        slug=slug,
        names=[names.get(code, "") for code in ("en", "vi", "fr")],
    )
    return discipline

"""The home page's newest designers: the columns their cards show, in one query.

A card needs a few columns of the person and their profile, never whole entities with their
relationships: the disciplines come as ids aggregated in the same row, named from the
per-process list (app.profiles.queries), and the covers are read with the page's others.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask_babel import get_locale
from sqlalchemy import String, cast, func, select

from app.accounts.models import User
from app.extensions import db
from app.portfolios.queries import DesignerCard, designers_query
from app.profiles.models import DesignerProfile, designer_disciplines
from app.profiles.queries import disciplines_by_id, parse_ids


@cache
def _newest_statement(limit: int) -> Any:
    # Built once: a statement costs more to build than this one costs to run.
    discipline_ids = (
        select(func.aggregate_strings(cast(designer_disciplines.c.discipline_id, String), ","))
        .where(designer_disciplines.c.profile_id == DesignerProfile.id)
        .scalar_subquery()
    )
    return (
        designers_query(discipline_id=None, country="", city="", available=False, sort="newest")
        .with_only_columns(
            User.id,
            User.handle,
            User.display_name,
            DesignerProfile.avatar_key,
            DesignerProfile.city,
            DesignerProfile.country,
            DesignerProfile.available_for_work,
            discipline_ids,
            maintain_column_froms=True,
        )
        .limit(limit)
    )


def newest_designers(limit: int) -> list[DesignerCard]:
    """The designers approved last, as the directory lists them (one query), as the cards of
    portfolios/_designer_cards.html: disciplines named in the viewer's language."""
    locale = str(get_locale() or "en")
    return [
        DesignerCard(
            id=user_id,
            handle=handle,
            display_name=name,
            city=city,
            country=country,
            avatar_key=avatar,
            available_for_work=bool(available),
            disciplines=tuple(d.name(locale) for d in disciplines_by_id(parse_ids(ids))),
        )
        for user_id, handle, name, avatar, city, country, available, ids in db.session.execute(
            _newest_statement(limit)
        )
    ]

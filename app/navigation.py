"""The navigation's counts (unread messages, unread notifications, jury seats): one query a page.

Every page a logged-in person opens shows these badges, so they cost one round trip together,
not one each. Each domain adds its expression from its own `register(app)`; the first template
(or view) that asks runs them all in a single SELECT, kept for the rest of the request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.sql import ColumnElement

from app.extensions import db

# A person -> a scalar SQL expression about them (a count, or a boolean).
CountExpression = Callable[[Any], ColumnElement[Any]]

_KEY = "nav_counts"


def register_count(app: Flask, name: str, expression: CountExpression) -> None:
    """Add a count the navigation shows for the logged-in person (registering twice is harmless)."""
    app.extensions.setdefault(_KEY, {})[name] = expression


def nav_count(name: str) -> int:
    """The logged-in person's count `name`; 0 for visitors. One query per request for all."""
    if not current_user.is_authenticated:
        return 0
    if _KEY not in g:
        expressions: dict[str, CountExpression] = current_app.extensions.get(_KEY, {})
        names = list(expressions)
        values: tuple[Any, ...] = ()
        if names:
            columns = [expressions[n](current_user).label(n) for n in names]
            values = tuple(db.session.execute(select(*columns)).one())
        g.nav_counts = {n: int(v or 0) for n, v in zip(names, values, strict=True)}
    return int(g.nav_counts.get(name, 0))

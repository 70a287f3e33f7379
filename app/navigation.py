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
from sqlalchemy import Select, bindparam, select
from sqlalchemy.sql import ColumnElement

from app.extensions import db

# A person -> a scalar SQL expression about them (a count, or a boolean). The expression is built
# once per process with a stand-in whose `id` is a bound parameter (the statement is then only
# executed per request): it may use the person's `id` only.
CountExpression = Callable[[Any], ColumnElement[Any]]

_KEY = "nav_counts"
_STATEMENT = "nav_counts_statement"


class _Viewer:
    """The stand-in person the expressions are built with: `id` is filled in per request."""

    id: Any = bindparam("nav_viewer_id")


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
            values = tuple(
                db.session.execute(
                    _statement(names, expressions), {"nav_viewer_id": current_user.id}
                ).one()
            )
        g.nav_counts = {n: int(v or 0) for n, v in zip(names, values, strict=True)}
    return int(g.nav_counts.get(name, 0))


def _statement(names: list[str], expressions: dict[str, CountExpression]) -> Select[Any]:
    """The one SELECT of every count, built once per app (rebuilt if a count is registered)."""
    cached = current_app.extensions.get(_STATEMENT)
    if cached is None or cached[0] != names:
        stmt = select(*[expressions[n](_Viewer).label(n) for n in names])
        cached = current_app.extensions[_STATEMENT] = (list(names), stmt)
    return cached[1]

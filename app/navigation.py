"""The navigation's counts (unread messages, unread notifications): no query of their own.

Every page a logged-in person opens shows these badges. Each domain adds its expression from its
own `register(app)`; they are selected with the person's session when the request loads it
(`with_counts`), so the badges cost no round trip. Anything the request writes afterwards (a
conversation opened marks it read) drops those values, and the first template or view that asks
then runs all the counts in a single SELECT, kept for the rest of the request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask, current_app, g, has_app_context
from flask_login import current_user
from sqlalchemy import Select, bindparam, event, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import ColumnElement

from app.extensions import db
from app.pagination import AnySelect

# A person -> a scalar SQL expression about them (a count, or a boolean). The expression is built
# once per process with a stand-in whose `id` is a bound parameter (the statement is then only
# executed per request): it may use the person's `id` only.
CountExpression = Callable[[Any], ColumnElement[Any]]

_KEY = "nav_counts"
_STATEMENT = "nav_counts_statement"


class _Viewer:
    """The stand-in person the expressions are built with: `id` is filled in per request."""

    id: Any = bindparam("nav_viewer_id")


class _Column:
    """A stand-in person whose `id` is a column of the enclosing query (the session's user)."""

    def __init__(self, id: ColumnElement[Any] | InstrumentedAttribute[Any]) -> None:
        self.id = id


def register_count(app: Flask, name: str, expression: CountExpression) -> None:
    """Add a count the navigation shows for the logged-in person (registering twice is harmless)."""
    app.extensions.setdefault(_KEY, {})[name] = expression


def with_counts(
    statement: AnySelect, user_id: ColumnElement[Any] | InstrumentedAttribute[Any]
) -> tuple[AnySelect, list[str]]:
    """`statement` with every count about the person `user_id` (a column of its FROM) added as
    its last columns, and their names; `prime` takes them from the row. Build it once."""
    expressions: dict[str, CountExpression] = current_app.extensions.get(_KEY, {})
    names = list(expressions)
    person = _Column(user_id)
    return statement.add_columns(*[expressions[n](person).label(n) for n in names]), names


def prime(names: list[str], values: Sequence[Any]) -> None:
    """The counts read with the person's session (the columns `with_counts` added), kept for
    this request unless it writes something first."""
    g.nav_counts = {n: int(v or 0) for n, v in zip(names, values, strict=True)}


@event.listens_for(Session, "after_flush")
def _forget_counts(*_: Any) -> None:
    """A write may change a count (a message read, a notification seen): ask again if needed."""
    if has_app_context():
        g.pop(_KEY, None)


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

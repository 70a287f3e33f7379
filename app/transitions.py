"""One winner per state change, however many requests race for it.

Two clicks on "Approve" (or one reset link opened in two tabs) run as two transactions that
both read "pending" and both act: two log lines, two emails. `claim` turns the check and the
change into one conditional UPDATE (`… WHERE id = :id AND status = 'pending'`): the database
lets one transaction change the row; the other, once the first has committed, finds the
condition false, updates no row, and gets False. On PostgreSQL the loser waits on the row lock
and re-reads the committed row (READ COMMITTED); SQLite serialises writers. Call `claim`
before anything else is written in the transaction, and give up (raise) when it returns False,
so that the loser's transaction is rolled back with nothing done.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, inspect, update
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db

ANY_OF = (tuple, list, set, frozenset)


def _condition(column: Any, expected: Any) -> ColumnElement[bool]:
    if expected is None:
        return column.is_(None)
    if isinstance(expected, ANY_OF):
        return column.in_(list(expected))
    return column == expected


def claim(obj: Any, *, where: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """Write `values` to `obj`'s row only if its columns still hold `where` (a value, None,
    or a tuple of allowed values). True for the one transaction that changed the row; the
    object then holds the new values."""
    state = inspect(obj)
    model = type(obj)
    identity = zip(state.mapper.primary_key, state.identity, strict=True)
    keys = [_condition(column, value) for column, value in identity]
    conditions = [_condition(getattr(model, name), value) for name, value in where.items()]
    statement = (
        update(model)
        .where(*keys, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(statement)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    for name, value in values.items():
        set_committed_value(obj, name, value)
    return True

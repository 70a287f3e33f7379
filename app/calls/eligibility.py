"""Whether a designer meets a call's rules (age on the deadline day, country): a rule on the
models alone, so that queries (the open calls a designer may apply to) and services both use it.

The same rule is written twice, side by side: `eligibility` judges one loaded call in Python
(and says why not), `eligible_clause` is its SQL twin, for lists that pick the calls a designer
may enter in the database (the home page, "I am eligible" on /calls) instead of loading every
open call to judge it. tests/calls/test_eligibility_sql.py holds them to the same answers.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, Date, and_, case, event, extract, func, literal, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.calls.models import CallCategory, OpenCall
from app.i18n import zone
from app.profiles.models import DesignerProfile


def deadline_day(call: OpenCall, category: CallCategory | None = None) -> date:
    """The calendar day of the deadline where the call is run: ages are judged on it. A category
    with a deadline of its own is judged on that day."""
    deadline = call.deadline_at
    if category is not None and category.deadline_at is not None:
        deadline = category.deadline_at
    return deadline.astimezone(zone(call.timezone)).date()


def age_day(call: OpenCall, category: CallCategory | None = None) -> date:
    """The day an age is judged on: the category's deadline day when one is picked; before
    that, the earliest of the categories' days (eligible in at least one of them)."""
    if category is not None or not call.categories:
        return deadline_day(call, category)
    return min(deadline_day(call, c) for c in call.categories)


@dataclass
class Eligibility:
    reasons: list[str]
    age: int | None = None

    @property
    def ok(self) -> bool:
        return not self.reasons


def age_on(birth: date, day: date) -> int:
    """Completed years on a day: someone born 35 years before it to the day is 35."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def eligibility(
    call: OpenCall, profile: DesignerProfile | None, category: CallCategory | None = None
) -> Eligibility:
    """Whether a designer meets the call's rules (in `category` when given; in at least one of
    the call's categories otherwise), and exactly why not."""
    reasons: list[str] = []
    age = None
    if call.max_age is not None:
        if profile is None or profile.birth_date is None:
            reasons.append("birth_date_missing")
        else:
            age = age_on(profile.birth_date, age_day(call, category))
            if age > call.max_age:
                reasons.append("too_old")
    if call.allowed_countries:
        country = (profile.country if profile else "") or ""
        if not country:
            reasons.append("country_missing")
        elif country.upper() not in call.allowed_countries:
            reasons.append("country")
    return Eligibility(reasons=reasons, age=age)


# ---------- The same rule in SQL ----------


class _LocalDay(FunctionElement[date]):
    """The calendar day of an instant in an IANA zone (a column): `deadline_day` in SQL."""

    type = Date()
    inherit_cache = True
    name = "local_day"


@compiles(_LocalDay, "postgresql")
def _local_day_postgresql(element: _LocalDay, compiler: SQLCompiler, **kw: Any) -> str:
    instant, zone_name = list(element.clauses)
    return (
        f"CAST(timezone({compiler.process(zone_name, **kw)}, "
        f"{compiler.process(instant, **kw)}) AS DATE)"
    )


@compiles(_LocalDay)
def _local_day_other(element: _LocalDay, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite knows no zones: the Python function registered on each connection (below).
    return f"yd_local_day({compiler.process(element.clauses, **kw)})"


def _sqlite_local_day(instant: str | None, zone_name: str | None) -> str | None:
    """SQLite's `yd_local_day`: a stored UTC instant ("2025-06-30 23:30:00") as a day there."""
    if instant is None:
        return None
    moment = datetime.fromisoformat(instant).replace(tzinfo=UTC)
    try:
        there = ZoneInfo(zone_name or "UTC")
    except (ValueError, KeyError):
        there = ZoneInfo("UTC")
    return moment.astimezone(there).date().isoformat()


@event.listens_for(Engine, "connect")
def _sqlite_local_day_function(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("yd_local_day", 2, _sqlite_local_day, deterministic=True)


class _Listed(FunctionElement[bool]):
    """Whether a JSON array of strings (a column) holds a value."""

    type = Boolean()
    inherit_cache = True
    name = "listed"


@compiles(_Listed, "postgresql")
def _listed_postgresql(element: _Listed, compiler: SQLCompiler, **kw: Any) -> str:
    items, value = list(element.clauses)
    return (
        f"jsonb_exists(CAST({compiler.process(items, **kw)} AS JSONB), "
        f"{compiler.process(value, **kw)})"
    )


@compiles(_Listed)
def _listed_other(element: _Listed, compiler: SQLCompiler, **kw: Any) -> str:
    items, value = list(element.clauses)
    # Compiled SQL of two expressions (their values are bound parameters): no text is pasted.
    return (
        f"EXISTS (SELECT 1 FROM json_each({compiler.process(items, **kw)}) "  # noqa: S608
        f"WHERE json_each.value = {compiler.process(value, **kw)})"
    )


def _month_day(day: Any) -> Any:
    return extract("month", day) * 100 + extract("day", day)


def _age_day() -> ColumnElement[date]:
    """`age_day(call)` in SQL: the earliest of the categories' deadline days, else the call's
    (a zone's calendar day grows with the instant: the earliest instant's day is the earliest
    day)."""
    earliest = (
        select(func.min(func.coalesce(CallCategory.deadline_at, OpenCall.deadline_at)))
        .where(CallCategory.call_id == OpenCall.id)
        .correlate(OpenCall)
        .scalar_subquery()
    )
    return _LocalDay(func.coalesce(earliest, OpenCall.deadline_at), OpenCall.timezone)


def eligible_clause(birth_date: Any, country: Any) -> ColumnElement[bool]:
    """`eligibility(call, profile).ok` for the calls of a query (no category picked): true for
    the calls whose rules a designer meets. `birth_date` and `country` are the designer's, as
    columns of the query (a joined profile) or as values (None when missing)."""
    given = birth_date is None or isinstance(birth_date, date)
    birth = literal(birth_date, Date()) if given else birth_date
    where = literal(country or "") if country is None or isinstance(country, str) else country
    day = _age_day()
    age = (
        extract("year", day)
        - extract("year", birth)
        - case((_month_day(day) < _month_day(birth), 1), else_=0)
    )
    age_ok = or_(
        OpenCall.max_age.is_(None),
        and_(birth.is_not(None), age <= OpenCall.max_age),
    )
    code = func.upper(func.coalesce(where, ""))
    country_ok = or_(
        func.coalesce(func.json_array_length(OpenCall.allowed_countries), 0) == 0,
        and_(code != "", _Listed(OpenCall.allowed_countries, code)),
    )
    return and_(age_ok, country_ok)

"""Column types shared by every domain."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def str_enum(cls: type[enum.Enum], *, length: int = 16) -> Enum:
    """A column of a StrEnum stored as its values (not its names) in a VARCHAR(length)."""
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database.

    SQLite stores no offset, so values are normalised to UTC on the way in and marked UTC on
    the way out; PostgreSQL stores `timestamptz`. Naive datetimes are refused: they are bugs.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, _dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """Now, timezone-aware in UTC (frozen by time-machine in tests)."""
    return datetime.now(UTC)


# SQLite hands the id of a deleted row to the next row unless the table says AUTOINCREMENT; ids
# appear in URLs, reports, search documents and outbox keys, so a reused id would give a new
# row an old row's history. PostgreSQL's sequences never reuse; the option is SQLite-only.
# Every table with a surrogate id puts this last in its __table_args__.
NEVER_REUSE_IDS: dict[str, Any] = {"sqlite_autoincrement": True}

"""Savepoints that stay inside their transaction, on SQLite too.

Python's sqlite3 driver (its legacy transaction handling, which the engine keeps) opens a
transaction only before an INSERT, UPDATE or DELETE. A SAVEPOINT sent before any of those opens
the transaction itself, and releasing it then COMMITS: the row written inside it would stay even
if the rest of the request failed and rolled back (an application without its answers, a
nomination without its quota spent). `savepoint()` opens the transaction first when nothing
has been written yet; PostgreSQL needs nothing (its transaction starts with the first statement).
"""

from __future__ import annotations

from sqlalchemy.orm import SessionTransaction

from app.extensions import db


def savepoint() -> SessionTransaction:
    """`db.session.begin_nested()`, safe as the first write of its transaction: use it as
    `with savepoint(): ...` (an IntegrityError inside undoes only the savepoint)."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            # This transaction only, as the driver itself would before its first write.
            connection.exec_driver_sql("BEGIN")
    return db.session.begin_nested()

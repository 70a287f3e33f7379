"""Committing at the end of a write that only redirects.

After a commit SQLAlchemy expires every loaded object, so that the next read of any attribute
goes back to the database. A POST that commits and then only builds a redirect (and its flash
message) reads the person's account again for the language of the message and the objects it
just wrote for the message's wording: a SELECT each, for values it holds already. Those values
are the ones this transaction wrote and committed; the page the redirect leads to is a new
request that reads everything afresh.
"""

from __future__ import annotations

from app.extensions import db


def commit_keeping_loaded() -> None:
    """Commit without expiring what the request has loaded (it is read again for free)."""
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep

"""What can be reported and hidden: one registration per kind of content.

Each domain's content (a profile, a project, an open call, a message) is registered once with
how to load it, whose it is, how to name it and where the public sees it. Moderation code only
talks to this registry; each domain registers its kinds from its own `register(app)`
(app/<domain>/registry.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db


@dataclass(frozen=True)
class TargetType:
    """How moderation finds, names, shows and hides one kind of content."""

    name: str
    model: type[Any]
    owner: Callable[[Any], User | None]
    title: Callable[[Any], str]
    public_url: Callable[[Any], str | None] = lambda _obj: None
    # Relationships to load with the object (e.g. the owner), so that lists stay one query.
    load_options: tuple[Any, ...] = ()
    # Private content (messages): moderators see only what a report captured, never the thing.
    private: bool = False
    # The text kept as evidence when someone reports the object.
    snapshot: Callable[[Any], str] = field(default=lambda _obj: "")
    # A partial (under templates/) that shows the object to moderators, with `obj`.
    preview_template: str | None = None
    # Whether the public may see it at all (drafts are not reportable from a guessed URL).
    public: Callable[[Any], bool] = field(default=lambda _obj: True)
    # Called after hiding or restoring, e.g. to update the search index.
    on_visibility_change: Callable[[Any], None] = field(default=lambda _obj: None)

    def load(self, target_id: int) -> Any | None:
        return db.session.scalar(
            select(self.model).where(self.model.id == target_id).options(*self.load_options)
        )

    def load_many(self, ids: Iterable[int]) -> dict[int, Any]:
        """Objects by id, in one query (queues stay at a constant number of queries)."""
        wanted = set(ids)
        if not wanted:
            return {}
        rows = db.session.scalars(
            select(self.model).where(self.model.id.in_(wanted)).options(*self.load_options)
        )
        return {obj.id: obj for obj in rows.unique()}


TARGETS: dict[str, TargetType] = {}


def register(target: TargetType) -> TargetType:
    """Make a kind of content reportable and hideable (registering it again replaces it)."""
    TARGETS[target.name] = target
    return target


def get(name: str) -> TargetType | None:
    return TARGETS.get(name)


def is_hidden(obj: Any) -> bool:
    return getattr(obj, "hidden_at", None) is not None


def hide(obj: Any) -> None:
    """Hide content from the public (it answers 404); moderators still see it."""
    if obj.hidden_at is None:
        obj.hidden_at = utcnow()


def restore(obj: Any) -> None:
    obj.hidden_at = None

"""Who may act on a notification: only the person it is addressed to."""

from __future__ import annotations

from typing import Any

from app.notifications.models import Notification


def can_open_notification(user: Any, note: Notification | None) -> bool:
    return bool(
        note is not None and getattr(user, "is_authenticated", False) and note.user_id == user.id
    )

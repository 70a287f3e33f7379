"""Demo notifications: Mai (designer@example.org) has two unread and one read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.notifications.models import Notification

# (kind, text as it would have been written to her in Vietnamese, link, age, read)
NOTES = (
    (
        "moderation.approve",
        "Hồ sơ của bạn đã được duyệt: chào mừng bạn đến với mạng lưới!",
        "/account/moderation",
        timedelta(days=20),
        True,
    ),
    (
        "message",
        "Bạn có tin nhắn mới về gian hàng ở Lễ hội Thiết kế Sáng tạo.",
        "/messages",
        timedelta(days=2),
        False,
    ),
    (
        "call_decision",
        "Kết quả của một cuộc gọi bạn tham gia đã được gửi.",
        "/submissions",
        timedelta(hours=3),
        False,
    ),
)


def load(context: dict[str, Any]) -> dict[str, int]:
    """Add Mai's notifications (deterministic), oldest first."""
    mai: User = context["designers"][0]
    now = utcnow()
    db.session.add_all(
        Notification(
            user_id=mai.id,
            kind=kind,
            text=text,
            url=url,
            created_at=now - age,
            read_at=now - age + timedelta(days=1) if read else None,
        )
        for kind, text, url, age, read in NOTES
    )
    db.session.flush()
    return {"notifications": len(NOTES)}

"""Demo notifications: Mai (designer@example.org) has two unread and one read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.notifications.models import Notification


def load(context: dict[str, Any]) -> dict[str, int]:
    """Add Mai's notifications (deterministic), in Vietnamese as they would have been written."""
    mai: User = context["designers"][0]
    now = utcnow()
    notes = [
        Notification(
            user_id=mai.id,
            kind="moderation.approve",
            text="Hồ sơ của bạn đã được duyệt: chào mừng bạn đến với mạng lưới!",
            url="/account/moderation",
            created_at=now - timedelta(days=20),
            read_at=now - timedelta(days=19),
        ),
    ]
    notes.append(
        Notification(
            user_id=mai.id,
            kind="message",
            text="Bạn có tin nhắn mới về gian hàng ở Lễ hội Thiết kế Sáng tạo.",
            url="/messages",
            created_at=now - timedelta(days=2),
        )
    )
    notes.append(
        Notification(
            user_id=mai.id,
            kind="call_decision",
            text="Kết quả của một cuộc gọi bạn tham gia đã được gửi.",
            url="/submissions",
            created_at=now - timedelta(hours=3),
        )
    )
    db.session.add_all(notes)
    db.session.flush()
    return {"notifications": len(notes)}

"""Demo conversations: Mai (designer@example.org) and Đức plan a festival booth, and a few more."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.calls.models import OpenCall
from app.db_types import utcnow
from app.extensions import db
from app.messaging.models import Conversation, Message, Participant
from app.messaging.services import pair_key

# (who speaks: 0 = first person, 1 = second; minutes ago; text)
Line = tuple[int, int, str]

MAI_AND_DUC: list[Line] = [
    (
        1,
        4320,
        "Chào Mai! Mình là Đức, thấy series tranh sơn mài của bạn trên mạng lưới. Đẹp quá 👏",
    ),
    (
        0,
        4290,
        "Cảm ơn Đức nhiều nha! Mình cũng vừa xem bộ nhận diện cho xưởng gốm Bát Tràng của bạn.",
    ),
    (
        1,
        4285,
        "Hihi cảm ơn. Mình hỏi thẳng luôn: Lễ hội Thiết kế Sáng tạo năm nay có open call "
        "cho gian hàng đôi. Bạn có muốn làm chung không?",
    ),
    (0, 2880, "Nghe hay đó! Ý tưởng của bạn là gì?"),
    (
        1,
        2870,
        "Sơn mài gặp đồ hoạ: bạn làm tấm nền, mình làm poster và typography song ngữ.\n"
        "Moodboard đây: https://example.org/duc/moodboard-festival",
    ),
    (
        0,
        1500,
        "Mình thích moodboard lắm. One thought: the jury includes people from Lyon and "
        "Bangkok, so let's keep every label in Vietnamese and English.",
    ),
    (1, 1490, "Agreed 100%. Mình sẽ viết bản tiếng Anh, bạn check giúp phần tiếng Việt nhé."),
    (0, 300, "Thứ Bảy này mình ghé Complex 01 được không? Khoảng 10 giờ sáng."),
    (1, 42, "Ok luôn! Hẹn 10h ở quán cà phê tầng 1. Mình mang bản in thử poster 🙂"),
]

ORGANISER_AND_DESIGNER: list[Line] = [
    (
        0,
        9000,
        "Chào bạn, cảm ơn bạn đã nộp hồ sơ. Ban tổ chức muốn xem thêm ảnh chụp cận "
        "chất liệu của dự án thứ hai. Bạn gửi được trước thứ Sáu không?",
    ),
    (1, 8900, "Dạ được ạ. Em sẽ cập nhật ảnh vào dự án trên portfolio trong hôm nay."),
    (0, 8800, "Tuyệt, cảm ơn bạn. Chúc may mắn!"),
]

SHORT_EXCHANGES: list[list[Line]] = [
    [
        (0, 20000, "Hi! I'm visiting Hà Nội in May for the design week. Any studio I should see?"),
        (1, 19950, "Welcome! Ghé Zone 9 và khu Long Biên nhé — I'll send you a list."),
    ],
    [
        (0, 700, "Bạn ơi, font bạn dùng trong poster 'Phố cổ' là font gì vậy?"),
        (1, 650, "Be Vietnam Pro đó bạn, có đủ dấu tiếng Việt và miễn phí."),
        (0, 640, "Cảm ơn nhiều!"),
    ],
]


def _conversation(
    a: User,
    b: User,
    lines: list[Line],
    *,
    topic_label: str | None = None,
    topic_id: int | None = None,
    read_up_to: int = 0,
) -> int:
    """A conversation between a and b; the last `read_up_to` lines are unread for the reader."""
    now = utcnow()
    people = (a, b)
    conv = Conversation(
        pair_key=pair_key(a, b, "call" if topic_id else None, topic_id),
        topic_type="call" if topic_id else None,
        topic_id=topic_id,
        topic_label=topic_label,
        created_by_id=people[lines[0][0]].id,
        created_at=now - timedelta(minutes=lines[0][1]),
        last_message_at=now - timedelta(minutes=lines[-1][1]),
    )
    db.session.add(conv)
    db.session.flush()
    messages = []
    for speaker, minutes_ago, text in lines:
        message = Message(
            conversation_id=conv.id,
            sender_id=people[speaker].id,
            body=text,
            created_at=now - timedelta(minutes=minutes_ago),
        )
        db.session.add(message)
        messages.append(message)
    db.session.flush()
    conv.last_message_id = messages[-1].id
    last_speaker = lines[-1][0]
    unread = messages[len(messages) - read_up_to :] if read_up_to else []
    for index, person in enumerate(people):
        is_reader = index != last_speaker and unread
        read_through = messages[-read_up_to - 1] if is_reader else messages[-1]
        db.session.add(
            Participant(
                conversation_id=conv.id,
                user_id=person.id,
                unread_count=len(unread) if is_reader else 0,
                unread_since=unread[0].created_at if is_reader else None,
                last_read_message_id=read_through.id,
                last_read_at=read_through.created_at,
                # Demo messages are old news: no digest email for them.
                notified_through_id=messages[-1].id,
            )
        )
    return len(messages)


def load(context: dict[str, Any]) -> dict[str, int]:
    """Add the demo conversations (deterministic)."""
    designers: list[User] = context["designers"]
    organisers: list[User] = context["organisers"]
    mai, duc = designers[0], designers[1]
    count = _conversation(mai, duc, MAI_AND_DUC, read_up_to=1)
    # The organiser writes about its festival call (created by the calls step before this one).
    festival = db.session.scalars(
        select(OpenCall).where(OpenCall.owner_id == organisers[0].id).order_by(OpenCall.id)
    ).first()
    count += _conversation(
        organisers[0],
        mai,
        ORGANISER_AND_DESIGNER,
        topic_label=festival.title if festival else None,
        topic_id=festival.id if festival else None,
    )
    count += _conversation(designers[24], mai, SHORT_EXCHANGES[0])
    count += _conversation(designers[5], designers[2], SHORT_EXCHANGES[1], read_up_to=1)
    db.session.flush()
    return {"conversations": 4, "messages": count}

"""Demo conversations: Mai (designer@example.org) and Đức plan a festival booth, and a few more."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.calls.models import OpenCall
from app.extensions import db
from demo import build
from demo.build import Line

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


def load(context: dict[str, Any]) -> dict[str, int]:
    """Add the demo conversations (deterministic)."""
    designers: list[User] = context["designers"]
    organisers: list[User] = context["organisers"]
    mai, duc = designers[0], designers[1]
    build.conversation(mai, duc, MAI_AND_DUC, unread=1)
    # The organiser writes about its festival call (created by the calls step before this one).
    festival = db.session.scalars(
        select(OpenCall).where(OpenCall.owner_id == organisers[0].id).order_by(OpenCall.id)
    ).first()
    build.conversation(organisers[0], mai, ORGANISER_AND_DESIGNER, topic=festival)
    build.conversation(designers[24], mai, SHORT_EXCHANGES[0])
    build.conversation(designers[5], designers[2], SHORT_EXCHANGES[1], unread=1)
    count = sum(map(len, (MAI_AND_DUC, ORGANISER_AND_DESIGNER, *SHORT_EXCHANGES)))
    return {"conversations": 4, "messages": count}

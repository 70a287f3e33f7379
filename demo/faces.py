"""The demo's rich data, loaded last: most designers have a profile picture, open calls have
banners, and a few people fill in everything (a long name, Markdown, several languages), so
that the demo shows the pages as real people make them, not as empty forms leave them.

Pictures are drawn with Pillow (nothing downloaded) and go through the real image pipeline.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.owndata import delete_account
from app.accounts.passwords import hash_password
from app.calls.models import OpenCall
from app.calls.services import BANNER_WIDTHS
from app.db_types import utcnow
from app.extensions import db
from app.media.services import store_image
from app.messaging.services import start_conversation
from app.portfolios.services import AVATAR_WIDTHS, reindex_designer
from app.profiles.models import DesignerProfile
from demo import build
from demo.artworks import PALETTES, draw
from demo.people import DEMO_PASSWORD

AVATAR_SIDE = max(AVATAR_WIDTHS)  # every avatar width exists
# Every fifth designer keeps the initial instead of a picture, as some people do.
WITHOUT_AVATAR_EVERY = 5

# Designers (by display name) who filled in everything, with their language.
FULL_PROFILES: dict[str, tuple[str, str]] = {
    "Tôn Nữ Thị Phương Thảo Nguyễn-Hoàng": (
        "vi",
        "**Nhà thiết kế đồ hoạ** ở Huế: _bao bì bền vững_ và chữ Việt.\n\n"
        "- Giấy dó, mực tàu\n"
        "- Kiểu chữ cho biển hiệu phố cổ\n\n"
        "Hồ sơ cũ: [example.org/thao](https://example.org/thao)",
    ),
    "Camille Lefèvre": (
        "fr",
        "Designer d’objets à **Lyon**, entre _soie_ et céramique.\n\n"
        "1. Ateliers\n2. Résidences à Hà Nội\n\n"
        "> Faire simple, c’est long.",
    ),
    "Siriporn Chaiyaporn": (
        "en",
        "Type designer in **Bangkok**; Thai and Vietnamese scripts, _side by side_.\n\n"
        "- Posters\n- Wayfinding",
    ),
}


def _portrait(rng: random.Random) -> bytes:
    """A square, friendly abstract portrait: a head and shoulders on a coloured ground."""
    ground, skin, cloth, accent = PALETTES[rng.randrange(len(PALETTES))]
    side = AVATAR_SIDE
    image = Image.new("RGB", (side, side), ground)
    d = ImageDraw.Draw(image)
    d.ellipse((side * 0.15, side * 0.7, side * 0.85, side * 1.3), fill=cloth)
    head = side * rng.uniform(0.17, 0.21)
    cx, cy = side / 2, side * 0.45
    d.ellipse((cx - head, cy - head, cx + head, cy + head), fill=skin)
    d.rectangle((0, 0, side, side * 0.06), fill=accent)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def load(context: dict[str, Any]) -> dict[str, int]:
    rng = random.Random(2019_11)
    designers: list[User] = context.get("designers", [])
    avatars = 0
    for i, user in enumerate(designers):
        profile = db.session.scalar(
            select(DesignerProfile).where(DesignerProfile.user_id == user.id)
        )
        if profile is None:
            continue
        full = FULL_PROFILES.get(user.display_name)
        if full is not None:
            user.locale, profile.bio = full
            profile.available_for_work = True
            profile.links = [
                f"https://example.org/{user.handle}",
                f"https://instagram.com/{user.handle}",
            ]
        if i % WITHOUT_AVATAR_EVERY != WITHOUT_AVATAR_EVERY - 1 or full is not None:
            build.give_avatar(profile, _portrait(rng))
            avatars += 1
        db.session.flush()
        reindex_designer(user, profile)

    banners = 0
    calls = db.session.scalars(
        select(OpenCall).where(OpenCall.published_at.is_not(None)).order_by(OpenCall.id)
    ).all()
    for n, call in enumerate(calls):
        data, alt_vi, _alt_en = draw("poster", n, seed=2019 + n, size=(1600, 600))
        # Made right away, as the demo's avatars and logos are (an upload waits for a job).
        stored = store_image(data, kind="b", widths=BANNER_WIDTHS)
        call.banner_key, call.banner_widths = stored.key, stored.widths
        call.banner_alt = f"{alt_vi} — {call.title}"[:300]
        banners += 1
    organisers: list[User] = context.get("organisers", [])
    deleted = _former_member(organisers[0]) if organisers else 0
    return {"avatars": avatars, "call banners": banners, "deleted accounts": deleted}


def _former_member(neighbour: User) -> int:
    """Someone who wrote to the demo organiser, then deleted their account (as people do)."""
    user = build.person(
        handle="phi-van-long",
        display_name="Phí Văn Long",
        password_hash=hash_password(DEMO_PASSWORD),
        created_at=utcnow() - timedelta(days=90),
        profile={"city": "Hải Phòng", "country": "VN", "bio": "…"},
    )
    start_conversation(
        sender=user,
        recipient=neighbour,
        text="Chào anh Quân, lễ hội năm nay có nhận hồ sơ nhóm không ạ?",
    )
    # No file of theirs to remove after the commit: the cleanups it returns are empty.
    delete_account(user=user, password=DEMO_PASSWORD)
    return 1

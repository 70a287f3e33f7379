"""Small factories with keyword overrides."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.accounts import services
from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.accounts.passwords import hash_password
from app.db_types import utcnow
from app.extensions import db
from app.media.pipeline import ProcessedImage, process_image
from app.media.storage import get_storage
from app.portfolios.services import AVATAR_WIDTHS, reindex_designer
from app.profiles.models import DesignerProfile, Discipline
from demo import build
from tests.portfolios.factories import image_bytes, make_project

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_user(
    *,
    handle: str | None = None,
    email: str | None = None,
    display_name: str | None = None,
    password: str = PASSWORD,
    account_type: AccountType = AccountType.DESIGNER,
    status: UserStatus = UserStatus.ACTIVE,
    staff_role: StaffRole = StaffRole.NONE,
    verified: bool = True,
    **profile: Any,
) -> User:
    """A user with a profile; active and verified unless told otherwise. Flushed, not committed.

    A thin wrapper of `demo.build.person` with the tests' defaults; other keywords are the
    profile's columns."""
    n = next(_seq)
    handle = handle or f"person-{n}"
    now = utcnow()
    fields: dict[str, Any] = {}
    if status == UserStatus.SUSPENDED:
        fields["status_reason"] = profile.pop("status_reason", "Spam in messages.")
        fields["suspended_until"] = profile.pop("suspended_until", now + timedelta(days=7))
    if status == UserStatus.REJECTED:
        fields["status_reason"] = profile.pop("status_reason", "The portfolio is empty.")
    if account_type == AccountType.ORGANISER:
        profile.setdefault("organisation", f"Studio {n}")
        profile["verified_at"] = now if status == UserStatus.ACTIVE else None
    return build.person(
        handle=handle,
        email=email,
        display_name=display_name or f"Person {n}",
        password_hash=hash_password(password),
        account_type=account_type,
        status=status,
        staff_role=staff_role,
        verified=verified,
        email_verified_at=now,
        created_at=now - timedelta(days=30),
        profile=profile,
        **fields,
    )


def session_token_for(user: User) -> str:
    """Start a server-side session for a user (as log-in does) and return its token."""
    token = services.start_session(user, user_agent="pytest")
    db.session.commit()
    return token


# ---------- Rich data: what real people fill in ----------

LONG_VI_NAME = "Tôn Nữ Thị Phương Thảo Nguyễn-Hoàng"
MARKDOWN_BIO = (
    "**Nhà thiết kế đồ hoạ** ở Huế, làm _bao bì bền vững_ và chữ Việt.\n\n"
    "- Giấy dó, mực tàu\n"
    "- Typography cho biển hiệu phố cổ\n\n"
    "Xem thêm: [hồ sơ cũ](https://example.org/ho-so) · `#chữ-việt`"
)
MARKDOWN_PROJECT = (
    "## Ý tưởng\n\n"
    "Bộ nhận diện cho một **xưởng gốm Bát Tràng**: men rạn, _màu lam_.\n\n"
    "1. Khảo sát\n2. Phác thảo\n3. In lụa\n\n"
    "> Gốm là đất nói bằng lửa.\n\n"
    "[Quy trình](https://example.org/quy-trinh)"
)
AVATAR_SIDE = 480  # above the largest avatar width (400), so every variant exists


# Re-encoding an avatar takes a few hundred milliseconds on a busy machine: each colour goes
# through the real pipeline once per run, then its files are written again for each test.
_AVATARS: dict[tuple[int, int, int], ProcessedImage] = {}


def give_avatar(user: User, colour: tuple[int, int, int] = (32, 96, 160)) -> str:
    """A real avatar from the image pipeline (every width exists); returns its key."""
    profile = db.session.scalar(select(DesignerProfile).where(DesignerProfile.user_id == user.id))
    assert profile is not None, f"{user.handle} has no designer profile"
    if colour not in _AVATARS:
        _AVATARS[colour] = process_image(
            image_bytes(AVATAR_SIDE, AVATAR_SIDE, colour=colour), widths=AVATAR_WIDTHS, square=True
        )
    processed = _AVATARS[colour]
    key = f"a/{processed.digest[:2]}/{processed.digest}"
    storage = get_storage()
    for variant in processed.variants:
        storage.save(f"{key}/{variant.name}", variant.data)
    profile.avatar_key = key
    db.session.flush()
    return key


def some_disciplines(n: int = 3) -> list[Discipline]:
    return list(db.session.scalars(select(Discipline).order_by(Discipline.position).limit(n)))


def make_full_designer(
    *,
    handle: str | None = None,
    display_name: str = LONG_VI_NAME,
    locale: str | None = "vi",
    timezone: str | None = "Asia/Ho_Chi_Minh",
    projects: int = 2,
    images: int = 2,
    colour: tuple[int, int, int] = (32, 96, 160),
    **kw: Any,
) -> User:
    """A designer with everything filled: long Vietnamese name, Markdown bio, avatar, links,
    disciplines, birth date, language and time zone, and published projects with stored
    images, Markdown descriptions, tags and credits. Flushed and indexed, not committed."""
    kw.setdefault("city", "Huế")
    kw.setdefault("country", "VN")
    user = make_user(
        handle=handle,
        display_name=display_name,
        bio=kw.pop("bio", MARKDOWN_BIO),
        birth_date=kw.pop("birth_date", date(1999, 5, 17)),
        available_for_work=kw.pop("available_for_work", True),
        links=kw.pop("links", ["https://example.org/thao", "https://instagram.com/thao.design"]),
        **kw,
    )
    user.locale = locale
    user.timezone = timezone
    profile = db.session.scalar(select(DesignerProfile).where(DesignerProfile.user_id == user.id))
    assert profile is not None
    disciplines = some_disciplines()
    profile.disciplines = disciplines
    give_avatar(user, colour)
    for n in range(projects):
        make_project(
            user,
            title=f"Gốm men rạn Bát Tràng — tập {n + 1}",
            images=images,
            stored=True,
            description=MARKDOWN_PROJECT,
            year=2020 + n,
            tags=["gốm", "nhận diện", "bền vững"],
            credits="Ảnh: **Lê Văn Tám**; in lụa: xưởng _Hồng Hà_",
            discipline_ids=[d.id for d in disciplines],
        )
    reindex_designer(user)
    db.session.flush()
    return user


def make_full_organiser(*, handle: str | None = None, **kw: Any) -> User:
    """A verified organiser with every profile field, Markdown in the description."""
    locale = kw.pop("locale", "fr")
    user = make_user(
        handle=handle,
        display_name=kw.pop("display_name", "Trung tâm Thiết kế Sáng tạo Hà Nội"),
        account_type=AccountType.ORGANISER,
        organisation=kw.pop(
            "organisation", "Trung tâm Thiết kế Sáng tạo Hà Nội (Hanoi Creative Design Centre)"
        ),
        website=kw.pop("website", "https://example.org/hcdc"),
        description=kw.pop(
            "description",
            "Chúng tôi tổ chức **Lễ hội Thiết kế Sáng tạo Hà Nội** mỗi năm.\n\n"
            "- Triển lãm\n- Hội thảo\n\n[Trang chủ](https://example.org/hcdc)",
        ),
        city=kw.pop("city", "Hà Nội"),
        country=kw.pop("country", "VN"),
        **kw,
    )
    user.locale = locale
    user.timezone = "Asia/Ho_Chi_Minh"
    build.give_logo(
        user.organiser_profile,
        image_bytes(480, 240, colour=(176, 48, 42)),
        "Hoa sen đỏ trên tên Trung tâm",
    )
    db.session.flush()
    return user

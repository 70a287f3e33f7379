"""Demo people: designers across the region's cities, organisers, staff and a pending designer."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.accounts.passwords import hash_password
from app.db_types import utcnow
from app.extensions import db
from app.profiles.models import Discipline
from app.text import slugify
from demo import artworks, build

DEMO_PASSWORD = "demo-pass-2019"  # noqa: S105 (the documented demo log-in)

# (name, city, country) as the people of each place write them.
DESIGNERS: list[tuple[str, str, str]] = [
    ("Nguyễn Thị Mai", "Hà Nội", "VN"),
    ("Trần Minh Đức", "Hà Nội", "VN"),
    ("Lê Hoàng Anh", "Thành phố Hồ Chí Minh", "VN"),
    ("Phạm Thu Hà", "Hà Nội", "VN"),
    ("Vũ Quốc Bảo", "Đà Nẵng", "VN"),
    ("Đặng Ngọc Lan", "Huế", "VN"),
    ("Bùi Thanh Tùng", "Hà Nội", "VN"),
    ("Đỗ Khánh Linh", "Thành phố Hồ Chí Minh", "VN"),
    ("Hoàng Gia Huy", "Hải Phòng", "VN"),
    ("Ngô Phương Thảo", "Hà Nội", "VN"),
    ("Dương Nhật Minh", "Cần Thơ", "VN"),
    ("Lý Bảo Ngọc", "Thành phố Hồ Chí Minh", "VN"),
    ("Trịnh Hải Yến", "Hà Nội", "VN"),
    ("Phan Văn Khoa", "Đà Nẵng", "VN"),
    ("Võ Thị Hồng Nhung", "Huế", "VN"),
    ("Đinh Tuấn Kiệt", "Hà Nội", "VN"),
    ("Mai Anh Thư", "Thành phố Hồ Chí Minh", "VN"),
    ("Cao Đức Thịnh", "Hà Nội", "VN"),
    ("Tạ Thuỳ Dương", "Hội An", "VN"),
    ("Hồ Ngọc Trâm", "Thành phố Hồ Chí Minh", "VN"),
    ("Lương Thế Vinh", "Hà Nội", "VN"),
    ("Kiều Minh Châu", "Đà Lạt", "VN"),
    ("Nông Thị Xuân", "Lào Cai", "VN"),
    ("Quách Tường Vy", "Hà Nội", "VN"),
    ("Siriporn Chaiyaporn", "Bangkok", "TH"),
    ("Thanawat Srisuk", "Bangkok", "TH"),
    ("Naphat Wongsakul", "Chiang Mai", "TH"),
    ("Putri Ayu Lestari", "Jakarta", "ID"),
    ("Dimas Pratama", "Bandung", "ID"),
    ("Intan Permatasari", "Jakarta", "ID"),
    ("Maria Isabel Santos", "Manila", "PH"),
    ("Jose Miguel Reyes", "Cebu", "PH"),
    ("Nurul Aisyah binti Hassan", "Kuala Lumpur", "MY"),
    ("Tan Wei Ling", "Singapore", "SG"),
    ("Sokha Chan", "Phnom Penh", "KH"),
    ("Kham Phommachanh", "Vientiane", "LA"),
    ("Thiri Aung", "Yangon", "MM"),
    ("Camille Lefèvre", "Lyon", "FR"),
    ("Théo Giraud", "Saint-Étienne", "FR"),
    ("Élodie Martin", "Lyon", "FR"),
    ("Jeon Ha-eun", "Seoul", "KR"),
    ("Sato Yui", "Kobe", "JP"),
    ("Zoé Tremblay", "Montréal", "CA"),
    ("Lucía Fernández", "Bilbao", "ES"),
    ("Chen Jia Hui", "Shenzhen", "CN"),
    # A long name, as many are: every page that shows a name must hold it (a juror too).
    ("Tôn Nữ Thị Phương Thảo Nguyễn-Hoàng", "Huế", "VN"),
    ("Aditi Rao", "Bengaluru", "IN"),  # the last one is the demo's suspended person
]

ORGANISERS: list[tuple[str, str, str, str, str]] = [
    # (email local part, person, organisation, website, city)
    (
        "organiser",
        "Nguyễn Hồng Quân",
        "Trung tâm Thiết kế Sáng tạo Hà Nội",
        "https://example.org/hcdc",
        "Hà Nội",
    ),
    (
        "festival",
        "Lê Thị Thu Trang",
        "Lễ hội Thiết kế Sáng tạo Hà Nội",
        "https://example.org/festival",
        "Hà Nội",
    ),
    (
        "studio-lyon",
        "Antoine Rousseau",
        "Atelier Confluence Lyon",
        "https://example.org/confluence",
        "Lyon",
    ),
    (
        "bangkok-week",
        "Pimchanok Suwan",
        "Bangkok Design Week",
        "https://example.org/bkkdw",
        "Bangkok",
    ),
]

# Each organisation's own words (Markdown), its logo (artwork kind, palette) and the logo's
# description, in the order of ORGANISERS.
ORGANISATION_DETAILS: list[tuple[str, tuple[str, int], str]] = [
    (
        "Trung tâm Thiết kế Sáng tạo Hà Nội hỗ trợ các nhà thiết kế trẻ của thành phố: "
        "**triển lãm**, xưởng thực hành và các cuộc thi mở cho sinh viên và người mới ra trường."
        "\n\n- Không gian trưng bày tại phố cổ\n- Chương trình cố vấn hằng năm",
        ("lacquer", 0),
        "Biểu tượng sơn mài đỏ và vàng của Trung tâm",
    ),
    (
        "Lễ hội Thiết kế Sáng tạo Hà Nội mở cửa các không gian di sản của thành phố cho thiết kế "
        "đương đại mỗi mùa thu. Chúng tôi tìm *tác phẩm sắp đặt*, áp phích và đồ vật cho lễ hội.",
        ("arches", 3),
        "Dãy vòm chàm và đỏ, biểu tượng của Lễ hội",
    ),
    (
        "L'Atelier Confluence accueille chaque année des designers en **résidence** à Lyon, "
        "en lien avec le réseau des Villes créatives de l'UNESCO.",
        ("concentric", 2),
        "Cercles concentriques jade et terre cuite, logo de l'Atelier",
    ),
    (
        "Bangkok Design Week brings designers, makers and neighbourhoods together for nine days "
        "of exhibitions and talks across the city.",
        ("truchet", 4),
        "Orange and cream tiles forming the festival's mark",
    ),
]

PENDING_BIO = "Sinh viên năm cuối ngành thiết kế đồ hoạ."

# A crowd's names and cities, combined by the benchmark (bench/data.py) for its 100,000 designers.
CROWD_CITIES = [
    ("Hà Nội", "VN"), ("Thành phố Hồ Chí Minh", "VN"), ("Đà Nẵng", "VN"), ("Huế", "VN"),
    ("Bangkok", "TH"), ("Jakarta", "ID"), ("Manila", "PH"), ("Lyon", "FR"), ("Kuala Lumpur", "MY"),
]  # fmt: skip
FAMILY_NAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
]  # fmt: skip
GIVEN_NAMES = [
    "Mai", "Lan", "Minh", "Anh", "Hà", "Đức", "Thảo", "Huy", "Ngọc", "Tùng", "Linh", "Bảo",
]  # fmt: skip

BIOS = [
    "Tôi làm việc với giấy dó, mực tàu và những con chữ Việt.",
    "Designer between Hà Nội and the world, interested in craft villages and their futures.",
    "Je dessine des objets simples pour des vies denses.",
    "Product designer. Bamboo, rattan and recycled plastics.",
    "Nhà thiết kế đồ hoạ, yêu thích kiểu chữ và áp phích cổ động.",
    "Illustrator of city streets, food stalls and the people in between.",
]


def _handle_for(name: str, taken: set[str]) -> str:
    base = slugify(name, 26) or "designer"
    handle, n = base, 2
    while handle in taken:
        handle, n = f"{base}-{n}", n + 1
    taken.add(handle)
    return handle


def load(context: dict[str, Any]) -> dict[str, int]:
    """Create the demo accounts; the demo log-ins all use DEMO_PASSWORD."""
    rng = random.Random(2019)
    pw = hash_password(DEMO_PASSWORD)
    now = utcnow()
    disciplines = list(db.session.scalars(select(Discipline).order_by(Discipline.position)))
    taken: set[str] = set()
    designers: list[User] = []

    def person(email: str, name: str, days_ago: int, **extra: Any) -> User:
        created = now - timedelta(days=days_ago, hours=rng.randint(0, 23))
        handle = extra.pop("handle", None) or _handle_for(name, taken)
        taken.add(handle)
        return build.person(
            email=email,
            handle=handle,
            display_name=name,
            password_hash=pw,
            created_at=created,
            last_active_at=now - timedelta(hours=rng.randint(1, 24 * 30)),
            **extra,
        )

    for i, (name, city, country) in enumerate(DESIGNERS):
        email = "designer@example.org" if i == 0 else f"{slugify(name, 40)}@example.org"
        created = now - timedelta(days=400 - i * 7, hours=rng.randint(0, 23))
        handle = _handle_for(name, taken)
        user = build.person(
            email=email,
            handle=handle,
            display_name=name,
            password_hash=pw,
            created_at=created,
            last_active_at=now - timedelta(hours=rng.randint(1, 24 * 30)),
            profile={
                "birth_date": date(
                    1990 + rng.randint(0, 14), rng.randint(1, 12), rng.randint(1, 28)
                ),
                "bio": rng.choice(BIOS),
                "city": city,
                "country": country,
                "available_for_work": rng.random() < 0.4,
                "links": [f"https://example.org/{handle}"],
                "disciplines": rng.sample(disciplines, k=min(len(disciplines), rng.randint(1, 3))),
            },
        )
        designers.append(user)

    pending = person(
        "pending@example.org",
        "Trương Thị Bích",
        2,
        status=UserStatus.PENDING,
        profile={
            "bio": PENDING_BIO,
            "city": "Hà Nội",
            "country": "VN",
        },
    )

    organisers: list[User] = []
    for (local, name, org, site, city), (about, (kind, palette), alt) in zip(
        ORGANISERS, ORGANISATION_DETAILS, strict=True
    ):
        user = person(
            f"{local}@example.org",
            name,
            500,
            handle=slugify(org, 30),
            account_type=AccountType.ORGANISER,
            profile={
                "organisation": org,
                "website": site,
                "city": city,
                "country": "FR" if city == "Lyon" else "TH" if city == "Bangkok" else "VN",
                "description": about,
                "contact_email": f"{local}@example.org",
                "show_contact_email": local != "organiser",
            },
        )
        logo, _alt_vi, _alt_en = artworks.draw(kind, palette, seed=len(organisers), size=(480, 480))
        build.give_logo(user.organiser_profile, logo, alt)
        organisers.append(user)

    staff = {"city": "Hà Nội", "country": "VN"}
    moderator = person(
        "moderator@example.org",
        "Phạm Minh Khang",
        600,
        staff_role=StaffRole.MODERATOR,
        profile=staff,
    )
    admin = person(
        "admin@example.org", "Đào Thị Hạnh", 700, staff_role=StaffRole.ADMIN, profile=staff
    )

    context.update(
        designers=designers,
        organisers=organisers,
        moderator=moderator,
        admin=admin,
        pending=[pending],
        rng=rng,
    )
    return {"designers": len(designers), "organisers": len(organisers)}

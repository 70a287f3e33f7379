"""Demo step: profiles filled in, and projects with generated images for every designer.

A small pool of artworks is drawn and stored once (content-hash names), then shared by the
projects' image rows: the demo loads in seconds and still looks like a network of work.
"""

from __future__ import annotations

import random
from typing import Any

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.media.services import StoredImage, store_image
from app.portfolios import services
from app.portfolios.models import Project
from demo import build
from demo.artworks import KINDS, draw

# (title, description, tags, kinds of artwork that fit)
PROJECTS: list[tuple[str, str, list[str], list[str]]] = [
    (
        "Áp phích Lễ hội Thiết kế Sáng tạo",
        "Bộ áp phích cho **Lễ hội Thiết kế Sáng tạo Hà Nội**: hình tròn đỏ son, chữ Việt in đậm.",
        ["áp phích", "poster", "typography"],
        ["poster", "concentric"],
    ),
    (
        "Sơn mài đương đại",
        "Những tấm *sơn mài* nhiều lớp, mài tay, với vàng lá và vỏ trứng.",
        ["sơn mài", "lacquer", "craft"],
        ["lacquer", "concentric"],
    ),
    (
        "Gạch bông phố cổ",
        "Hoa văn gạch bông lấy cảm hứng từ những ngôi nhà ống ở phố cổ Hà Nội.",
        ["gạch bông", "pattern", "tiles"],
        ["truchet", "weave"],
    ),
    (
        "Thổ cẩm mới",
        "Textile collection with weavers from Lào Cai: natural indigo, hemp and new patterns.",
        ["textile", "thổ cẩm", "indigo"],
        ["weave", "truchet"],
    ),
    (
        "Gốm Bát Tràng hôm nay",
        "Một bộ bình gốm men lam, làm cùng nghệ nhân làng Bát Tràng.",
        ["gốm", "ceramics", "bát tràng"],
        ["vessel", "concentric"],
    ),
    (
        "Façades du vieux quartier",
        "Relevés et interprétations graphiques des façades de Hội An et de Hà Nội.",
        ["architecture", "façade", "drawing"],
        ["arches", "poster"],
    ),
    (
        "Nhận diện quán cà phê Ngõ",
        "Brand identity for a coffee house in a Hà Nội alley: logo, cups, signage.",
        ["branding", "identity", "cà phê"],
        ["poster", "arches", "truchet"],
    ),
    (
        "Night market lights",
        "Lighting study for a riverside night market: warm lanterns, low glare.",
        ["lighting", "lantern", "public space"],
        ["concentric", "lacquer"],
    ),
    (
        "Bộ chữ Hà Nội",
        "Một bộ phông chữ hiển thị có dấu tiếng Việt đầy đủ, lấy cảm hứng từ biển hiệu cũ.",
        ["typeface", "kiểu chữ", "signage"],
        ["poster", "weave"],
    ),
    (
        "Mây tre đan",
        "Furniture in rattan and bamboo, designed for small city apartments.",
        ["rattan", "furniture", "mây tre"],
        ["weave", "vessel"],
    ),
]

DESCRIPTION_TAIL = "\n\nDự án thực hiện tại {city}. [Xem thêm](https://example.org/{handle})."
POOL_SIZE = 21  # 7 kinds × 3 palettes


def _pool() -> dict[str, list[tuple[StoredImage, str]]]:
    """Draw and store the artworks once; each kind gets a few palettes."""
    pool: dict[str, list[tuple[StoredImage, str]]] = {kind: [] for kind in KINDS}
    n = 0
    for kind in KINDS:
        for palette in range(3):
            data, alt_vi, _alt_en = draw(kind, palette + n % 3, seed=2019 + n)
            pool[kind].append((store_image(data, kind="p"), alt_vi))
            n += 1
    return pool


def load(context: dict[str, Any]) -> dict[str, int]:
    """Projects for every active designer, a draft for the pending one; all indexed."""
    rng: random.Random = context.get("rng") or random.Random(2019)
    pool = _pool()
    designers: list[User] = context.get("designers", [])
    now = utcnow()
    projects = images = 0
    for index, user in enumerate(designers):
        profile = services.profile_for(user)
        # The first designer is the documented demo log-in: give them a full portfolio.
        chosen = rng.sample(PROJECTS, k=5 if index == 0 else rng.randint(2, 4))
        for number, (title, description, tags, kinds) in enumerate(chosen):
            year = 2026 - rng.randint(0, 5)
            credits = rng.choice(
                ["", "Ảnh: Studio Ngõ", "Photos: Lê Minh", "Với nhóm Nhà Sáng Tạo"]
            )
            published_at = now.replace(microsecond=0) - services.days(
                index * 3 + number * 17 + rng.randint(0, 9)
            )
            appreciations = rng.randint(0, 60)
            count = rng.randint(3, 5)
            pictures = []
            for position in range(count):
                stored, alt = rng.choice(pool[kinds[position % len(kinds)]])
                caption = rng.choice(["", "", "Chi tiết", "Bản in thử", "Detail"])
                pictures.append(build.Picture(stored, alt, caption))
            build.project(
                user,
                title=title,
                description=description
                + DESCRIPTION_TAIL.format(city=profile.city or "Hà Nội", handle=user.handle),
                year=year,
                tags=tags,
                credits=credits,
                published_at=published_at,
                disciplines=list(profile.disciplines[:2]),
                appreciation_count=appreciations,
                pictures=pictures,
            )
            projects += 1
            images += count
        db.session.flush()
        services.reindex_designer(user, profile)
    db.session.flush()
    for project in db.session.scalars(db.select(Project)):
        services.reindex_project(project)
    for pending in context.get("pending", []):
        build.project(
            pending,
            title="Đồ án tốt nghiệp",
            slug="do-an-tot-nghiep",
            description="Bản nháp.",
            is_published=False,
        )
        services.reindex_designer(pending)
    db.session.flush()
    return {"projects": projects, "project images": images, "artworks": POOL_SIZE}

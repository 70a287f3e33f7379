"""The seeded list of design disciplines (slug, English, Vietnamese, French).

The initial migration inserts this list; admins edit names later. Kept here as the reference.
"""

from __future__ import annotations

DISCIPLINES: list[tuple[str, str, str, str]] = [
    ("graphic", "Graphic design", "Thiết kế đồ hoạ", "Design graphique"),
    (
        "product",
        "Product and industrial design",
        "Thiết kế sản phẩm và công nghiệp",
        "Design produit et industriel",
    ),
    ("fashion", "Fashion design", "Thiết kế thời trang", "Design de mode"),
    ("textile", "Textile design", "Thiết kế dệt may", "Design textile"),
    ("interior", "Interior design", "Thiết kế nội thất", "Architecture d'intérieur"),
    (
        "spatial",
        "Spatial design and architecture",
        "Thiết kế không gian và kiến trúc",
        "Design d'espace et architecture",
    ),
    (
        "ux-ui",
        "UX/UI and digital design",
        "Thiết kế UX/UI và kỹ thuật số",
        "Design UX/UI et numérique",
    ),
    ("motion", "Motion design", "Thiết kế chuyển động", "Motion design"),
    ("illustration", "Illustration", "Minh hoạ", "Illustration"),
    (
        "typography",
        "Typography and type design",
        "Kiểu chữ và thiết kế phông chữ",
        "Typographie et création de caractères",
    ),
    (
        "crafts",
        "Crafts and folk art",
        "Thủ công và nghệ thuật dân gian",
        "Artisanat et arts populaires",
    ),
    ("furniture", "Furniture design", "Thiết kế đồ nội thất", "Design de mobilier"),
    ("jewellery", "Jewellery design", "Thiết kế trang sức", "Design de bijoux"),
    ("lighting", "Lighting design", "Thiết kế chiếu sáng", "Conception lumière"),
    ("service", "Service design", "Thiết kế dịch vụ", "Design de services"),
    ("game", "Game design", "Thiết kế trò chơi", "Game design"),
    ("packaging", "Packaging design", "Thiết kế bao bì", "Design d'emballage"),
    ("branding", "Brand identity", "Nhận diện thương hiệu", "Identité de marque"),
    ("photography", "Photography", "Nhiếp ảnh", "Photographie"),
    ("ceramics", "Ceramics", "Gốm", "Céramique"),
    (
        "urban",
        "Urban and landscape design",
        "Thiết kế đô thị và cảnh quan",
        "Design urbain et paysager",
    ),
    (
        "exhibition",
        "Exhibition and scenography",
        "Thiết kế triển lãm và sân khấu",
        "Design d'exposition et scénographie",
    ),
]

"""Generated artworks for the demo: geometric compositions drawn with Pillow, nothing downloaded.

Each function draws one kind of picture from a palette and a random generator, so the demo is
deterministic and believable without shipping or fetching photographs.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter

Palette = tuple[str, str, str, str]  # background, main, second, accent

PALETTES: list[Palette] = [
    ("#f3ebe0", "#b0302a", "#1d1b19", "#d9a441"),  # lacquer red, ink, gold on paper
    ("#1d1b19", "#d9a441", "#b0302a", "#f3ebe0"),  # gold on black lacquer
    ("#e8efe9", "#1f6b5c", "#0f2f3a", "#e07a3f"),  # jade and terracotta
    ("#f6e3df", "#2e4a8c", "#b0302a", "#f2c14e"),  # indigo, red, yellow
    ("#101820", "#f2aa4c", "#e8e2d6", "#5f8d89"),  # night market
    ("#efe7da", "#7a4e2d", "#c98b5b", "#2b2a28"),  # clay and rattan
]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def poster(size: tuple[int, int], p: Palette, rng: random.Random) -> Image.Image:
    w, h = size
    image = Image.new("RGB", size, _rgb(p[0]))
    d = ImageDraw.Draw(image)
    r = int(min(w, h) * rng.uniform(0.28, 0.38))
    cx, cy = int(w * rng.uniform(0.35, 0.65)), int(h * rng.uniform(0.3, 0.5))
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_rgb(p[1]))
    for i in range(rng.randint(3, 6)):
        y = int(h * 0.62) + i * int(h * 0.05)
        d.rectangle(
            (int(w * 0.1), y, int(w * rng.uniform(0.4, 0.9)), y + int(h * 0.022)), fill=_rgb(p[2])
        )
    d.rectangle(
        (int(w * 0.1), int(h * 0.1), int(w * 0.1) + int(w * 0.06), int(h * 0.1) + int(w * 0.06)),
        fill=_rgb(p[3]),
    )
    d.polygon([(w, h), (w, int(h * 0.7)), (int(w * 0.75), h)], fill=_rgb(p[3]))
    return image


def lacquer(size: tuple[int, int], p: Palette, rng: random.Random) -> Image.Image:
    w, h = size
    dark = min(p, key=lambda c: sum(_rgb(c)))
    image = Image.new("RGB", size, _rgb(dark))
    d = ImageDraw.Draw(image)
    for _ in range(7):
        x, y, r = rng.randint(0, w), rng.randint(0, h), rng.randint(int(h * 0.15), int(h * 0.45))
        d.ellipse((x - r, y - r, x + r, y + r), fill=_rgb(p[rng.choice([1, 2])]))
    image = image.filter(ImageFilter.GaussianBlur(radius=w / 18))
    d = ImageDraw.Draw(image)
    gold = _rgb(p[3])
    for _ in range(260):
        x, y = rng.randint(0, w), rng.randint(0, h)
        s = rng.randint(2, 9)
        d.polygon([(x, y - s), (x + s, y), (x, y + s), (x - s, y)], fill=gold)
    return image


def truchet(size: tuple[int, int], p: Palette, rng: random.Random) -> Image.Image:
    w, h = size
    cell = w // rng.choice([8, 10, 12])
    image = Image.new("RGB", size, _rgb(p[0]))
    d = ImageDraw.Draw(image)
    for gx in range(0, w, cell):
        for gy in range(0, h, cell):
            tile = Image.new("RGB", (cell, cell), _rgb(p[0]))
            td = ImageDraw.Draw(tile)
            colour = _rgb(p[1] if (gx // cell + gy // cell) % 3 else p[2])
            corner = rng.randint(0, 3)
            ox = cell if corner in (1, 2) else 0
            oy = cell if corner in (2, 3) else 0
            td.ellipse((ox - cell, oy - cell, ox + cell, oy + cell), fill=colour)
            if rng.random() < 0.12:
                td.ellipse((cell // 3, cell // 3, 2 * cell // 3, 2 * cell // 3), fill=_rgb(p[3]))
            image.paste(tile, (gx, gy))
    d.rectangle((0, 0, w - 1, h - 1), outline=_rgb(p[0]), width=2)
    return image


def concentric(size: tuple[int, int], p: Palette, rng: random.Random) -> Image.Image:
    w, h = size
    image = Image.new("RGB", size, _rgb(p[0]))
    d = ImageDraw.Draw(image)
    cx, cy = int(w * rng.uniform(0.3, 0.7)), int(h * rng.uniform(0.3, 0.7))
    step = int(min(w, h) * 0.045)
    for i, r in enumerate(range(int(max(w, h) * 1.1), 0, -step)):
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_rgb(p[1 + i % 3]))
    return image


def arches(size: tuple[int, int], p: Palette, rng: random.Random) -> Image.Image:
    w, h = size
    image = Image.new("RGB", size, _rgb(p[0]))
    d = ImageDraw.Draw(image)
    count = rng.randint(3, 5)
    span = w // count
    for i in range(count):
        x0, x1 = i * span + span // 8, (i + 1) * span - span // 8
        top = int(h * rng.uniform(0.2, 0.45))
        colour = _rgb(p[1 + i % 3])
        d.rectangle((x0, top + (x1 - x0) // 2, x1, h), fill=colour)
        d.ellipse((x0, top, x1, top + (x1 - x0)), fill=colour)
    d.rectangle((0, int(h * 0.92), w, h), fill=_rgb(p[2]))
    return image


def weave(size: tuple[int, int], p: Palette, rng: random.Random) -> Image.Image:
    w, h = size
    image = Image.new("RGB", size, _rgb(p[0]))
    d = ImageDraw.Draw(image)
    band = w // rng.choice([16, 20, 24])
    for i, x in enumerate(range(0, w, band)):
        d.rectangle((x + 4, 0, x + band - 4, h), fill=_rgb(p[1 + i % 2]))
    for j, y in enumerate(range(0, h, band)):
        for i, x in enumerate(range(0, w, band)):
            if (i + j) % 2 == 0:
                d.rectangle(
                    (x, y + 4, x + band, y + band - 4), fill=_rgb(p[3 if j % 3 == 0 else 2])
                )
    return image


def vessel(size: tuple[int, int], p: Palette, rng: random.Random) -> Image.Image:
    w, h = size
    image = Image.new("RGB", size, _rgb(p[0]))
    d = ImageDraw.Draw(image)
    d.rectangle((0, int(h * 0.72), w, h), fill=_rgb(p[2]))
    cx, base = w // 2, int(h * 0.74)
    body = int(min(w, h) * rng.uniform(0.15, 0.18))
    colour = _rgb(p[1])
    # A vase: round body, narrow neck, flared rim; its shadow on the plinth.
    d.ellipse((cx - body * 1.4, base + 10, cx + body * 1.4, base + 50), fill=_rgb(p[0]))
    d.ellipse((cx - body, base - 2 * body, cx + body, base), fill=colour)
    neck = body // 3
    d.rectangle((cx - neck, base - int(body * 3.1), cx + neck, base - int(body * 1.6)), fill=colour)
    d.ellipse(
        (cx - neck * 2, base - int(body * 3.3), cx + neck * 2, base - int(body * 2.9)), fill=colour
    )
    y = base - body
    d.arc((cx - body, y - body, cx + body, y + body), 200, 340, fill=_rgb(p[3]), width=14)
    return image


KINDS: dict[
    str, tuple[Callable[[tuple[int, int], Palette, random.Random], Image.Image], str, str]
] = {
    "poster": (
        poster,
        "Áp phích hình học: một vầng tròn lớn trên nền giấy, các vạch chữ bên dưới",
        "Geometric poster",
    ),
    "lacquer": (
        lacquer,
        "Tấm sơn mài nhiều lớp với những mảnh vàng lấp lánh",
        "Layered lacquer panel with gold flakes",
    ),
    "truchet": (
        truchet,
        "Hoa văn gạch men ghép từ những cung tròn",
        "Tile pattern of quarter circles",
    ),
    "concentric": (
        concentric,
        "Những vòng tròn đồng tâm nhiều màu như vân gỗ",
        "Concentric coloured rings",
    ),
    "arches": (
        arches,
        "Dãy vòm cửa như mặt tiền phố cổ",
        "A row of arches like an old-quarter façade",
    ),
    "weave": (weave, "Mẫu dệt thổ cẩm với các dải màu đan xen", "Woven textile pattern"),
    "vessel": (vessel, "Chiếc bình gốm men trên bệ", "A glazed ceramic vase on a plinth"),
}


def draw(
    kind: str, palette: int, seed: int, size: tuple[int, int] = (1600, 1200)
) -> tuple[bytes, str, str]:
    """PNG bytes of one artwork, with a Vietnamese and an English description."""
    function, alt_vi, alt_en = KINDS[kind]
    image = function(size, PALETTES[palette % len(PALETTES)], random.Random(seed))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=1)
    return out.getvalue(), alt_vi, alt_en

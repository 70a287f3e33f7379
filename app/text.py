"""Text helpers: folding Vietnamese (and other) diacritics for search and handles."""

from __future__ import annotations

import re
import unicodedata

# đ/Đ are letters of their own, not a d with a mark, so NFKD does not fold them.
_EXTRA = str.maketrans(
    {"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "œ": "oe", "ß": "ss"}
)


def fold(text: str) -> str:
    """Lower-case text without diacritics: "Hà Nội" -> "ha noi", "đồ hoạ" -> "do hoa"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def slugify(text: str, max_length: int = 60) -> str:
    """A URL slug from any text: "Áo dài mới" -> "ao-dai-moi"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-")

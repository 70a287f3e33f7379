"""The shape of a media key: `<kind>/<2 hex>/<content hash>[/<variant>.webp|jpg]`."""

from __future__ import annotations

import re

KEY_RE = re.compile(r"^[a-z]/[0-9a-f]{2}/[0-9a-f]{16,64}(/[0-9a-z]+\.(webp|jpg))?$")


def valid_key(key: str) -> bool:
    """Only our own key shapes: no `..`, no absolute paths, no surprises."""
    return bool(KEY_RE.match(key))

"""A small in-process cache with a time to live, for numbers that may be a minute old.

Per worker process and never shared: only for values where staleness is harmless (counts on the
home page, the size of a directory), so that no page pays a COUNT(*) over every row each view.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_store: dict[str, tuple[float, Any]] = {}


def remember(key: str, ttl: float, compute: Callable[[], T]) -> T:
    """The cached value for `key`, computed again once it is older than `ttl` seconds."""
    now = time.monotonic()
    with _lock:
        hit = _store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute()
    with _lock:
        _store[key] = (now + ttl, value)
    return value


def forget(prefix: str = "") -> None:
    """Drop cached values whose key starts with `prefix` (everything by default)."""
    with _lock:
        for key in [k for k in _store if k.startswith(prefix)]:
            del _store[key]

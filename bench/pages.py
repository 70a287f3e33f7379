"""The pages the benchmark drives; each domain adds its own.

`path` gets the generation context (ids, sizes); `login` names a bench account
(`designer-0`, `organiser-0`, `bench-moderator`) or None for a visitor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    name: str
    path: Callable[[dict[str, Any]], str]
    login: str | None = None


PAGES: list[Page] = [
    Page("baseline", lambda c: "/_bench/baseline"),
    Page("home", lambda c: "/"),
    Page("log-in page", lambda c: "/auth/login"),
    Page("account settings", lambda c: "/auth/settings", login="designer-0"),
]

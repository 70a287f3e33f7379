"""The permission matrix: every route × every role → the expected status.

Each domain lists its routes in `tests/<domain>/routes.py` as `ROUTES: list[Route]`, and may
define `setup(world)` to create the objects its URLs need. `tests/test_permission_matrix.py`
fails when a route of `app.url_map` has no entry, so every new route must be added.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.accounts.models import User

ROLES = ("anonymous", "pending", "member", "organiser", "juror", "moderator", "admin", "suspended")

# Shorthands for the expected-status tables.
LOGIN = 302  # redirected to the log-in page


@dataclass
class World:
    """The people of the matrix (one per role) and the objects the domains set up."""

    users: dict[str, User]
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass
class Route:
    endpoint: str
    method: str
    url: Callable[[World], str] | str
    expect: dict[str, int]
    data: Callable[[World], dict[str, Any]] | None = None

    def path(self, world: World) -> str:
        return self.url(world) if callable(self.url) else self.url

    def statuses(self) -> dict[str, int]:
        missing = set(ROLES) - set(self.expect)
        assert not missing, f"{self.endpoint} {self.method}: no expectation for {sorted(missing)}"
        return self.expect


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """The same status for every role, with overrides."""
    table = dict.fromkeys(ROLES, status)
    table.update(overrides)
    return table


def logged_in(status: int, **overrides: int) -> dict[str, int]:
    """Anonymous and suspended people are sent to log in; the others get `status`."""
    return everyone(status, anonymous=LOGIN, suspended=LOGIN, **overrides)


def domain_modules() -> list[Any]:
    root = Path(__file__).parent
    modules = []
    for path in sorted(root.glob("*/routes.py")):
        modules.append(importlib.import_module(f"tests.{path.parent.name}.routes"))
    return modules


def all_routes() -> list[Route]:
    routes: list[Route] = []
    for module in domain_modules():
        routes.extend(module.ROUTES)
    return routes

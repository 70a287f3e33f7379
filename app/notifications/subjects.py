"""Whether a notification's subject still exists, asked of the domain whose pages it links to.

A notification stores only a link. When it is opened, the link's endpoint names a blueprint; the
domain of that blueprint may register a check (one cheap query on the page's arguments, e.g.
a call's slug) so that a deleted subject is told as "no longer available" rather than a bare 404.
Blueprints without a check are taken to exist (their page answers for itself).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

Exists = Callable[[dict[str, Any]], bool]
EXTENSION = "notification_subjects"


def register(app: Flask, blueprint: str, exists: Exists) -> None:
    """`exists(view_args)` tells whether the subject of a page of `blueprint` is still there."""
    app.extensions.setdefault(EXTENSION, {})[blueprint] = exists


def still_exists(endpoint: str, view_args: dict[str, Any]) -> bool:
    checks: dict[str, Exists] = current_app.extensions.get(EXTENSION, {})
    check = checks.get(endpoint.partition(".")[0])
    return check is None or check(view_args)

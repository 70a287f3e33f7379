"""Handles: the public name in URLs (/designers/<handle>)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

HANDLE_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,28})[a-z0-9]$")

# Words that would be confused with the site's own pages or with staff.
RESERVED = frozenset(
    [
        "about",
        "account",
        "accounts",
        "admin",
        "administrator",
        "api",
        "app",
        "auth",
        "blog",
        "call",
        "calls",
        "contact",
        "dashboard",
        "delete",
        "designer",
        "designers",
        "edit",
        "explore",
        "feed",
        "feeds",
        "healthz",
        "help",
        "home",
        "inbox",
        "login",
        "logout",
        "me",
        "media",
        "message",
        "messages",
        "mod",
        "moderation",
        "moderator",
        "new",
        "notifications",
        "null",
        "organiser",
        "organisers",
        "organizer",
        "privacy",
        "projects",
        "readyz",
        "register",
        "reset",
        "root",
        "search",
        "settings",
        "signup",
        "static",
        "staff",
        "submissions",
        "support",
        "system",
        "terms",
        "undefined",
        "unesco",
        "user",
        "users",
        "www",
        "ydn",
    ]
)


def normalise_handle(raw: str) -> str:
    return raw.strip().lower()


def handle_problem(handle: str) -> str | None:
    """Why a handle is refused, or None when its form is fine (uniqueness is checked apart)."""
    if not 3 <= len(handle) <= 30:
        return str(_l("A handle has 3 to 30 characters."))
    if not HANDLE_RE.match(handle):
        return str(
            _l(
                "Use only lower-case letters a–z, digits and hyphens, "
                "starting and ending with a letter or digit."
            )
        )
    if "--" in handle:
        return str(_l("A handle cannot contain two hyphens in a row."))
    if handle in RESERVED:
        return str(_l("This handle is reserved. Please choose another."))
    return None

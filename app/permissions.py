"""Permission helpers shared by every domain: require(), role decorators, template policies."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar

from flask import abort
from flask_login import current_user, login_required

F = TypeVar("F", bound=Callable[..., Any])


def require(allowed: bool, *, status: int = 403) -> None:
    """Refuse the request unless a policy allowed it (404 where existence itself is private)."""
    if not allowed:
        deny(status)


def deny(status: int = 403) -> NoReturn:
    abort(status)


def moderators_only(view: F) -> F:
    """Only moderators and admins (active accounts) may open this page."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        require(current_user.is_moderator)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def admins_only(view: F) -> F:
    """Only admins may open this page."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        require(current_user.is_admin)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def members_only(view: F) -> F:
    """Only active (approved) members may do this; pending people are told why."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        require(current_user.is_member)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]

"""Sign-up by invitation: a link another domain sent to an address leads through sign-up.

The sign-up form keeps its fields; the invitation's token travels beside them (a query
parameter, then a hidden field). The domain that sent the link registers how to read its token
(the address it was sent to, and a sentence for the top of the form) and what joining does
(e.g. seat the new person on a jury), from its own `register(app)`: accounts never imports it.
Signing up with the invited address proves the person reads that mailbox, so the address is
taken as confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import gettext as _

from app.accounts.models import User

EXTENSION = "signup_invitations"


@dataclass(frozen=True)
class Invitation:
    email: str  # the address the link was sent to, in its stored (normal) form
    lead: str  # what the person was invited to, shown above the form
    welcome: str  # told once they joined


class InvitationError(Exception):
    """The link cannot be used (malformed, expired, revoked, already used); says why."""


@dataclass(frozen=True)
class Handler:
    read: Callable[[str], Invitation]  # raises InvitationError
    redeem: Callable[[str, User], str]  # joins the new person; the URL they land on


def register(
    app: Flask,
    *,
    read: Callable[[str], Invitation],
    redeem: Callable[[str, User], str],
    prefix: str = "",
) -> None:
    """A kind of invitation sign-up knows. Each kind's tokens start with its own `prefix`
    (e.g. "n." for nominations); the kind without one (jury invitations) takes the rest."""
    app.extensions.setdefault(EXTENSION, {})[prefix] = Handler(read, redeem)


def _handler(token: str) -> Handler:
    handlers: dict[str, Handler] = current_app.extensions.get(EXTENSION, {})
    for prefix, handler in handlers.items():
        if prefix and token.startswith(prefix):
            return handler
    if "" not in handlers:
        raise InvitationError(_("This invitation link is not valid."))
    return handlers[""]


def read_invitation(token: str) -> Invitation:
    """What the link invites to; raises InvitationError with the reason in words."""
    return _handler(token).read(token)


def redeem_invitation(token: str, user: User) -> str:
    """Join the newly signed-up person (flushes); raises InvitationError if the link was used."""
    return _handler(token).redeem(token, user)

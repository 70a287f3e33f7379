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
    app: Flask, *, read: Callable[[str], Invitation], redeem: Callable[[str, User], str]
) -> None:
    """The one kind of invitation sign-up knows (jury invitations today)."""
    app.extensions[EXTENSION] = Handler(read, redeem)


def _handler() -> Handler:
    handler: Handler | None = current_app.extensions.get(EXTENSION)
    if handler is None:
        raise InvitationError(_("This invitation link is not valid."))
    return handler


def read_invitation(token: str) -> Invitation:
    """What the link invites to; raises InvitationError with the reason in words."""
    return _handler().read(token)


def redeem_invitation(token: str, user: User) -> str:
    """Join the newly signed-up person (flushes); raises InvitationError if the link was used."""
    return _handler().redeem(token, user)

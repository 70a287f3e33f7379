"""Signals other domains listen to, so that accounts need not import them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the User after a moderator (or the command line) approves them.
user_approved = _signals.signal("user-approved")

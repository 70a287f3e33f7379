"""Signals other domains listen to, so that calls need not import them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the OpenCall once a draft is published (in the publishing transaction, flushed):
# alerts match it.
call_published = _signals.signal("call-published")

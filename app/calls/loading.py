"""A call named in a URL, loaded for the person asking, or 404: one rule for every calls view
(a call one may not see, or may not manage, does not exist for them)."""

from __future__ import annotations

from flask_login import current_user

from app.calls import policies, queries
from app.calls.models import OpenCall
from app.permissions import require


def call_or_404(slug: str) -> OpenCall:
    call = queries.load_call(slug)
    require(call is not None and policies.can_view_call(current_user, call), status=404)
    assert call is not None
    return call


def managed_call_or_404(slug: str) -> OpenCall:
    call = queries.load_call(slug)
    # 404, not 403: another organiser's drafts and submissions are none of our business.
    require(call is not None and policies.can_manage_call(current_user, call), status=404)
    assert call is not None
    return call

"""Pages of jury invitations for the accessibility sweep (tests/browser/test_accessibility.py).

The pages only an emailed link opens (`/jury/join/<token>`, sign-up with an invitation) are
checked with axe in tests/browser/test_jury_invitation_journey.py.
"""

from __future__ import annotations

from tests.browser.world import SitePage

A11Y_PAGES = [
    SitePage("jury invitation (accepted)", "/jury/invitations/{jury_invitation}", "juror"),
    SitePage("jury invitations waiting", "/me", "juror"),
    SitePage("jury approvals", "/jury/approvals", "moderator"),
]

"""Permission expectations for a person's home and the old address of "My applications".

Everyone logged in has a home (pending designers too: it tells them what waits); suspended
people cannot log in. `/submissions`, linked from emails already sent, redirects everyone: to
the log-in page first, then to the home's section."""

from __future__ import annotations

from tests.permissions import Route, everyone, logged_in

ROUTES = [
    Route("home.me", "GET", "/me", logged_in(200)),
    Route("home.old_submissions", "GET", "/submissions", everyone(302)),
]

"""Development and tests: deliver what a request queued once its answer has gone out.

Production runs `flask mail worker`; without one (`make run`, the test servers) the emails a
request queued are sent after the response, never inside the request, so that how long a page
takes never tells whether an email was sent (a known address in the reset form, say).

"After the response" is the response's close, with a watchdog behind it: Werkzeug's server skips
the close when the browser resets the connection while the server drains it (a
`ConnectionResetError` in `run_wsgi`), and an email then sat in the outbox until some later
request queued another. The watchdog thread delivers if no close came within a moment. Both may
run: one lock per process and the outbox's own state make the second a no-op, so nothing is sent
twice (SQLite has no row locks to do that).
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, Response, g

from app.extensions import db
from app.mail.services import deliver_due

log = logging.getLogger("app.mail")

# How long the watchdog waits for the response's close before delivering by itself.
CLOSE_GRACE_SECONDS = 1.0

_delivering = threading.RLock()


def install(app: Flask) -> None:
    @app.after_request
    def send_queued(response: Response) -> Response:
        if g.get("mail_queued"):
            g.mail_queued = False
            closed = threading.Event()

            def on_close() -> None:
                closed.set()
                deliver_now(app)

            response.call_on_close(on_close)
            threading.Thread(
                target=_deliver_unless_closed, args=(app, closed), daemon=True, name="mail-watchdog"
            ).start()
        return response

    def send_left_over(exc: BaseException | None) -> None:
        # Work outside requests (flask messages send-digests renders in a test request
        # context; other commands in an app context): no response takes the emails, so they
        # go when that context ends.
        if exc is None and g.get("mail_queued"):
            g.mail_queued = False
            deliver_now(app)

    app.teardown_request(send_left_over)
    app.teardown_appcontext(send_left_over)


def _deliver_unless_closed(app: Flask, closed: threading.Event) -> None:
    if not closed.wait(CLOSE_GRACE_SECONDS):
        log.info("the response was never closed (connection reset?): delivering anyway")
        deliver_now(app)


def deliver_now(app: Flask) -> None:
    """Send what is due, one delivery at a time in this process."""
    with _delivering, app.app_context():
        try:
            deliver_due()
        except Exception:
            # Nobody is waiting for this answer any more: the email stays queued for the next try.
            log.exception("delivery after the response failed")
        finally:
            db.session.remove()

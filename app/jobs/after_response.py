"""Wake workers for what a request queued once its answer has gone out, never inside it.

A request that queued an email or a background job (an upload to resize, files to remove)
leaves that in `g`; once the response is closed, the wake-up happens: an RQ job (production)
or, without Redis (`make run`, tests), the work itself in this process. Never inside the
request, so that how long a page takes never tells whether an email was sent (a known address
in the reset form, say) or how big an upload was.

"After the response" is the response's close, with a watchdog behind it: Werkzeug's server skips
the close when the browser resets the connection while the server drains it (a
`ConnectionResetError` in `run_wsgi`), and an email then sat in the outbox until some later
request queued another. The watchdog thread wakes if no close came within a moment. Both may
fire: the first takes the work, the second finds none; the rows' own state (a claimed job, a
sent email) keeps a second run from doing anything twice.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from flask import Flask, Response, g

from app.extensions import db
from app.jobs import queue

log = logging.getLogger("app.jobs")

# How long the watchdog waits for the response's close before waking by itself.
CLOSE_GRACE_SECONDS = 1.0
WATCHDOG_NAME = "after-response-watchdog"

_running = threading.RLock()


@dataclass
class Work:
    mail: bool
    job_ids: list[int] = field(default_factory=list)
    taken: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> bool:
        with self.lock:
            if self.taken:
                return False
            self.taken = True
            return True


def _take_from_g() -> Work | None:
    mail = bool(g.get("mail_queued"))
    job_ids = list(g.get("jobs_woken") or [])
    if not mail and not job_ids:
        return None
    g.mail_queued = False
    g.jobs_woken = []
    return Work(mail=mail, job_ids=job_ids)


def install(app: Flask) -> None:
    @app.after_request
    def wake_after_response(response: Response) -> Response:
        work = _take_from_g()
        if work is not None:
            closed = threading.Event()

            def on_close() -> None:
                closed.set()
                run(app, work)

            response.call_on_close(on_close)
            threading.Thread(
                target=_run_unless_closed, args=(app, work, closed), daemon=True, name=WATCHDOG_NAME
            ).start()
        return response

    def left_over(exc: BaseException | None) -> None:
        # Work outside requests (commands render emails in a test request context; others run
        # in an app context): no response takes it, so it goes when that context ends.
        if exc is None:
            work = _take_from_g()
            if work is not None:
                run(app, work)

    app.teardown_request(left_over)
    app.teardown_appcontext(left_over)


def _run_unless_closed(app: Flask, work: Work, closed: threading.Event) -> None:
    if not closed.wait(CLOSE_GRACE_SECONDS):
        log.info("the response was never closed (connection reset?): waking anyway")
        run(app, work)


def run(app: Flask, work: Work) -> None:
    """Hand the work to the queue (or run it here), once, one at a time in this process."""
    if not work.take():
        return
    with _running, app.app_context():
        try:
            queue.dispatch(mail=work.mail, job_ids=work.job_ids)
        except Exception:
            # Nobody is waiting for this answer any more: the rows wait for the sweep.
            log.exception("work after the response failed")
        finally:
            db.session.remove()

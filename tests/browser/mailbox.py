"""The outbox of a live test server as a person's mail client shows it.

The server delivers after the answer has gone out (as in development: `app/jobs/after_response.py`),
so an email can land a moment after the page that queued it: every read waits for it, a few
seconds at most (the delivery thread, not the clock).
"""

from __future__ import annotations

import re
import time
from email.message import EmailMessage

from flask import Flask

from app.mail.backends import MemoryBackend

WAIT_SECONDS = 5


class Mail:
    """The outbox as a person's mail client shows it."""

    def __init__(self, app: Flask) -> None:
        backend = app.extensions["mail_backend"]
        assert isinstance(backend, MemoryBackend)
        self.outbox: list[EmailMessage] = backend.outbox

    def to(self, address: str, subject: str = "") -> list[EmailMessage]:
        return [m for m in self.outbox if m["To"] == address and subject in str(m["Subject"])]

    def wait(self, address: str, subject: str = "") -> list[EmailMessage]:
        """The emails to `address` whose subject holds `subject`, once at least one came."""
        deadline = time.monotonic() + WAIT_SECONDS
        found = self.to(address, subject)
        while not found and time.monotonic() < deadline:
            time.sleep(0.05)
            found = self.to(address, subject)
        return found

    def one(self, address: str, subject: str) -> EmailMessage:
        found = self.wait(address, subject)
        sent = [(m["To"], m["Subject"]) for m in self.outbox]
        assert len(found) == 1, f"{address}: {len(found)} × “{subject}” in {sent}"
        return found[0]

    @staticmethod
    def link(message: EmailMessage, base: str) -> str:
        body = message.get_body(("plain",))
        assert body is not None
        links = re.findall(r"https?://\S+", body.get_content())
        ours = [link for link in links if link.startswith(base)]
        assert ours, f"no link to {base} in: {body.get_content()}"
        return ours[0]


def last_link(app: Flask, to: str) -> str:
    """The first link of the newest email to `to` (waiting for one to arrive)."""
    messages = Mail(app).wait(to)
    assert messages, f"no email to {to}"
    body = messages[-1].get_body(("plain",))
    assert body is not None
    match = re.search(r"https?://\S+", body.get_content())
    assert match, body.get_content()
    return match.group(0)

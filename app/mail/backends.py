"""Ways to hand a message to the world: console (development), SMTP (production), memory (tests)."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage
from typing import Protocol

from flask import Flask


class MailBackend(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class ConsoleBackend:
    def send(self, message: EmailMessage) -> None:
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        print(
            f"\n----- email to {message['To']}: {message['Subject']}\n{text}\n-----",
            file=sys.stderr,
            flush=True,
        )


class MemoryBackend:
    """Keeps sent messages in a list, for tests to read."""

    def __init__(self) -> None:
        self.outbox: list[EmailMessage] = []
        self.fail_next = 0

    def send(self, message: EmailMessage) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise OSError("simulated delivery failure")
        self.outbox.append(message)


class SMTPBackend:
    def __init__(self, app: Flask) -> None:
        cfg = app.config
        self.host, self.port = cfg["SMTP_HOST"], cfg["SMTP_PORT"]
        self.user, self.password = cfg["SMTP_USER"], cfg["SMTP_PASSWORD"]
        self.starttls = cfg["SMTP_STARTTLS"]

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=20) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(message)


def make_backend(app: Flask) -> MailBackend:
    name = app.config["MAIL_BACKEND"]
    if name == "console":
        return ConsoleBackend()
    if name == "memory":
        return MemoryBackend()
    if name == "smtp":
        return SMTPBackend(app)
    raise ValueError(f"unknown MAIL_BACKEND {name!r}")

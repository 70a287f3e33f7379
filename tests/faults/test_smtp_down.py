"""SMTP down: emails stay queued, are retried with back-off, and are sent once it returns;
none lost, none sent twice. A real SMTP conversation with a small server on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask

from app.db_types import utcnow
from app.extensions import db
from app.mail.models import EmailStatus, OutgoingEmail
from app.mail.services import deliver_due, queue_email
from tests.factories import make_user
from tests.faults.conftest import closed_port


class SMTPServer:
    """Just enough SMTP (RFC 5321) to accept messages; started and stopped by the test."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[email.message.Message] = []
        self.sock: socket.socket | None = None

    def start(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._serve, args=(self.sock,), daemon=True).start()

    def stop(self) -> None:
        if self.sock is not None:
            self.sock.shutdown(socket.SHUT_RDWR)
            self.sock.close()
            self.sock = None

    def _serve(self, sock: socket.socket) -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            with conn, conn.makefile("rwb") as f:
                self._session(f)

    def _session(self, f: Any) -> None:
        def say(line: str) -> None:
            f.write(line.encode() + b"\r\n")
            f.flush()

        say("220 test.local ESMTP")
        while line := f.readline():
            verb = line.decode().strip().upper()
            if verb.startswith("EHLO"):
                say("250-test.local")
                say("250 8BITMIME")
            elif verb.startswith(("HELO", "MAIL", "RCPT", "RSET", "NOOP")):
                say("250 OK")
            elif verb == "DATA":
                say("354 go on")
                data = b""
                while (chunk := f.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.received.append(email.message_from_bytes(data, policy=email.policy.default))
                say("250 queued")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("500 what?")


@pytest.fixture
def smtp(make_app: Any) -> Iterator[tuple[Flask, SMTPServer]]:
    server = SMTPServer(closed_port())
    app = make_app(
        MAIL_BACKEND="smtp",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=server.port,
        SMTP_STARTTLS=False,
        MAIL_SEND_AFTER_REQUEST=False,
    )
    with app.app_context():
        yield app, server
        db.session.remove()
    server.stop()


def statuses() -> list[tuple[EmailStatus, int]]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(OutgoingEmail).order_by(OutgoingEmail.id)).all()
    return [(e.status, e.attempts) for e in rows]


def test_queued_while_down_retried_with_back_off_and_sent_once(
    smtp: tuple[Flask, SMTPServer],
) -> None:
    _, server = smtp
    people = [make_user(handle=f"mail-{n}") for n in range(3)]
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock:
        for person in people:
            queue_email(
                to=person.email, subject="Chào mừng", template="approved", user=person,
                link="https://ydn.example/",
            )  # fmt: skip
        db.session.commit()

        # Down: every attempt fails, each email is kept with its next try pushed back.
        assert deliver_due() == (0, 3)
        assert statuses() == [(EmailStatus.QUEUED, 1)] * 3
        assert "ConnectionRefusedError" in (db.session.scalars(db.select(OutgoingEmail)).first()
                                            .last_error or "")  # fmt: skip
        assert deliver_due() == (0, 0)  # back-off: nothing is tried again at once
        clock.shift(timedelta(minutes=1, seconds=1))
        assert deliver_due() == (0, 3)
        assert statuses() == [(EmailStatus.QUEUED, 2)] * 3
        clock.shift(timedelta(minutes=1))
        assert deliver_due() == (0, 0)  # the second wait is longer (2 minutes)

        # Back: everything goes out, exactly once each.
        server.start()
        clock.shift(timedelta(minutes=1, seconds=1))
        assert deliver_due() == (3, 0)
        assert statuses() == [(EmailStatus.SENT, 3)] * 3
        clock.shift(timedelta(hours=1))
        assert deliver_due() == (0, 0)

    assert sorted(m["To"] for m in server.received) == sorted(p.email for p in people)
    assert len({m["Message-ID"] for m in server.received}) == 3
    assert all(m["Subject"] == "Chào mừng" for m in server.received)

"""Log lines cannot be forged: control characters in what is logged are escaped."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flask import Flask, request

from tests.conftest import Client


def test_a_crlf_in_the_path_cannot_write_a_second_log_line(
    make_app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    app: Flask = make_app()

    @app.before_request
    def boom() -> None:
        if request.path.startswith("/boom/"):
            raise RuntimeError("boom")

    app.test_client_class = Client
    client = app.test_client()
    forged = "x%0D%0A2026-11-29 12:00:00,000 INFO app.auth: login user=1"
    with caplog.at_level(logging.INFO):
        page = client.get(f"/boom/{forged}")

    assert "Something went wrong on our side" in page.get_data(as_text=True)
    [record] = [r for r in caplog.records if r.name == "app.errors"]
    message = record.getMessage()
    assert "\r" not in message
    assert "\n" not in message
    assert "/boom/x\\r\\n2026-11-29 12:00:00,000 INFO app.auth: login user=1" in message
    assert not any(line.startswith("2026-11-29") for line in caplog.text.splitlines())


@pytest.mark.usefixtures("app")
def test_every_logger_escapes_values_and_messages_built_without_arguments(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = logging.getLogger("app.anything")
    with caplog.at_level(logging.INFO):
        log.info("search q=%s", "a\nb\x00c\u2028d\x1b]0;title\x07")
        log.info(f"made by hand: {'e' + chr(13) + chr(10) + 'f'}")
        log.info("count=%d", 3)

    assert [r.getMessage() for r in caplog.records] == [
        "search q=a\\nb\\x00c\\u2028d\\x1b]0;title\\x07",
        "made by hand: e\\r\\nf",
        "count=3",
    ]


@pytest.mark.usefixtures("app")
def test_an_exception_message_cannot_start_a_log_line_of_its_own(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = logging.getLogger("app.anything")
    with caplog.at_level(logging.INFO):
        try:
            raise ValueError("bad page /x\r\n2026-11-29 INFO app.auth: login user=1")
        except ValueError:
            log.exception("failed")

    lines = caplog.text.splitlines()
    assert any("Traceback (most recent call last)" in line for line in lines)
    assert any("ValueError: bad page /x\\r" in line for line in lines)
    assert not any(line.startswith("2026-11-29") for line in lines)
    assert all(line.startswith(("ERROR", "  ")) for line in lines), lines

"""Browser fixtures: the app served on 127.0.0.1 in a thread, and Debian's chromium via Playwright.

Screenshots go to test-artifacts/screenshots/ (git-ignored). With CI set, a missing chromium
fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server
from werkzeug.wsgi import ClosingIterator

from app.extensions import db
from tests.conftest import join_after_response_watchdogs

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1280}
# Without these, chromium tries to reach Google's hosts, which this machine's network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = str(item.fspath).replace(os.sep, "/")
        if "tests/browser/" in path:
            item.add_marker(pytest.mark.browser)
            # A module-scoped `world` (the demo served once per module) keeps its module on one
            # pytest-xdist worker under `--dist loadgroup`, so the demo is loaded once, not twice.
            if "world" in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(name=path.rsplit("/", 1)[-1]))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class InFlight:
    """The app, counting its requests under way until their response is closed.

    The browser has its answer before the request's thread is done: what the request queued
    (an email to deliver, an image to resize) runs in the response's close, after the last byte
    went out (app/jobs/after_response.py), on a connection of the app's pool. A test that ends
    right then must not have its app's engine disposed under that thread: the connection would
    go back to the disposed pool and stay open until the garbage collector met it, in whatever
    test ran then (psycopg's "connection ... was deleted while still open" ResourceWarning)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.under_way = 0
        self.changed = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        with self.changed:
            self.under_way += 1
        try:
            body = self.app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return ClosingIterator(body, [self._done])  # the body's own close, then this

    def _done(self) -> None:
        with self.changed:
            self.under_way -= 1
            self.changed.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.under_way == 0, timeout)


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.requests = InFlight(app)
        self.server = make_server("127.0.0.1", 0, self.requests, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
        # Requests still finishing (and their work after the response) end before the app's
        # engine is disposed; a response never closed (a reset connection) has its watchdog.
        self.requests.wait_until_idle(timeout=10)
        join_after_response_watchdogs(timeout=5)
        self.server.server_close()


@pytest.fixture
def live_app(make_app: Any) -> Iterator[Flask]:
    """The app as the browser sees it: CSRF on, mail captured in memory, PUBLIC_BASE_URL local.

    Its application context is pushed for the test's own database work; the server thread
    handles each request in a context of its own.
    """
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    server = LiveServer(live_app)
    live_app.config["PUBLIC_BASE_URL"] = server.url
    with server:
        yield server


@pytest.fixture
def page_factory(browser: Any) -> Iterator[Any]:
    """New pages in separate browser contexts (separate people), closed after the test."""
    contexts: list[Any] = []

    def new_page(
        width: int = WIDTHS["desktop"], *, javascript: bool = True, locale: str = "en-GB"
    ) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
            locale=locale,
        )
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(page_factory: Any) -> Any:
    return page_factory()


def screenshot(page: Any, name: str) -> list[Path]:
    """Save full-page screenshots of the current page at phone and desktop widths."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    saved = []
    original = page.viewport_size
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}-{label}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
    if original:
        page.set_viewport_size(original)
    return saved

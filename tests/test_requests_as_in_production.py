"""The test client runs requests as a WSGI server does: the test's application context, held
around each test for its own database work, is invisible to requests, and a streamed body is
read after the request's contexts were popped.

Before this, a generator that needed the application (the data export's `get_storage()`)
passed the suite and died under gunicorn."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, current_app, g, stream_with_context

from tests.conftest import Client

# These tests add routes to the app: each gets an app of its own, not the session's.
pytestmark = pytest.mark.own_app


def _add_streams(app: Flask) -> None:
    def needs_app() -> Iterator[str]:
        yield "first chunk, "
        yield current_app.config["NETWORK_NAME"]

    @app.get("/_test/stream-without-context")
    def stream_without_context() -> object:
        return app.response_class(needs_app(), mimetype="text/plain")

    @app.get("/_test/stream-with-context")
    def stream_with_app() -> object:
        return app.response_class(stream_with_context(needs_app()), mimetype="text/plain")

    @app.get("/_test/what-g-holds")
    def what_g_holds() -> object:
        return {"from_test": g.get("from_test")}


@pytest.fixture
def streams(app: Flask, client: Client) -> Client:
    _add_streams(app)
    return client


def test_a_stream_that_needs_the_app_fails_as_under_gunicorn(streams: Client) -> None:
    # The test holds an application context of the same app, yet the generator cannot use it.
    assert current_app
    with pytest.raises(RuntimeError, match="outside of application context"):
        streams.get("/_test/stream-without-context")


def test_a_lazily_read_stream_also_runs_without_the_tests_context(streams: Client) -> None:
    response = streams.get("/_test/stream-without-context", buffered=False)
    chunks = iter(response.response)

    assert next(chunks) == b"first chunk, "
    with pytest.raises(RuntimeError, match="outside of application context"):
        next(chunks)


def test_a_stream_that_keeps_its_own_context_works(streams: Client) -> None:
    response = streams.get("/_test/stream-with-context")

    assert response.get_data(as_text=True) == "first chunk, Young Designers Network"


def test_a_request_does_not_see_the_tests_g(streams: Client) -> None:
    g.from_test = "leaked"

    assert streams.get("/_test/what-g-holds").json == {"from_test": None}

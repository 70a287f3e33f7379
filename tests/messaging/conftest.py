from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask


@pytest.fixture
def req(app: Flask) -> Iterator[None]:
    """A request context, for translated error messages in service tests."""
    with app.test_request_context():
        yield

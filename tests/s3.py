"""A real S3 protocol server for the tests: moto's, started on 127.0.0.1 on a free port.

`s3_server` runs once per test session (per xdist worker); `s3_config` gives each test a bucket
of its own and the settings an app needs to store its media there (MEDIA_STORAGE=s3)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from moto.server import ThreadedMotoServer

from app.media.s3 import client_from_config

REGION = "us-east-1"
CREDENTIALS = {"S3_ACCESS_KEY_ID": "test-access-key", "S3_SECRET_ACCESS_KEY": "test-secret-key"}


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """The server's endpoint URL (http://127.0.0.1:<port>)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_config(s3_server: str) -> dict[str, Any]:
    """App settings for media in a new, empty bucket on the test server."""
    config: dict[str, Any] = {
        "MEDIA_STORAGE": "s3",
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION": REGION,
        "S3_BUCKET": f"ydn-test-{uuid.uuid4().hex[:16]}",
        "S3_ADDRESSING_STYLE": "path",
        **CREDENTIALS,
    }
    client_from_config(config).create_bucket(Bucket=config["S3_BUCKET"])
    return config

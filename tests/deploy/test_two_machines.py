"""Two web machines behind one proxy: two app processes on different ports sharing one database
(SQLite here, PostgreSQL with TEST_DATABASE_URL), one Redis and one S3 server, and nothing else:
each has its own MEDIA_ROOT, instance folder and page cache. A person logs in on one and carries
on on the other; an upload on one is served by the other; a moderator hides a project on one
and the other stops serving it on its next response; failed log-ins count across both."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
import requests
from flask import Flask, url_for
from sqlalchemy import update

from app.accounts.models import StaffRole
from app.extensions import db
from app.portfolios.models import Project
from tests import conftest
from tests.conftest import CSRF_RE, clean_tables
from tests.factories import PASSWORD, make_user
from tests.portfolios.factories import image_bytes, make_project
from tests.test_production import _redis_ready

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/0"
MEDIA_RE = re.compile(r"/media/p/[0-9a-f]{2}/[0-9a-f]+/[0-9a-z]+\.(?:webp|jpg)")


@dataclass
class Machine:
    name: str
    url: str
    process: subprocess.Popen[bytes]


def start_machine(name: str, settings: dict[str, Any], tmp: Path) -> Machine:
    port_file = tmp / f"{name}.port"
    with (tmp / f"{name}.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.deploy.serve"],
            cwd=ROOT,
            env={
                **os.environ,
                "YDN_SETTINGS": json.dumps(settings),
                "YDN_PORT_FILE": str(port_file),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while not port_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError((tmp / f"{name}.log").read_text())
        time.sleep(0.05)  # waiting for a process to start, not for the app's own clock
    return Machine(name, f"http://127.0.0.1:{port_file.read_text()}", process)


@pytest.fixture
def machines(
    app: Flask, s3_config: dict[str, Any], tmp_path: Path, _session_tmp: Path
) -> Iterator[tuple[Machine, Machine]]:
    if not _redis_ready():
        pytest.skip("needs Redis on 127.0.0.1:6379")
    prefix = f"ydn-two-{uuid.uuid4().hex[:12]}"
    started: list[Machine] = []
    try:
        for name in ("one", "two"):
            settings = conftest.test_config(
                _session_tmp,
                INSTANCE_PATH=str(tmp_path / name / "instance"),
                MEDIA_ROOT=str(tmp_path / name / "media"),  # never shared: the bucket is
                REDIS_URL=REDIS,
                RATELIMIT_ENABLED=True,
                RATELIMIT_STORAGE_URI=REDIS,
                RATELIMIT_KEY_PREFIX=prefix,
                LOGIN_FAILURE_LIMIT="3 per 15 minutes",
                PAGE_CACHE_SECONDS=60,
                LOG_LEVEL="WARNING",
                **s3_config,
            )
            started.append(start_machine(name, settings, tmp_path))
        yield started[0], started[1]
    finally:
        for machine in started:
            machine.process.terminate()
            machine.process.wait(timeout=10)
        # Their rows were written by other processes: the per-test wipe cannot see them.
        clean_tables(app)
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)


def token(browser: requests.Session, url: str) -> str:
    match = CSRF_RE.search(browser.get(url, timeout=10).text)
    assert match, url
    return match.group(1) or match.group(2)


def log_in(browser: requests.Session, machine: Machine, email: str, password: str) -> Any:
    return browser.post(
        f"{machine.url}/auth/login",
        data={
            "email": email,
            "password": password,
            "csrf_token": token(browser, f"{machine.url}/auth/login"),
        },
        timeout=10,
    )


def test_two_web_machines_agree(app: Flask, machines: tuple[Machine, Machine]) -> None:
    one, two = machines
    designer = make_user(handle="lan-pham", display_name="Phạm Ngọc Lan")
    moderator = make_user(handle="mod-tuan", staff_role=StaffRole.MODERATOR)
    project = make_project(designer, title="Gốm men lam", images=0)
    other = make_user(handle="hoa-le", display_name="Lê Thị Hoa")
    db.session.commit()
    with app.test_request_context():
        page = url_for("portfolios.project", handle=designer.handle, slug=project.slug)
    project_id, designer_email = project.id, designer.email
    moderator_email, other_email = moderator.email, other.email
    db.session.remove()

    # Logged in on one, carries on on the other (the same cookies, as behind a proxy).
    lan = requests.Session()
    assert log_in(lan, one, designer_email, PASSWORD).status_code == 200
    assert "Phạm Ngọc Lan" in lan.get(f"{two.url}/me", timeout=10).text

    # An upload on one (form from two) is stored in the bucket and served by two.
    editor = f"{two.url}/me/projects/{project_id}"
    uploaded = lan.post(
        f"{one.url}/me/projects/{project_id}/images",
        data={"csrf_token": token(lan, editor)},
        files=[("images", ("lam.png", image_bytes(900, 600, colour=(20, 60, 140)), "image/png"))],
        timeout=30,
    )
    assert uploaded.status_code == 200, uploaded.text[-2000:]
    # The sizes are made by a background job after the response: wait (as the editor's
    # "Reload to see them" invites) until they exist, so that no later commit of that job
    # moves the page cache's generation while the test looks at two's kept page.
    deadline = time.monotonic() + 30
    while 'id="images-processing"' in lan.get(editor, timeout=10).text:
        assert time.monotonic() < deadline, "the image was never prepared"
        time.sleep(0.1)  # waiting for another process's job, not for the app's own clock
    visitor = requests.Session()
    project_page = f"{two.url}{page}"
    html = visitor.get(project_page, timeout=10).text
    assert "Gốm men lam" in html
    image = MEDIA_RE.search(html)
    assert image, "no image on the project page"
    served = visitor.get(f"{two.url}{image.group(0)}", allow_redirects=False, timeout=10)
    assert served.status_code == 302  # to a short-lived link to the bucket
    picture = visitor.get(served.headers["Location"], timeout=10)
    assert picture.status_code == 200
    assert picture.content[:4] in (b"RIFF", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb")
    # two's page is kept now: a change that bypasses the app does not show on it...
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(update(Project).where(Project.id == project_id).values(title="Tên khác"))
    assert "Gốm men lam" in visitor.get(project_page, timeout=10).text

    # ...but a moderator hiding the project on one is obeyed by two on its next response.
    khang = requests.Session()
    assert log_in(khang, one, moderator_email, PASSWORD).status_code == 200
    hidden = khang.post(
        f"{one.url}/moderation/targets/project/{project_id}/hide",
        data={
            "hide-reason": "Copied from another designer.",
            "csrf_token": token(khang, f"{one.url}/"),
        },
        timeout=10,
    )
    assert hidden.status_code == 200
    assert "Hidden from the public." in hidden.text
    assert visitor.get(project_page, timeout=10).status_code == 404
    assert visitor.get(f"{two.url}{image.group(0)}", timeout=10).status_code == 404

    # Failed log-ins count across both machines: three wrong passwords (one, two, one), then
    # even the right one on two is refused for a while.
    stranger = requests.Session()
    for machine in (one, two, one):
        assert log_in(stranger, machine, other_email, "wrong password").status_code == 401
    refused = log_in(stranger, two, other_email, PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed log-ins for this account." in refused.text

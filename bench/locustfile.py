"""Locust journeys for `make load` (bench/load.py starts the server and runs this file).

50 people, each from its own loopback address 127.0.0.x, waiting 1-3 s between steps: most are
designers (browse, search, log in again now and then, apply to open calls, message), a few are
moderators (queues and reports) and some are visitors who never log in. A 429 answered to someone
who went over a limit is counted apart, not as an error.

The people are locust's `FastHttpUser` (geventhttpclient): the load generator shares the machine
with the server here, and `HttpUser` (requests) took about 1.4 of the 2 cores to drive 50 people,
so the server's requests queued behind it and the client's figures measured the generator.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, events, task

DATA: dict[str, Any] = json.loads(Path(os.environ["LOAD_DATA"]).read_text())
CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
CONVERSATION_RE = re.compile(r"/messages/([A-Za-z0-9_-]{6,})")
_addresses = itertools.count(2)
_designers = iter([a for a in DATA["people"] if not a["moderator"]])
_moderators = iter([a for a in DATA["people"] if a["moderator"]])
_lock = threading.Lock()
LIMITED: dict[str, int] = {}
# Server CPU milliseconds per request (BENCH_MODE header), by request name.
CPU_MS: dict[str, list[float]] = {}


def bind_source_address(user_agent: Any, address: str) -> None:
    """Every connection of this person leaves from its own 127.0.0.x: the socket of each
    connection the person's client opens is bound to the address before it connects."""
    pool = user_agent.clientpool
    get_client = pool.get_client

    def bound_client(url: Any) -> Any:
        client = get_client(url)
        connections = client._connection_pool  # geventhttpclient has no source-address option
        if getattr(connections, "bound_to", None) != address:
            create = connections._create_tcp_socket

            def create_bound(family: int, socktype: int, protocol: int) -> Any:
                sock = create(family, socktype, protocol)
                sock.bind((address, 0))
                return sock

            connections._create_tcp_socket = create_bound
            connections.bound_to = address
        return client

    pool.get_client = bound_client


class Person(FastHttpUser):
    abstract = True
    wait_time = between(1, 3)
    # One connection per person, as a browser tab keeps one alive.
    concurrency = 1

    def on_start(self) -> None:
        with _lock:
            n = next(_addresses)
        self.address = f"127.0.0.{n}"
        bind_source_address(self.client.client, self.address)

    # ---- helpers ----
    def get(self, path: str, name: str | None = None) -> str:
        with self.client.get(path, name=name or path, catch_response=True) as r:
            return self._judge(r, name or path)

    def post(self, path: str, data: dict[str, str], name: str) -> str:
        with self.client.post(path, data=data, name=name, catch_response=True) as r:
            return self._judge(r, name)

    def _judge(self, r: Any, name: str) -> str:
        cpu = r.headers.get("X-Bench-CPU-ms")
        if cpu:
            with _lock:
                CPU_MS.setdefault(name, []).append(float(cpu))
        if r.status_code == 429:
            with _lock:
                LIMITED[name] = LIMITED.get(name, 0) + 1
            r.success()
            return ""
        if r.status_code >= 400:
            r.failure(f"{r.status_code}")
            return ""
        r.success()
        return str(r.text)

    def csrf(self, page: str) -> str:
        match = CSRF_RE.search(page)
        return match.group(1) if match else ""

    def login(self) -> None:
        page = self.get("/auth/login")
        self.post(
            "/auth/login",
            {
                "csrf_token": self.csrf(page),
                "email": self.account["email"],
                "password": DATA["password"],
            },
            name="/auth/login [POST]",
        )

    # ---- journeys shared by everyone ----
    @task(4)
    def browse(self) -> None:
        self.get("/")
        self.get("/designers")
        if DATA["designers"]:
            self.get(f"/designers/{random.choice(DATA['designers'])}", name="/designers/<handle>")
        self.get("/calls")
        if DATA["calls"]:
            self.get(f"/calls/{random.choice(DATA['calls'])}", name="/calls/<slug>")

    @task(2)
    def search(self) -> None:
        self.get(f"/search?q={random.choice(DATA['terms'])}", name="/search?q=")


class Visitor(Person):
    weight = 7


class Designer(Person):
    weight = 40

    def on_start(self) -> None:
        super().on_start()
        with _lock:
            self.account = next(_designers)
        self.conversation: str | None = None
        self.login()

    @task(1)
    def log_in_again(self) -> None:
        page = self.get("/")
        self.post("/auth/logout", {"csrf_token": self.csrf(page)}, name="/auth/logout [POST]")
        self.login()

    @task(2)
    def apply(self) -> None:
        if not DATA["calls"]:
            return
        slug = random.choice(DATA["calls"])
        page = self.get(f"/calls/{slug}/apply", name="/calls/<slug>/apply")
        if not page:
            return
        self.post(
            f"/calls/{slug}/apply",
            {
                "csrf_token": self.csrf(page),
                "statement": "Tôi muốn tham gia vì lụa và sơn mài là chất liệu của tôi.",
            },
            name="/calls/<slug>/apply [POST]",
        )

    @task(3)
    def message(self) -> None:
        if self.conversation is None:
            other = random.choice(DATA["designers"])
            page = self.get(f"/messages/new/{other}", name="/messages/new/<handle>")
            token = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
            answer = self.post(
                f"/messages/new/{other}",
                {
                    "csrf_token": self.csrf(page),
                    "body": "Chào bạn, mình rất thích dự án của bạn!",
                    "token": token.group(1) if token else "",
                },
                name="/messages/new/<handle> [POST]",
            )
            found = CONVERSATION_RE.search(answer)
            self.conversation = found.group(1) if found and found.group(1) != "new" else None
            return
        url = f"/messages/{self.conversation}"
        page = self.get(url, name="/messages/<id>")
        token = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
        self.post(
            url,
            {
                "csrf_token": self.csrf(page),
                "body": "Cảm ơn, hẹn gặp ở Hà Nội.",
                "token": token.group(1) if token else "",
            },
            name="/messages/<id> [POST]",
        )
        self.get("/messages")


class Moderator(Person):
    weight = 3

    def on_start(self) -> None:
        super().on_start()
        with _lock:
            self.account = next(_moderators)
        self.login()

    @task(4)
    def moderate(self) -> None:
        self.get("/moderation")
        self.get("/moderation/members")
        self.get("/moderation/organisers")


@events.quitting.add_listener
def _write_limited(**_: Any) -> None:  # locust passes environment= by keyword
    out = os.environ.get("LOAD_LIMITED")
    if out:
        Path(out).write_text(json.dumps({"limited": LIMITED, "cpu_ms": CPU_MS}))

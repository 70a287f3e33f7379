"""`python -m bench.profile [--login HANDLE] [-n N] PATH...`: where one page's time goes, in process.

Against the database at DATABASE_URL (a benchmark database: `bench/run.py` or
`python -m bench.generate N` fills one), with the production settings the benchmark uses and the
page cache off. For each path: the CPU milliseconds and SQL statements of a render (median of N,
after warming up), then the cProfile of N renders, top functions by own and by cumulative time.
Wall time is left out on purpose: on a shared machine CPU time and query counts are the stable
figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.accounts.models import User  # noqa: E402
from app.extensions import db  # noqa: E402


def make_client(login: str | None) -> Any:
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-0123456789-0123456789-abcdef")
    os.environ.update(
        APP_ENV="production",
        PREFERRED_URL_SCHEME="http",
        PUBLIC_BASE_URL="http://127.0.0.1",
        RATELIMIT_ENABLED="0",
        MAIL_BACKEND="console",
        LOG_LEVEL="WARNING",
        PAGE_CACHE_SECONDS="0",
    )
    app = create_app({"INSTANCE_PATH": tempfile.mkdtemp()})
    counter: dict[str, Any] = {"n": 0, "sql": []}
    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            counter["n"] += 1
            counter["sql"].append((statement, _[0] if _ else None))

        email = db.session.scalar(select(User.email).where(User.handle == login)) if login else None
    client = app.test_client()
    if email:
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token, "no CSRF token on the log-in page"
        r = client.post(
            "/auth/login",
            data={"csrf_token": token.group(1), "email": email, "password": "bench-pass-2019"},
        )
        assert r.status_code == 302, f"log-in as {login} failed ({r.status_code})"
    return client, counter


def explain(app: Any, statement: str, parameters: Any) -> None:
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            for (line,) in cursor.fetchall():
                print("   ", line)
        finally:
            raw.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--login", default=None, help="a bench account, e.g. designer-0")
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime,cumulative")
    parser.add_argument("--sql", action="store_true", help="print the statements of one render")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="EXPLAIN ANALYZE each statement of one render (PostgreSQL): its time and plan",
    )
    args = parser.parse_args()
    client, counter = make_client(args.login)
    for path in args.paths:
        for _ in range(3):
            r = client.get(path)
            assert r.status_code == 200, f"{path} answered {r.status_code}"
        cpu = []
        for _ in range(args.n):
            counter["n"] = 0
            counter["sql"].clear()
            started = time.process_time()
            client.get(path).get_data()
            cpu.append((time.process_time() - started) * 1000)
        queries = counter["n"]
        statements = list(counter["sql"])
        counter["sql"].clear()
        cpu.sort()
        print(f"\n=== {path} ({args.login or 'visitor'}): cpu {cpu[len(cpu) // 2]:.1f} ms "
              f"(min {cpu[0]:.1f}), {queries} queries, {len(r.get_data())} bytes")  # fmt: skip
        if args.sql or args.explain:
            for statement, parameters in statements:
                print("--", " ".join(statement.split())[:400])
                if args.explain:
                    explain(client.application, statement, parameters)
        profile = cProfile.Profile(time.process_time)  # CPU, not wall: stable when shared
        profile.enable()
        for _ in range(args.n):
            client.get(path).get_data()
        profile.disable()
        # A steady figure beside the CPU time: Python function calls a render makes.
        calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
        print(f"    {calls // args.n} Python calls a render")
        for key in args.sort.split(","):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(key).print_stats(args.top)
            text = out.getvalue()
            print(text[text.find("   ncalls") :])


if __name__ == "__main__":
    main()

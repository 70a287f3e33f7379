"""The benchmark: `make bench` (quick) or `make bench-full` (1,000 and 100,000 designers).

For each database and size it fills a fresh database (bench/data.py), starts the app under
gunicorn (production settings, 2 sync workers, BENCH_MODE for the yardstick and the per-request
query and CPU counts), drives each page on 127.0.0.1 with wrk (32 connections for throughput,
then 1 connection for unloaded latency), prints a table and writes bench/results/latest.json.
Nothing here leaves 127.0.0.1; every load run is bounded in time.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VENV = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))

from bench.pages import PAGES, Page  # noqa: E402

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# The run drops and refills one database per size, `<BENCH_PG_DATABASE>_<designers>`
# ("bench_1000", "bench_100000" unless told), so that `--reuse` can keep both.
PG_PREFIX = os.environ.get("BENCH_PG_DATABASE", "bench")


def pg_database(designers: int) -> str:
    return f"{PG_PREFIX}_{designers}"


SECRET = "bench-secret-key-0123456789-0123456789-abcdef"
# The few generated artworks every project image points at (content-hash names, kept between runs).
MEDIA = RESULTS / "media"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url(kind: str, designers: int) -> str:
    if kind == "sqlite":
        return f"sqlite:///{RESULTS / f'bench-{designers}.sqlite3'}"
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_database(designers)}"


def prepare(kind: str, designers: int) -> dict[str, Any]:
    """A fresh migrated database with `designers` designers; returns the generation context."""
    url = database_url(kind, designers)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "APP_ENV": "bench-prepare",
        "MEDIA_ROOT": str(MEDIA),
        # Building the search index at 100,000 designers takes longer than a request may.
        "DB_STATEMENT_TIMEOUT_MS": "0",
    }
    if kind == "sqlite":
        (RESULTS / f"bench-{designers}.sqlite3").unlink(missing_ok=True)
    else:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            name = pg_database(designers)
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
    subprocess.run(
        [str(VENV / "flask"), "--app", "app:create_app", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
    )
    started = time.monotonic()
    out = subprocess.run(
        [str(VENV / "python"), "-m", "bench.generate", str(designers)],
        env=env, check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    ctx: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    ctx["generate_seconds"] = round(time.monotonic() - started, 1)
    if kind == "postgresql":
        subprocess.run(
            [
                "psql",
                "-q",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                pg_database(designers),
                "-c",
                "VACUUM ANALYZE",
            ],
            check=True,
        )
    context_file(kind, designers).write_text(json.dumps(ctx))
    return ctx


def context_file(kind: str, designers: int) -> Path:
    return RESULTS / f"context-{kind}-{designers}.json"


class Server:
    def __init__(self, url: str) -> None:
        self.port = free_port()
        self.prefix = f"bench{self.port}"
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "APP_ENV": "production", "BENCH_MODE": "1", "SECRET_KEY": SECRET, "DATABASE_URL": url,
            "PREFERRED_URL_SCHEME": "http", "PUBLIC_BASE_URL": "http://127.0.0.1", "RATELIMIT_ENABLED": "0",
            "MAIL_BACKEND": "console", "WEB_CONCURRENCY": "2", "GUNICORN_ACCESS_LOG": "", "LOG_LEVEL": "WARNING",
            "BIND": f"127.0.0.1:{self.port}", "MEDIA_ROOT": str(MEDIA),
            # As the README's production set-up: the page cache's generation and the day's
            # project visitors in Redis (a unique prefix, removed afterwards), not in the database.
            "REDIS_URL": REDIS_URL, "VIEWS_REDIS_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": self.prefix,
            "VIEWS_KEY_PREFIX": self.prefix,
        }  # fmt: skip

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(
            [str(VENV / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.proc.kill()
        raise RuntimeError(
            "gunicorn did not become ready: "
            + (self.proc.stderr.read().decode() if self.proc.stderr else "")
        )

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{self.prefix}*"):
            client.delete(key)

    def login(self, handle: str, ctx: dict[str, Any]) -> str:
        """Log in as a bench account through the real form; returns the Cookie header."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(self.base + "/auth/login").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token, "no CSRF token on the log-in page"
        email = ctx["emails"][handle]
        data = urllib.parse.urlencode(
            {"csrf_token": token.group(1), "email": email, "password": "bench-pass-2019"}
        )
        opener.open(self.base + "/auth/login", data=data.encode()).read()
        return "; ".join(f"{c.name}={c.value}" for c in jar)


REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, *, connections: int, seconds: int, cookie: str | None) -> dict[str, float]:
    args = [
        "wrk",
        f"-t{min(connections, 2)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "wrk_report.lua"),
    ]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*args, url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = {p: int(us) / 1000 for p, us in re.findall(r"^ydn-p(\d+) (\d+)$", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses under load")
    return {
        "rps": rps,
        "p50_ms": lat.get("50", 0.0),
        "p95_ms": lat.get("95", 0.0),
        "p99_ms": lat.get("99", 0.0),
    }


def probe(url: str, cookie: str | None, samples: int = 10) -> dict[str, float]:
    """Bytes, SQL statements and server CPU time of one request (CPU: median over samples).

    For a visitor the SQL count and `miss_cpu_ms` come from the first request, which renders the
    page: public pages are then kept a few seconds for visitors (app/pagecache.py), and the other
    samples measure what a visitor usually gets. Logged in, every request renders the page.
    """
    cpu = []
    size = status = 0
    queries = -1
    counts = []
    miss_cpu = 0.0
    for n in range(samples):
        req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(req, timeout=60) as r:
            body = r.read()
            status = r.status
            size = len(body)
            cpu.append(float(r.headers.get("X-Bench-CPU-ms", "0")))
            counts.append(int(r.headers.get("X-Bench-Queries", "-1")))
            if n == 0:
                queries = counts[0]
                miss_cpu = cpu[0]
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    cpu.sort()
    if cookie:
        # Logged in, no page cache: the fewest statements of the samples. A session's first
        # request every few minutes also writes its last-seen time (3 more statements).
        queries = min(counts)
    return {
        "bytes": size,
        "queries": queries,
        "cpu_ms": round(cpu[len(cpu) // 2], 3),
        "miss_cpu_ms": round(miss_cpu, 3),
    }


def load_figures(url: str, cookie: str | None, seconds: int, runs: int = 1) -> dict[str, Any]:
    """req/s with 32 connections (the median of `runs` runs, each kept in `rps_runs`), then
    p50/p95/p99 with one."""
    rates = []
    for _ in range(runs):
        rates.append(wrk(url, connections=32, seconds=seconds, cookie=cookie)["rps"])
        # A slow page leaves a queue behind the loaded run: wait for it to drain, else the
        # next run measures the queue (or, for a short run, no request at all).
        probe(url, cookie, samples=1)
    single = wrk(url, connections=1, seconds=seconds, cookie=cookie)
    return {
        "rps": round(statistics.median(rates), 1),
        "rps_runs": [round(r, 1) for r in rates],
        "p50_ms": round(single["p50_ms"], 2),
        "p95_ms": round(single["p95_ms"], 2),
        "p99_ms": round(single["p99_ms"], 2),
    }


def measure(
    server: Server,
    page: Page,
    ctx: dict[str, Any],
    seconds: int,
    cookies: dict[str, str],
    runs: int = 1,
) -> dict[str, Any]:
    """The page twice: uncached (as a logged-in person, whom the page cache never serves; the
    log-in page, the feed and images as a visitor) and, for the pages the cache keeps, cached
    (as a visitor). The flat columns (rps, cpu_ms, queries...) are the uncached figures."""
    login = page.uncached_login
    cookie = cookies.get(login) if login else None
    url = server.base + page.path(ctx)
    row: dict[str, Any] = {
        "page": page.name,
        "path": page.path(ctx),
        "logged_in": login is not None,
        "as": login or "visitor",
    }
    row.update(probe(url, cookie))
    row.update(load_figures(url, cookie, seconds, runs))
    if page.cached:
        time.sleep(0.5)
        visitor = probe(url, None)
        row["cached_cpu_ms"] = visitor["cpu_ms"]
        row["visitor_queries"] = visitor["queries"]
        row["visitor_miss_cpu_ms"] = visitor["miss_cpu_ms"]
        row.update({f"cached_{k}": v for k, v in load_figures(url, None, seconds).items()})
    return row


def run_round(
    kind: str, designers: int, seconds: int, reuse: bool = False, runs: int = 1
) -> dict[str, Any]:
    saved = context_file(kind, designers)
    if reuse and saved.exists():
        ctx = json.loads(saved.read_text())
        ctx["generate_seconds"] = 0
    else:
        ctx = prepare(kind, designers)
    print(f"  {kind}, {designers:,} designers: data in {ctx['generate_seconds']} s", flush=True)
    with Server(database_url(kind, designers)) as server:
        cookies = {
            h: server.login(h, ctx) for h in {p.uncached_login for p in PAGES if p.uncached_login}
        }
        rows = []
        for page in PAGES:
            try:
                rows.append(measure(server, page, ctx, seconds, cookies, runs))
            except (OSError, RuntimeError, subprocess.CalledProcessError) as e:
                # One page failing (a timeout on a loaded machine) must not lose the round.
                print(f"    {page.name}: {e}", flush=True)
                rows.append({"page": page.name, "path": page.path(ctx), "logged_in": page.uncached_login is not None,
                             "rps": 0.0, "p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "cpu_ms": 0.0, "bytes": 0,
                             "queries": -1, "error": str(e)})  # fmt: skip
            time.sleep(0.5)  # let the queue of the loaded run drain before the next probe
    base = next(r for r in rows if r["page"] == "baseline")["rps"]
    for r in rows:
        r["uncached_vs_baseline"] = round(r["rps"] / base, 3) if base else None
        r["vs_baseline"] = r["uncached_vs_baseline"]
        # CPU per request against the yardstick's: the same ratio without the queueing that a
        # shared machine adds to req/s.
        base_cpu = rows[0]["cpu_ms"] if rows and rows[0]["page"] == "baseline" else 0
        r["cpu_vs_baseline"] = (
            round(base_cpu / r["cpu_ms"], 3) if base_cpu and r["cpu_ms"] else None
        )
        cached = r.get("cached_rps")
        r["cached_vs_baseline"] = round(cached / base, 3) if base and cached else None
    return {"database": kind, "designers": designers, "pages": rows}


def print_table(result: dict[str, Any]) -> None:
    print(f"\n{result['database']} · {result['designers']:,} designers")
    head = f"{'page':28} {'req/s':>8} {'×base':>6} {'cached':>6} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms':>7} {'KB':>7} {'SQL':>4} {'p95×':>6}"
    print(head)
    print("-" * len(head))
    for r in result["pages"]:
        growth = f"{r['p95_growth']:.2f}" if r.get("p95_growth") else ""
        print(
            f"{r['page'][:28]:28} {r['rps']:8.0f} {r['vs_baseline'] or 0:6.2f}"
            f" {r['cached_vs_baseline'] or 0:6.2f} {r['p50_ms']:8.2f} {r.get('p95_ms', 0):8.2f}"
            f" {r['cpu_ms']:7.2f} {r['bytes'] / 1024:7.1f} {r['queries']:4d} {growth:>6}"
        )


def main() -> None:  # noqa: C901  (one branch per command-line option, read top to bottom)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="1,000 designers, short runs (under 3 minutes)"
    )
    parser.add_argument(
        "--full", action="store_true", help="1,000 and 100,000 designers on both databases"
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument(
        "--sizes", default=None, help="designers per round, e.g. 1000,100000 (overrides --full)"
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        help="loaded runs per page, req/s is their median (default 1; 3 with --full)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the data a previous run generated for the same database and size",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    sizes = [1000, 100_000] if args.full else [1000]
    if args.sizes:
        sizes = [int(n) for n in args.sizes.split(",")]
    seconds = int(args.seconds or (5 if args.full else 1))
    runs = args.runs or (3 if args.full else 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    rounds = []
    for kind in args.databases.split(","):
        for n in sizes:
            rounds.append(run_round(kind, n, seconds, reuse=args.reuse, runs=runs))
            print_table(rounds[-1])
            # Kept after every round, so that a long run that stops still leaves its figures.
            (RESULTS / "partial.json").write_text(json.dumps(rounds, indent=1, ensure_ascii=False))
    by_key = {(r["database"], r["designers"]): r for r in rounds}
    for r in rounds:
        small = by_key.get((r["database"], 1000))
        if small is not None and r["designers"] > 1000:
            # Flat as data grows: req/s and p95 at this size against the same at 1,000.
            at_1k = {p["page"]: p for p in small["pages"]}
            for p in r["pages"]:
                before = at_1k.get(p["page"], {})
                for key in ("p95", "p99"):
                    if before.get(f"{key}_ms"):
                        p[f"{key}_growth"] = round(p[f"{key}_ms"] / before[f"{key}_ms"], 2)
                if before.get("rps"):
                    p["rps_vs_1k"] = round(p["rps"] / before["rps"], 2)
    for r in rounds:
        print_table(r)
    sq = {
        p["page"]: p["rps"]
        for r in rounds
        if r["database"] == "sqlite"
        for p in r["pages"]
        if r["designers"] == sizes[-1]
    }
    pg = {
        p["page"]: p["rps"]
        for r in rounds
        if r["database"] == "postgresql"
        for p in r["pages"]
        if r["designers"] == sizes[-1]
    }
    if sq and pg:
        print(f"\nPostgreSQL ÷ SQLite throughput at {sizes[-1]:,} designers")
        for name in sq:
            if name in pg and sq[name]:
                print(f"  {name:28} {pg[name] / sq[name]:5.2f}")
    latest = rounds[-1]
    for r in rounds:
        if r["database"] == "sqlite" and r["designers"] == sizes[-1]:
            latest = r
    document = {
        "machine": f"{platform.node()} · {os.cpu_count()} cores · {platform.machine()} · Python {platform.python_version()}",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": latest["database"],
        "designers": latest["designers"],
        "pages": latest["pages"],
        "rounds": rounds,
    }
    (RESULTS / "latest.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {RESULTS / 'latest.json'}")


if __name__ == "__main__":
    main()

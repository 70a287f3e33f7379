"""`make load`: 50 simulated people for 5 minutes against the production set-up.

Sets up a dedicated PostgreSQL database (`ydn_load`) with the demo network and one account per
simulated person, starts gunicorn (gunicorn.conf.py, 2 sync workers, APP_ENV=production, limits
on and stored in Redis under a unique prefix, TRUSTED_PROXIES off), runs bench/locustfile.py
headless (each person from its own 127.0.0.x), prints the figures, writes
bench/results/load.json, then stops the server, drops the database and deletes the Redis keys.
Nothing leaves 127.0.0.1. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from bench.run import free_port  # noqa: E402

DB_NAME = "ydn_load"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DB_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/0"
SECRET = "load-secret-key-0123456789-0123456789-abcdef"
TARGET_P95_MS = 300
TARGET_ERROR_RATE = 0.001


def admin(sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def prepare(people: int, moderators: int, media: str) -> dict[str, Any]:
    admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin(f"CREATE DATABASE {DB_NAME}")
    env = {**os.environ, "DATABASE_URL": DB_URL, "SECRET_KEY": SECRET, "APP_ENV": "load-prepare",
           "MEDIA_ROOT": media, "LOG_LEVEL": "WARNING"}  # fmt: skip
    flask = [str(VENV / "flask"), "--app", "app:create_app"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True, cwd=ROOT)
    subprocess.run([*flask, "demo", "load"], env=env, check=True, capture_output=True, cwd=ROOT)
    out = subprocess.run(
        [str(VENV / "python"), "-m", "bench.load_accounts", str(people), str(moderators)],
        env=env, check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", DB_NAME, "-c",
                    "VACUUM ANALYZE"], check=True)  # fmt: skip
    return data


def start_server(prefix: str, media: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "APP_ENV": "production", "SECRET_KEY": SECRET, "DATABASE_URL": DB_URL,
        # Plain HTTP on loopback: cookies must not be Secure-only, or no one stays logged in.
        "PREFERRED_URL_SCHEME": "http", "PUBLIC_BASE_URL": base,
        "RATELIMIT_ENABLED": "1", "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix,
        "TRUSTED_PROXIES": "0", "MAIL_BACKEND": "console", "BENCH_MODE": "1", "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": str(log.with_name("access.log")), "LOG_LEVEL": "WARNING", "BIND": f"127.0.0.1:{port}",
        "MEDIA_ROOT": media,
    }  # fmt: skip
    proc = subprocess.Popen(
        [str(VENV / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )  # fmt: skip
    deadline = time.monotonic() + 120  # a busy machine boots two workers slowly
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("gunicorn did not become ready: " + log.read_text()[-2000:])


def delete_redis_keys(prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()
    return len(keys)


def summarise(stats_csv: Path, limited: dict[str, int], seconds: int) -> dict[str, Any]:
    rows = list(csv.DictReader(stats_csv.open()))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])
    pages = [
        {
            "name": f"{r['Type']} {r['Name']}",
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "p50_ms": float(r["50%"]),
            "p95_ms": float(r["95%"]),
            "p99_ms": float(r["99%"]),
        }
        for r in rows
        if r["Name"] != "Aggregated"
    ]
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": seconds,
        "requests": requests,
        "rps": round(float(total["Requests/s"]), 1),
        "failures": failures,
        "error_rate": round(failures / requests, 5) if requests else None,
        "limited_429": sum(limited.values()),
        "limited_by_page": limited,
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "max_ms": round(float(total["Max Response Time"]), 1),
        "pages": pages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--spawn-rate", type=float, default=2)
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    prefix = f"ydn-load-{uuid.uuid4().hex[:10]}"
    with tempfile.TemporaryDirectory(prefix="ydn-load-") as tmp:
        work = Path(tmp)
        media = str(work / "media")
        print("preparing the database (demo network + accounts)...", flush=True)
        data = prepare(people=args.users, moderators=3, media=media)
        (work / "data.json").write_text(json.dumps(data))
        proc, base = start_server(prefix, media, work / "gunicorn.log")
        load_before = os.getloadavg()
        try:
            print(f"{args.users} people for {args.seconds} s against {base}", flush=True)
            subprocess.run(
                [str(VENV / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                 "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s",
                 "--host", base, "--csv", str(work / "load"), "--only-summary",
                 "--stop-timeout", "10", "--loglevel", "WARNING"],
                env={**os.environ, "LOAD_DATA": str(work / "data.json"),
                     "LOAD_LIMITED": str(work / "limited.json")},
                cwd=ROOT, check=False,
            )  # fmt: skip
        finally:
            load_after = os.getloadavg()
            proc.terminate()
            proc.wait(timeout=30)
            server_log = (work / "gunicorn.log").read_text(errors="replace")
            removed = delete_redis_keys(prefix)
            admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        limited_file = work / "limited.json"
        for raw in ("load_stats.csv", "limited.json"):  # kept, should the summary fail
            if (work / raw).exists():
                (RESULTS / f"load-{raw}").write_bytes((work / raw).read_bytes())
        extra = json.loads(limited_file.read_text()) if limited_file.exists() else {}
        limited = extra.get("limited", {})
        result = summarise(work / "load_stats.csv", limited, args.seconds)
        cpu = extra.get("cpu_ms", {})
        every = sorted(v for values in cpu.values() for v in values)
        # What the two workers spend per request, whatever else the machine runs meanwhile.
        # Time inside a worker (gunicorn's %(M)s), without the wait in the listen queue.
        access = (
            (work / "access.log").read_text(errors="replace")
            if (work / "access.log").exists()
            else ""
        )
        inside = sorted(int(ms) for ms in re.findall(r'" \d{3} \S+ (\d+)ms "', access))
        result["in_worker_ms"] = {
            "requests": len(inside),
            "p50": inside[len(inside) // 2] if inside else None,
            "p95": inside[int(len(inside) * 0.95)] if inside else None,
            "p99": inside[int(len(inside) * 0.99)] if inside else None,
        }
        result["server_cpu_ms"] = {
            "mean": round(sum(every) / len(every), 1) if every else None,
            "p50": every[len(every) // 2] if every else None,
            "p95": every[int(len(every) * 0.95)] if every else None,
            "by_page_median": {k: sorted(v)[len(v) // 2] for k, v in sorted(cpu.items())},
        }
        result["users"] = args.users
        # The machine is shared: the load average says how much else ran meanwhile.
        result["loadavg_1m_before_after"] = [round(load_before[0], 2), round(load_after[0], 2)]
        result["cores"] = os.cpu_count()
        result["server_errors_logged"] = server_log.count(" ERROR ")
        result["redis_keys_removed"] = removed
    (RESULTS / "load.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{'request':52} {'n':>6} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6}")
    for p in sorted(result["pages"], key=lambda p: -p["requests"]):
        print(f"{p['name'][:52]:52} {p['requests']:6d} {p['failures']:5d} {p['p50_ms']:6.0f}"
              f" {p['p95_ms']:6.0f} {p['p99_ms']:6.0f}")  # fmt: skip
    ok_p95 = result["p95_ms"] < TARGET_P95_MS
    ok_err = (result["error_rate"] or 0) < TARGET_ERROR_RATE
    print(
        f"\n{result['requests']} requests ({result['rps']}/s), p50 {result['p50_ms']:.0f} ms,"
        f" p95 {result['p95_ms']:.0f} ms ({'ok' if ok_p95 else 'over'} < {TARGET_P95_MS}),"
        f" p99 {result['p99_ms']:.0f} ms; errors {result['failures']}"
        f" ({(result['error_rate'] or 0) * 100:.3f} %, {'ok' if ok_err else 'over'} < 0.1 %);"
        f" 429 to people over a limit: {result['limited_429']}"
    )
    print(f"server CPU per request (ms): {result['server_cpu_ms']}")
    print(f"time inside a worker (ms, no queue): {result['in_worker_ms']}")
    print(f"load average (1 min) before/after: {result['loadavg_1m_before_after']}")
    print(f"wrote {RESULTS / 'load.json'}")


if __name__ == "__main__":
    main()

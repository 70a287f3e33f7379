"""`python bench/report.py`: the tables of bench/results/latest.json as Markdown (for the README)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

LATEST = Path(__file__).resolve().parent / "results" / "latest.json"


def ratio(value: float | None) -> str:
    return f"{value:.2f}" if value else "—"


def table(result: dict[str, Any]) -> str:
    lines = [
        f"**{result['database']} · {result['designers']:,} designers**",
        "",
        "| page | measured as | uncached ×base | cached ×base | CPU ×base | req/s | p50 ms "
        "| p95 ms | CPU ms | KB | SQL | req/s 100k÷1k | p95 100k÷1k |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in result["pages"]:
        growth = f"{r['p95_growth']:.2f}" if r.get("p95_growth") else ""
        flat = f"{r['rps_vs_1k']:.2f}" if r.get("rps_vs_1k") else ""
        who = r.get("as") or ("logged in" if r["logged_in"] else "visitor")
        uncached = r.get("uncached_vs_baseline", r.get("vs_baseline"))
        base_cpu = result["pages"][0]["cpu_ms"]
        cpu_ratio = r.get("cpu_vs_baseline") or (base_cpu / r["cpu_ms"] if r["cpu_ms"] else None)
        lines.append(
            f"| {r['page']} | {who} | {ratio(uncached)} | {ratio(r.get('cached_vs_baseline'))} "
            f"| {ratio(cpu_ratio)} | {r['rps']:.0f} | {r['p50_ms']:.1f} "
            f"| {r.get('p95_ms', r['p99_ms']):.1f} | {r['cpu_ms']:.1f} | {r['bytes'] / 1024:.1f} "
            f"| {r['queries']} | {flat} | {growth} |"
        )
    return "\n".join(lines)


def main() -> None:
    # `python bench/report.py [results.json]`: latest.json unless another run's file is named.
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else LATEST
    document = json.loads(path.read_text())
    print(f"Machine: {document['machine']}; run of {document['date']}.\n")
    for result in document.get("rounds") or [document]:
        print(table(result) + "\n")


if __name__ == "__main__":
    main()

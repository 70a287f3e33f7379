"""Bench mode (BENCH_MODE=1, never in normal use): the yardstick page and per-request costs.

The yardstick renders 24 cards in the real base layout from in-memory objects: the ceiling of
this stack on this machine, measured in the same round as the real pages. Each response also
carries the SQL statements it sent and the CPU time it used, for `bench/run.py` to report.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, g, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import event

from app.extensions import db

bp = Blueprint("bench", __name__, url_prefix="/_bench")


@dataclass
class Card:
    name: str
    city: str
    initial: str


CARDS = [Card(f"Nguyễn Văn {i}", "Hà Nội", "N") for i in range(24)]


@bp.get("/baseline")
def baseline() -> ResponseReturnValue:
    return render_template("bench/baseline.html", cards=CARDS)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    def start_clock() -> None:
        g.bench_cpu = time.process_time()
        g.bench_queries = 0

    # First of all before-request functions, so that the user loader's query is counted too.
    app.before_request_funcs.setdefault(None, []).insert(0, start_clock)

    @app.after_request
    def report(response: Response) -> Response:
        if "bench_cpu" in g:
            response.headers["X-Bench-CPU-ms"] = f"{(time.process_time() - g.bench_cpu) * 1000:.3f}"
            response.headers["X-Bench-Queries"] = str(g.bench_queries)
        return response

    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def count(*_: Any) -> None:
            if "bench_queries" in g:
                g.bench_queries += 1

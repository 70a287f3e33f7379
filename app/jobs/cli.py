"""`flask jobs worker | scheduler | sweep | run-due | status`."""

from __future__ import annotations

import time

import click
from flask import Blueprint, current_app
from rq import SimpleWorker
from sqlalchemy import func, select

from app.extensions import db
from app.jobs import periodic, queue, runner
from app.jobs.models import BackgroundJob

bp = Blueprint("jobs_cli", __name__, cli_group="jobs")


@bp.cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run queued jobs (RQ on JOBS_REDIS_URL); start as many as the machine can take."""
    if not queue.uses_rq():
        raise click.ClickException("JOBS_BACKEND is not rq: jobs run in the web process.")
    # SimpleWorker runs each job in this process, inside the application's context: no fork
    # shares the database connections, and each job removes its session when done.
    worker = SimpleWorker([queue.queue()], connection=queue.connection())
    worker.work(burst=burst, with_scheduler=False)


def tick() -> tuple[list[str], int, bool]:
    """One round of the scheduler: the periodic rows due now, then the sweep."""
    scheduled = periodic.schedule_due()
    woken, mail = queue.sweep()
    db.session.commit()
    return scheduled, woken, mail


@bp.cli.command("scheduler")
@click.option("--once", is_flag=True, help="One round, then stop (cron-style).")
@click.option("--interval", type=float, default=None, help="Seconds between rounds.")
def scheduler_command(once: bool, interval: float | None) -> None:
    """Enqueue the periodic jobs when due and re-enqueue whatever waits (only enqueues)."""
    every = interval or float(current_app.config["JOBS_SCHEDULER_INTERVAL"])
    while True:
        try:
            scheduled, woken, mail = tick()
            if scheduled or woken or mail or once:
                click.echo(
                    f"scheduled {', '.join(scheduled) or 'nothing'}; woke {woken} job(s)"
                    + ("; emails due" if mail else "")
                )
        except Exception as exc:  # the database or Redis is away: try again next round
            db.session.rollback()
            current_app.logger.exception("scheduler round failed")
            if once:
                raise click.ClickException(str(exc)) from exc
        finally:
            db.session.remove()
        if once:
            return
        time.sleep(every)


@bp.cli.command("sweep")
def sweep_command() -> None:
    """Wake workers (or, inline, run) every due job and the due emails."""
    woken, mail = queue.sweep()
    db.session.commit()
    click.echo(f"woke {woken} job(s)" + ("; emails due" if mail else ""))


@bp.cli.command("run-due")
def run_due_command() -> None:
    """Run every due job in this process (no worker needed)."""
    click.echo(f"ran {runner.run_due()} job(s)")


@bp.cli.command("status")
def status_command() -> None:
    """Count background jobs by kind and status."""
    rows = db.session.execute(
        select(BackgroundJob.kind, BackgroundJob.status, func.count())
        .group_by(BackgroundJob.kind, BackgroundJob.status)
        .order_by(BackgroundJob.kind, BackgroundJob.status)
    ).all()
    for kind, status, count in rows:
        click.echo(f"{kind} {status}: {count}")

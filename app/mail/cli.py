"""`flask mail send [--loop]` and `flask mail status`."""

from __future__ import annotations

import time

import click
from flask import Blueprint
from sqlalchemy import func, select

from app.extensions import db
from app.mail.models import OutgoingEmail
from app.mail.services import deliver_due

bp = Blueprint("mail", __name__, cli_group="mail")


@bp.cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running, sending due emails every few seconds.")
@click.option(
    "--interval", default=5.0, show_default=True, help="Seconds between rounds with --loop."
)
def send_command(loop: bool, interval: float) -> None:
    """Deliver queued emails that are due."""
    while True:
        sent, failed = deliver_due()
        if sent or failed or not loop:
            click.echo(f"sent {sent}, failed {failed}")
        if not loop:
            return
        time.sleep(interval)


@bp.cli.command("status")
def status_command() -> None:
    """Count emails in the outbox by status."""
    rows = db.session.execute(
        select(OutgoingEmail.status, func.count()).group_by(OutgoingEmail.status)
    ).all()
    for status, count in rows:
        click.echo(f"{status}: {count}")

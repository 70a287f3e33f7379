"""`flask calls send-reminders`: run from cron; sending twice sends nothing new."""

from __future__ import annotations

import click
from flask import Blueprint

from app.calls import services
from app.extensions import db

bp = Blueprint("calls_cli", __name__, cli_group="calls")


@bp.cli.command("send-reminders")
def send_reminders_command() -> None:
    """Remind designers whose application is still a draft 48 hours before the deadline."""
    sent = services.send_reminders()
    db.session.commit()
    click.echo(f"{sent} reminder(s) queued")

"""`flask calls send-reminders`: run from cron; sending twice sends nothing new."""

from __future__ import annotations

import click
from flask import Blueprint, current_app

from app.calls import services
from app.extensions import db

bp = Blueprint("calls_cli", __name__, cli_group="calls")


@bp.cli.command("send-reminders")
def send_reminders_command() -> None:
    """Remind designers whose application is still a draft 48 hours before the deadline."""
    # Emails are rendered with the site's templates, which expect a request: give them one.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        sent = services.send_reminders()
        db.session.commit()
    click.echo(f"{sent} reminder(s) queued")

"""`flask opportunities send-reminders`: run from cron (hourly is enough); running it again
sends nothing new."""

from __future__ import annotations

import click
from flask import Blueprint, current_app

from app.extensions import db
from app.opportunities import services

bp = Blueprint("opportunities_cli", __name__, cli_group="opportunities")


@bp.cli.command("send-reminders")
def send_reminders_command() -> None:
    """Remind people of their saved calls a week and 48 hours before each closes."""
    # Emails are rendered with the site's templates, which expect a request: give them one.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        sent = services.send_saved_reminders()
        db.session.commit()
    click.echo(f"{sent} saved-call reminder(s) sent")

"""`flask notifications send-digests`: the daily digest (run it once a day from cron)."""

from __future__ import annotations

import click
from flask import Blueprint, current_app

from app.extensions import db
from app.notifications import email_preferences

bp = Blueprint("notifications_cli", __name__, cli_group="notifications")


@bp.cli.command("send-digests")
def send_digests_command() -> None:
    """Gather each person's waiting digest items into one email; running it again sends
    nothing until new items wait."""
    # Emails are rendered with links and translations, which need a request: a synthetic one
    # on the public address (public_url never trusts it for the host anyway).
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        sent = email_preferences.send_daily_digests()
        db.session.commit()
    click.echo(f"daily digests queued: {sent}")

"""`flask messages send-digests`: email people about unread messages (run it every few minutes)."""

from __future__ import annotations

import click
from flask import Blueprint, current_app

from app.extensions import db
from app.messaging import services

bp = Blueprint("messaging_cli", __name__, cli_group="messages")


@bp.cli.command("send-digests")
def send_digests_command() -> None:
    """Queue one digest email per person with unread messages; safe to run repeatedly."""
    # Emails are rendered with links and translations, which need a request: a synthetic one
    # on the public address (public_url never trusts it for the host anyway).
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        queued = services.send_digests()
        db.session.commit()
    click.echo(f"digests queued: {queued}")

"""`flask social aggregate-views`: turn finished days' visitors into daily view counts (daily)."""

from __future__ import annotations

import click
from flask import Blueprint

from app.social import viewcount

bp = Blueprint("social_cli", __name__, cli_group="social")


@bp.cli.command("aggregate-views")
def aggregate_views_command() -> None:
    """Count each finished day's visitors per project, then forget them and the day's salt;
    safe to run again (run it once a day, after midnight UTC, from any one machine)."""
    written = viewcount.aggregate()
    click.echo(f"daily view counts written: {written}")

"""`flask media sweep`: remove what a worker killed mid-upload left behind."""

from __future__ import annotations

import click
from flask import Blueprint, current_app

from app.media.storage import FileSystemStorage

bp = Blueprint("media_cli", __name__, cli_group="media")


@bp.cli.command("sweep")
@click.option(
    "--older-than", default=3600, show_default=True, help="Seconds a temporary file must be old."
)
def sweep_command(older_than: int) -> None:
    """Remove temporary upload files (never a stored image) older than --older-than seconds."""
    storage = FileSystemStorage(current_app.config["MEDIA_ROOT"])
    removed = storage.sweep_partial(older_than=older_than)
    click.echo(f"removed {len(removed)} temporary file(s)")

"""`flask media sweep` (what a worker killed mid-upload left on disk) and `flask media migrate`
(copy the stored images from the disk to S3, or back)."""

from __future__ import annotations

from typing import Any

import click
from flask import Blueprint, current_app

from app.media.storage import FileSystemStorage, Storage, storage_from_config

bp = Blueprint("media_cli", __name__, cli_group="media")


@bp.cli.command("sweep")
@click.option(
    "--older-than", default=3600, show_default=True, help="Seconds a temporary file must be old."
)
def sweep_command(older_than: int) -> None:
    """Remove temporary upload files (never a stored image) older than --older-than seconds."""
    if current_app.config.get("MEDIA_STORAGE") == "s3":
        # An S3 PUT is all or nothing: a killed worker leaves no partial object behind.
        click.echo("removed 0 temporary file(s): S3 keeps no partial uploads")
        return
    storage = FileSystemStorage(current_app.config["MEDIA_ROOT"])
    removed = storage.sweep_partial(older_than=older_than)
    click.echo(f"removed {len(removed)} temporary file(s)")


def migrate(source: Storage, target: Storage, echo: Any = None) -> tuple[int, int]:
    """Copy every stored image from `source` to `target`: (copied, already there).

    Idempotent and resumable: a key already in the target is skipped (content-hash keys never
    change content), and each copy is one atomic write, so an interrupted run leaves only whole
    files and the next run carries on where it stopped. Nothing is deleted from the source."""
    copied = present = 0
    for key in source.stored_keys():
        if target.exists(key):
            present += 1
            continue
        stream = source.open(key)
        if stream is None:  # removed meanwhile (its row was deleted): nothing to copy
            continue
        with stream:
            data = stream.read()
        if target.save(key, data):
            copied += 1
        else:
            present += 1
        if echo is not None and (copied + present) % 500 == 0:
            echo(f"… {copied + present} files")
    return copied, present


@bp.cli.command("migrate")
@click.option(
    "--to",
    "destination",
    type=click.Choice(["s3", "filesystem"]),
    required=True,
    help="Where the images go; they are read from the other storage.",
)
def migrate_command(destination: str) -> None:
    """Copy the stored images to S3 (the S3_* settings) or to MEDIA_ROOT; safe to run again."""
    config = dict(current_app.config)
    source_kind = "filesystem" if destination == "s3" else "s3"
    if not config.get("S3_BUCKET"):  # one side is always the bucket
        raise click.UsageError("Set S3_BUCKET (and the other S3_* settings) first.")
    source = storage_from_config({**config, "MEDIA_STORAGE": source_kind})
    target = storage_from_config({**config, "MEDIA_STORAGE": destination})
    copied, present = migrate(source, target, echo=click.echo)
    click.echo(f"copied {copied} file(s), {present} already there")
    if destination != config.get("MEDIA_STORAGE"):
        click.echo(f"Now set MEDIA_STORAGE={destination} and restart the web processes.")

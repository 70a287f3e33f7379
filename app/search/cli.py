"""`flask search reindex`: rebuild the search documents of every registered kind."""

from __future__ import annotations

import click
from flask import Blueprint

from app.extensions import db
from app.search.services import reindex_all

bp = Blueprint("search_cli", __name__, cli_group="search")


@bp.cli.command("reindex")
def reindex_command() -> None:
    """Index every designer, project (and whatever other domains registered) again."""
    counts = reindex_all()
    db.session.commit()
    click.echo("reindexed: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

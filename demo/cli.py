"""`flask demo load`: fill an empty database with a believable network."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from demo import steps

group = AppGroup("demo", help="The demo network (development only).")


@group.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
def load_command(if_empty: bool) -> None:
    """Load the demo network (development only)."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("the demo data is never loaded in production")
    has_users = (db.session.scalar(select(func.count()).select_from(User)) or 0) > 0
    if has_users:
        if if_empty:
            click.echo("database not empty: demo data not loaded")
            return
        raise click.ClickException("the database already has accounts; use an empty database")
    summary = steps.load_all()
    db.session.commit()
    click.echo("demo loaded: " + ", ".join(f"{k} {v}" for k, v in summary.items()))

"""`flask users ...`: approve people and create the first admin from the command line."""

from __future__ import annotations

import click
from flask import Blueprint

from app.accounts import services
from app.accounts.handles import handle_problem
from app.accounts.passwords import password_problem
from app.extensions import db

bp = Blueprint("users", __name__, cli_group="users")


@bp.cli.command("approve")
@click.argument("handle")
def approve_command(handle: str) -> None:
    """Approve a pending person by handle."""
    user = services.find_by_handle(handle)
    if user is None:
        raise click.ClickException(f"no account with handle {handle!r}")
    try:
        services.approve_user(user, actor=None, reason="approved from the command line")
    except services.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"@{user.handle} is now active")


@bp.cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--handle", prompt=True)
@click.option("--name", "display_name", prompt="Display name")
@click.password_option()
def create_admin_command(email: str, handle: str, display_name: str, password: str) -> None:
    """Create an active admin account (for the first admin of a new network)."""
    handle = handle.strip().lower()
    problem = handle_problem(handle) or password_problem(password, email=email, handle=handle)
    if problem:
        raise click.ClickException(problem)
    if services.email_taken(email) or services.handle_taken(handle):
        raise click.ClickException("that email or handle is already used")
    user = services.create_admin(
        email=email, password=password, handle=handle, display_name=display_name
    )
    db.session.commit()
    click.echo(f"admin @{user.handle} created")

"""`flask users ...`: approve people and create the first admin from the command line."""

from __future__ import annotations

from typing import Any

import click
from flask import Blueprint, current_app

from app.accounts import services
from app.accounts.handles import handle_problem
from app.accounts.passwords import password_problem
from app.extensions import db
from app.moderation.actions import ModerationError, lift_suspension, suspend

bp = Blueprint("users", __name__, cli_group="users")


def _as_request() -> Any:
    """Emails and links are built as in a request to the public site (locale: the default)."""
    return current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"])


@bp.cli.command("approve")
@click.argument("handle")
def approve_command(handle: str) -> None:
    """Approve a pending person by handle."""
    user = services.find_by_handle(handle)
    if user is None:
        raise click.ClickException(f"no account with handle {handle!r}")
    try:
        with _as_request():
            services.approve_user(user, actor=None, reason="approved from the command line")
            # Inside the request: its teardown delivers the queued email after this commit.
            db.session.commit()
    except services.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
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


@bp.cli.command("suspend")
@click.argument("handle")
@click.option("--days", type=click.IntRange(1, 3650), default=None, help="Omit: until lifted.")
@click.option("--reason", required=True)
def suspend_command(handle: str, days: int | None, reason: str) -> None:
    """Suspend a person by handle; their sessions end at once (logged, no acting account)."""
    user = services.find_by_handle(handle)
    if user is None:
        raise click.ClickException(f"no account with handle {handle!r}")
    try:
        with _as_request():
            suspend(person=user, actor=None, days=days, reason=reason)
            # Inside the request: its teardown delivers the queued email after this commit.
            db.session.commit()
    except ModerationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"@{user.handle} is suspended")


@bp.cli.command("lift")
@click.argument("handle")
def lift_command(handle: str) -> None:
    """Lift a person's suspension by handle (logged, no acting account)."""
    user = services.find_by_handle(handle)
    if user is None:
        raise click.ClickException(f"no account with handle {handle!r}")
    try:
        with _as_request():
            lift_suspension(person=user, actor=None, reason="lifted from the command line")
            # Inside the request: its teardown delivers the queued email after this commit.
            db.session.commit()
    except ModerationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"@{user.handle} can log in again")

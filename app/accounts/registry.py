"""Accounts in the application: its pages, its command group, its part of a person's archive
and deletion, and members' profiles as content moderators can hide."""

from __future__ import annotations

from flask import Flask

from app.accounts import account_views, cli, data_views, owndata, services, views
from app.accounts.models import User
from app.extensions import db, login_manager
from app.moderation import targets


def _profile_url(user: User) -> str:
    return f"/organisers/{user.handle}" if user.is_organiser else f"/designers/{user.handle}"


def load_user(token: str) -> User | None:
    """Flask-Login's loader: the session's person; what loading changed is committed here."""
    loaded = services.load_session(token)
    if loaded.changed:
        db.session.commit()
    return loaded.user


def register(app: Flask) -> None:
    login_manager.user_loader(load_user)
    app.register_blueprint(views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(data_views.bp)
    app.register_blueprint(cli.bp)
    owndata.add_parts(
        exporters=[owndata.export_profile, owndata.export_settings, owndata.export_notifications],
        erasers=[owndata.erase_outbox],
    )
    targets.register(
        targets.TargetType(
            "profile",
            User,
            owner=lambda user: user,
            title=lambda user: f"{user.display_name} (@{user.handle})",
            public_url=_profile_url,
            snapshot=lambda user: user.display_name,
            preview_template="moderation/previews/_profile.html",
        )
    )

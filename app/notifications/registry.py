"""Notifications in the application: the notification centre and its navigation badge, email
preferences and the one-click unsubscribe, the daily digest command, and the preferences'
part of a person's archive and deletion."""

from __future__ import annotations

from flask import Flask

from app.accounts.owndata import add_parts
from app.navigation import register_count
from app.notifications import cli, owndata, preference_views, queries, views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(preference_views.bp)
    app.register_blueprint(cli.bp)
    register_count(app, "unread_notifications", queries.unread_count_expression)
    add_parts(
        exporters=[owndata.export_email_preferences],
        erasers=[owndata.erase_email_preferences],
    )

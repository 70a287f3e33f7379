"""Notifications in the application: the notification centre and its navigation badge."""

from __future__ import annotations

from flask import Flask

from app.navigation import register_count
from app.notifications import queries, views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    register_count(app, "unread_notifications", queries.unread_count_expression)

"""Notifications in the application: the notification centre and its navigation badge."""

from __future__ import annotations

from flask import Flask

from app.notifications import views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)

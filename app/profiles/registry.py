"""Profiles in the application: the disciplines admin."""

from __future__ import annotations

from flask import Flask

from app.profiles import views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)

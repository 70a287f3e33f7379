"""The home page and site-wide pages in the application."""

from __future__ import annotations

from flask import Flask

from app.main import views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)

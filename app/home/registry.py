"""The person's home in the application."""

from __future__ import annotations

from flask import Flask

from app.home import views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)

"""Uploaded images in the application: the route that serves them."""

from __future__ import annotations

from flask import Flask

from app.media import views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)

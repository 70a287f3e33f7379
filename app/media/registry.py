"""Uploaded images in the application: the route that serves them and `flask media sweep`."""

from __future__ import annotations

from flask import Flask

from app.media import cli, deferred, views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(cli.bp)
    # The owner's form asks whether a new avatar, logo or banner could not be resized.
    app.jinja_env.globals["image_failed"] = deferred.resize_failed

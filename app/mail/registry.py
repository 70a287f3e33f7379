"""Outgoing email in the application: `flask mail`."""

from __future__ import annotations

from flask import Flask

from app.mail import cli


def register(app: Flask) -> None:
    app.register_blueprint(cli.bp)

"""Demo data in the application: `flask demo`."""

from __future__ import annotations

from flask import Flask

from app.demo import cli


def register(app: Flask) -> None:
    app.register_blueprint(cli.bp)

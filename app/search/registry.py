"""Site search in the application: its page and `flask search`. The kinds of document are
registered by the domains that own them."""

from __future__ import annotations

from flask import Flask

from app.search import cli, views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(cli.bp)

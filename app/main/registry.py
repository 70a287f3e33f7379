"""The home page and site-wide pages in the application."""

from __future__ import annotations

from flask import Flask

from app.main import guidelines, views
from app.urls import public_url


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    # The report form links each reason to its rule; share previews need absolute links.
    app.jinja_env.globals["rule_for"] = guidelines.rule_for
    app.jinja_env.globals["public_url"] = public_url

"""Organisations in the application: the organiser's form, the directory, the logo's place in a
person's archive and its removal with the account."""

from __future__ import annotations

from flask import Flask

from app.accounts.owndata import add_parts
from app.organisations import owndata, views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    add_parts(exporters=[owndata.export_logo], erasers=[owndata.erase_logo])

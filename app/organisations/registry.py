"""Organisations in the application: the organiser's form, the directory, the logo's place in a
person's archive and its removal with the account."""

from __future__ import annotations

from flask import Flask

from app.accounts.owndata import add_parts
from app.media.deferred import register_slot
from app.organisations import owndata, services, views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    add_parts(exporters=[owndata.export_logo], erasers=[owndata.erase_logo])
    # A new logo is resized after the response, by a background job.
    register_slot(services.LOGO_SLOT)

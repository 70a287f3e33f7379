"""Moderation in the application: its pages (queues, reports, admin) and its part of a
person's archive."""

from __future__ import annotations

from flask import Flask

from app.accounts.owndata import add_parts
from app.moderation import admin_views, owndata, views


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(views.report_bp)
    app.register_blueprint(admin_views.bp)
    add_parts(exporters=[owndata.export_reports, owndata.export_moderation])

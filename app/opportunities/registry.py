"""Opportunities in the application: saved calls, alerts and private feeds; the reminders
command; alerts matched when a call is published and told daily through the digest; the
person's archive and deletion parts."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.accounts.owndata import add_parts
from app.calls.signals import call_published
from app.mail import digests
from app.opportunities import cli, owndata, services, views


def _on_publish(call: Any) -> None:
    services.match_published_call(call)


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(cli.bp)
    call_published.connect(_on_publish)
    digests.register_source(app, services.send_daily_alerts)
    add_parts(exporters=[owndata.export_opportunities], erasers=[owndata.erase_opportunities])

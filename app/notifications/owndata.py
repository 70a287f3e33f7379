"""Notifications' part of "own your data": the person's email preferences."""

from __future__ import annotations

from sqlalchemy import delete

from app.accounts.models import User
from app.accounts.owndata import Cleanup, ExportPart
from app.extensions import db
from app.mail.models import EmailPreference
from app.mail.services import preferences_of


def export_email_preferences(user: User) -> ExportPart:
    """How the person wants each category of email (the defaults included)."""
    return ExportPart(
        "email_preferences",
        {str(category): str(delivery) for category, delivery in preferences_of(user.id).items()},
    )


def erase_email_preferences(user: User) -> list[Cleanup]:
    """The choices go with the account (emails waiting for a digest are cancelled with the
    rest of the outbox, app.accounts.owndata.erase_outbox)."""
    db.session.execute(delete(EmailPreference).where(EmailPreference.user_id == user.id))
    return []

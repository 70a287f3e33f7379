"""Organisations' part of "own your data": the logo in the archive, and its files removed with
the account (after the commit, unless another organisation uses the same image)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.owndata import Cleanup, ExportPart
from app.extensions import db
from app.media.storage import Storage, get_storage
from app.organisations.services import erase_logo_files
from app.profiles.models import OrganiserProfile


def _profile(user: User) -> OrganiserProfile | None:
    return db.session.scalar(select(OrganiserProfile).where(OrganiserProfile.user_id == user.id))


def _opener(storage: Storage, key: str) -> Callable[[], IO[bytes]]:
    """Open the file while the archive streams (after the request: storage resolved now)."""

    def open_file() -> IO[bytes]:
        found = storage.open(key)
        return found if found is not None else io.BytesIO(b"")

    return open_file


def export_logo(user: User) -> ExportPart:
    """The organisation's logo at the largest size kept, with its description."""
    profile = _profile(user)
    if profile is None or not profile.logo_key:
        return ExportPart("organisation_logo", {"file": None, "alt_text": ""})
    widths = profile.logo_widths()
    key = f"{profile.logo_key}/{widths[-1]}.webp"
    return ExportPart(
        "organisation_logo",
        {"file": "files/logo.webp", "alt_text": profile.logo_alt},
        [("logo.webp", _opener(get_storage(), key))],
    )


def erase_logo(user: User) -> list[Cleanup]:
    """Runs before accounts' eraser deletes the profile row (DOMAINS order)."""
    profile = _profile(user)
    if profile is not None:
        erase_logo_files(profile)
    return []

"""Own your data: every domain adds what a person gave (export) and how it goes (deletion).

Each domain's `register(app)` adds its exporters (`export_x(user) -> ExportPart`) and erasers
(`erase_x(user) -> list[cleanup]`, where each cleanup removes a stored file and runs only after
the deletion committed) with `add_parts`; the archive lists the parts in the order the factory
registers the domains (app/__init__.py). The archive is streamed: files are copied in chunks, so a
portfolio of 200 images never holds more than one chunk in memory.
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy import delete, select

from app.accounts.models import StaffRole, User, UserStatus
from app.accounts.passwords import verify_password
from app.accounts.services import AccountError, end_all_sessions
from app.db_types import utcnow
from app.extensions import db
from app.jobs.files import defer_discarded_files
from app.mail.services import forget_mentions, forget_recipient
from app.moderation.actions import active_admin_count
from app.moderation.models import ActionKind
from app.moderation.services import log_action
from app.notifications.models import Notification
from app.profiles.models import DesignerProfile, OrganiserProfile

Cleanup = Callable[[], None]


@dataclass
class ExportPart:
    """One JSON file of the archive (`<name>.json`) and the files that go with it."""

    name: str
    data: Any
    # (path inside the archive under files/, a function that opens the file for reading)
    files: list[tuple[str, Callable[[], IO[bytes]]]] = field(default_factory=list)


EXPORTERS: list[Callable[[User], ExportPart]] = []
ERASERS: list[Callable[[User], list[Cleanup]]] = []


def add_parts(
    *,
    exporters: Iterable[Callable[[User], ExportPart]] = (),
    erasers: Iterable[Callable[[User], list[Cleanup]]] = (),
) -> None:
    """Register what a domain puts in a person's archive and how it deletes a person's things
    (rows now, files after commit). Called from the domain's `register(app)`; registering twice
    (a second application in the same process) changes nothing."""
    for export in exporters:
        if export not in EXPORTERS:
            EXPORTERS.append(export)
    for erase in erasers:
        if erase not in ERASERS:
            ERASERS.append(erase)


def when(value: Any) -> str | None:
    """A date or time as ISO 8601 text, or None."""
    return value.isoformat() if value is not None else None


# --- Export ---------------------------------------------------------------------------------


def export_parts(user: User) -> list[ExportPart]:
    """Everything a person gave, read now (inside the request), ready to stream."""
    return [fn(user) for fn in EXPORTERS]


class _Sink(io.RawIOBase):
    """A write-only, unseekable stream: zipfile writes into it, the response drains it."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        out = b"".join(self.chunks)
        self.chunks.clear()
        return out


CHUNK = 64 * 1024


def stream_zip(parts: list[ExportPart], *, readme: str) -> Iterator[bytes]:
    """The archive as a stream of bytes; each file is copied chunk by chunk."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for part in parts:
            archive.writestr(
                f"{part.name}.json", json.dumps(part.data, ensure_ascii=False, indent=2)
            )
            yield sink.drain()
            for name, opener in part.files:
                with (
                    opener() as source,
                    archive.open(f"files/{name}", "w", force_zip64=True) as out,
                ):
                    while chunk := source.read(CHUNK):
                        out.write(chunk)
                        if data := sink.drain():
                            yield data
    yield sink.drain()


def export_profile(user: User) -> ExportPart:
    data: dict[str, Any] = {
        "handle": user.handle,
        "display_name": user.display_name,
        "account_type": str(user.account_type),
        "status": str(user.status),
        "created_at": when(user.created_at),
        "approved_at": when(user.approved_at),
    }
    designer = db.session.scalar(select(DesignerProfile).where(DesignerProfile.user_id == user.id))
    if designer is not None:
        data["designer_profile"] = {
            "bio": designer.bio,
            "city": designer.city,
            "country": designer.country,
            "birth_date": designer.birth_date.isoformat() if designer.birth_date else None,
            "available_for_work": designer.available_for_work,
            "links": designer.links,
            "disciplines": [d.slug for d in designer.disciplines],
        }
    organiser = db.session.scalar(
        select(OrganiserProfile).where(OrganiserProfile.user_id == user.id)
    )
    if organiser is not None:
        data["organiser_profile"] = {
            "organisation": organiser.organisation,
            "website": organiser.website,
            "description": organiser.description,
            "city": organiser.city,
            "country": organiser.country,
            "logo_alt": organiser.logo_alt,
            "contact_email": organiser.contact_email,
            "show_contact_email": organiser.show_contact_email,
            "verified_at": when(organiser.verified_at),
        }
    return ExportPart("profile", data)


def export_settings(user: User) -> ExportPart:
    return ExportPart(
        "settings",
        {
            "email": user.email,
            "email_verified_at": when(user.email_verified_at),
            "locale": user.locale,
            "timezone": user.timezone,
        },
    )


def export_notifications(user: User) -> ExportPart:
    rows = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    return ExportPart(
        "notifications",
        [{"kind": n.kind, "text": n.text, "created_at": when(n.created_at)} for n in rows],
    )


# --- Deletion -------------------------------------------------------------------------------


# Projects, their images and files are erased by the portfolios domain (app/portfolios/owndata.py),
# which knows the storage and the search index.


def erase_profile(user: User) -> list[Cleanup]:
    db.session.execute(delete(DesignerProfile).where(DesignerProfile.user_id == user.id))
    db.session.execute(delete(OrganiserProfile).where(OrganiserProfile.user_id == user.id))
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    return []


def erase_outbox(user: User) -> list[Cleanup]:
    """Emails to the person keep no address and no words of theirs (runs before the address
    and name are replaced); those still queued are never sent; sent emails that named them
    (e.g. others' message digests) keep no body."""
    forget_recipient(user.email)
    forget_mentions(user.display_name)
    return []


FORMER_MEMBER = "former member"


def delete_account(*, user: User, password: str) -> list[Cleanup]:
    """Delete a person's account after checking the password; returns the file cleanups to run
    once the transaction committed. The row stays, anonymised, so that the log and the
    conversations keep their shape and the handle is not taken by someone else."""
    if not verify_password(user.password_hash, password):
        raise AccountError(_("Your password is not correct."))
    if user.staff_role == StaffRole.ADMIN and active_admin_count() <= 1:
        raise AccountError(_("You are the last admin: make someone else admin first."))
    cleanups: list[Cleanup] = []
    for fn in ERASERS:
        cleanups.extend(fn(user))
    # The profile rows go last: the other domains' erasers read them first (the avatar's and the
    # logo's files, say), whatever order the domains registered in.
    cleanups.extend(erase_profile(user))
    end_all_sessions(user)
    db.session.expire(user)
    user.status = UserStatus.DELETED
    user.staff_role = StaffRole.NONE
    user.email = f"deleted-{user.id}-{secrets.token_hex(4)}@deleted.invalid"
    user.display_name = FORMER_MEMBER
    user.password_hash = "!deleted"  # noqa: S105 (matches no password: nobody logs in)
    user.status_reason = None
    user.suspended_until = None
    user.locale = None
    user.timezone = None
    user.hidden_at = utcnow()
    log_action(kind=ActionKind.DELETE_ACCOUNT, actor=None, subject=user)
    # Their files (images, originals, avatar) are removed by a background job once this
    # commits: written in this transaction, it is lost only if the deletion is.
    defer_discarded_files()
    return cleanups

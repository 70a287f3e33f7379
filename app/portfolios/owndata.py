"""Portfolios' part of "own your data": project images and the avatar in the archive, and the
files removed from storage when an account is deleted (after the commit)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.accounts.owndata import Cleanup, ExportPart, when
from app.extensions import db
from app.media.deferred import clear
from app.media.storage import Storage, get_storage
from app.portfolios.models import Project
from app.portfolios.services import (
    AVATAR_SLOT,
    AVATAR_WIDTHS,
    delete_project,
    remove_user_from_index,
)
from app.profiles.models import DesignerProfile


def _opener(storage: Storage, key: str) -> Callable[[], IO[bytes]]:
    """Open a stored file later, while the archive streams: after the request ended, with no
    application context, so the storage is resolved now and carried along."""

    def open_file() -> IO[bytes]:
        # Opened only while the archive is written, one file at a time.
        found = storage.open(key)
        return found if found is not None else io.BytesIO(b"")

    return open_file


def _largest_avatar(storage: Storage, key: str) -> str:
    """The largest re-encoded copy kept of an avatar: a small upload has no 400 px copy (never
    upscaled); its fallback JPEG is at its own size."""
    for width in sorted(AVATAR_WIDTHS, reverse=True):
        if storage.exists(f"{key}/{width}.webp"):
            return f"{key}/{width}.webp"
    return f"{key}/fallback.jpg"


# The first bytes of each allowed upload format (app/media/pipeline.py ALLOWED_FORMATS).
_SIGNATURES = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG", "png"), (b"GIF8", "gif"))


def _uploaded_extension(storage: Storage, key: str) -> str | None:
    """The extension of a kept upload, from its first bytes; None when the file is gone."""
    found = storage.open(key)
    if found is None:
        return None
    with found:
        head = found.read(12)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return next((ext for sig, ext in _SIGNATURES if head.startswith(sig)), "bin")


def export_projects(user: User) -> ExportPart:
    """The projects' words (their images come with `export_images`)."""
    projects = db.session.scalars(
        select(Project).where(Project.owner_id == user.id).order_by(Project.created_at)
    )
    return ExportPart(
        "projects",
        [
            {
                "id": p.id,
                "slug": p.slug,
                "title": p.title,
                "description": p.description,
                "year": p.year,
                "is_published": p.is_published,
                "created_at": when(p.created_at),
                "updated_at": when(p.updated_at),
            }
            for p in projects
        ],
    )


def export_images(user: User) -> ExportPart:
    """Each project image at the largest size kept (made from the private original with its
    metadata, GPS included, stripped), with its alt text and caption. An image whose sizes are
    not made yet (still being resized, or its file did not decode) comes as the file the person
    uploaded, kept privately until then: theirs, metadata included (`"resized": false`)."""
    storage = get_storage()
    projects = db.session.scalars(
        select(Project)
        .where(Project.owner_id == user.id)
        .options(selectinload(Project.images))
        .order_by(Project.id)
    )
    rows: list[dict[str, object]] = []
    files: list[tuple[str, Callable[[], IO[bytes]]]] = []
    for project in projects:
        for image in sorted(project.images, key=lambda i: i.position):
            stem = f"projects/{project.slug}/{image.position + 1:02d}"
            name: str | None = None
            if image.widths:
                name = f"{stem}.webp"
                key = f"{image.storage_key}/{max(image.widths)}.webp"
                files.append((name, _opener(storage, key)))
            elif image.original_key is not None:
                ext = _uploaded_extension(storage, image.original_key)
                if ext is not None:
                    name = f"{stem}-uploaded.{ext}"
                    files.append((name, _opener(storage, image.original_key)))
            rows.append(
                {
                    "project": project.slug,
                    "position": image.position + 1,
                    "file": f"files/{name}" if name else None,
                    "resized": bool(image.widths),
                    "processing_error": image.processing_error,
                    "alt_text": image.alt_text,
                    "caption": image.caption,
                    "cover": image.is_cover,
                    "width": image.width,
                    "height": image.height,
                }
            )
    profile = db.session.scalar(select(DesignerProfile).where(DesignerProfile.user_id == user.id))
    if profile is not None and profile.avatar_key:
        largest = _largest_avatar(storage, profile.avatar_key)
        files.append((f"avatar.{largest.rsplit('.', 1)[-1]}", _opener(storage, largest)))
    if profile is not None and profile.avatar_original_key:
        # A new avatar whose sizes are not made yet: the file the person uploaded.
        ext = _uploaded_extension(storage, profile.avatar_original_key)
        if ext is not None:
            files.append((f"avatar-uploaded.{ext}", _opener(storage, profile.avatar_original_key)))
    return ExportPart("images", rows, files)


def erase_portfolio(user: User) -> list[Cleanup]:
    """Projects with their images and search entries, appreciations given; files no one else
    uses go after commit."""
    for project in db.session.scalars(
        select(Project).where(Project.owner_id == user.id).options(selectinload(Project.images))
    ).all():
        delete_project(project, actor=user)
    profile = db.session.scalar(select(DesignerProfile).where(DesignerProfile.user_id == user.id))
    if profile is not None:
        clear(AVATAR_SLOT, profile)  # the avatar shown and one still being resized
    # Their designer entry leaves the index and their appreciations leave others' counts.
    remove_user_from_index(user)
    return []

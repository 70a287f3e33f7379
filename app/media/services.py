"""Storing processed images in step with the database transaction.

Files are written before the rows that name them. If the transaction rolls back, the files that
this transaction created are removed again; files to delete are removed only after the commit.
So a failure never leaves an orphan file, and a crash never leaves a row without its file.
"""

from __future__ import annotations

import errno
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.media.pipeline import ImageRejected, ProcessedImage, check_image, process_image
from app.media.s3 import StorageUnavailable
from app.media.storage import get_storage

log = logging.getLogger("app.media")
NEW_KEY = "media_new_files"
DOOMED_KEY = "media_doomed_files"


@dataclass
class StoredImage:
    key: str  # base key: variants live under `<key>/<name>`
    width: int
    height: int
    widths: list[int]
    size_bytes: int = 0  # all variants together, as stored


def variant_keys(key: str, widths: list[int]) -> list[str]:
    return [f"{key}/{w}.webp" for w in widths] + [f"{key}/fallback.jpg"]


def store_image(
    data: bytes, *, kind: str, widths: tuple[int, ...] | None = None, square: bool = False
) -> StoredImage:
    """Judge, re-encode and store an upload (raises ImageRejected); removed again on rollback."""
    processed: ProcessedImage = (
        process_image(data, widths=widths, square=square)
        if widths
        else process_image(data, square=square)
    )
    key = f"{kind}/{processed.digest[:2]}/{processed.digest}"
    for variant in processed.variants:
        _save(f"{key}/{variant.name}", variant.data)
    return StoredImage(
        key=key,
        width=processed.width,
        height=processed.height,
        widths=processed.widths,
        size_bytes=sum(len(v.data) for v in processed.variants),
    )


@dataclass
class StoredOriginal:
    key: str  # `u/<2>/<sha256>`: never served (the media view serves variants only)
    width: int
    height: int
    size_bytes: int


def store_original(data: bytes) -> StoredOriginal:
    """Check an upload (raises ImageRejected) and keep it, unchanged and private, until a
    background job makes its sizes (`store_variants`); removed again on rollback."""
    checked = check_image(data)
    key = f"u/{checked.digest[:2]}/{checked.digest}"
    _save(key, data)
    return StoredOriginal(key=key, width=checked.width, height=checked.height, size_bytes=len(data))


def store_variants(
    original_key: str, *, kind: str, widths: tuple[int, ...] | None = None, square: bool = False
) -> StoredImage:
    """The resizing step, in a background job: re-encode a stored original into its sizes.
    Raises ImageRejected (the original could not be decoded after all) or FileNotFoundError
    (it is gone)."""
    stream = get_storage().open(original_key)
    if stream is None:
        raise FileNotFoundError(original_key)
    with stream:
        data = stream.read()
    return store_image(data, kind=kind, widths=widths, square=square)


def _save(key: str, data: bytes) -> None:
    """Write one file of this transaction (removed again if it rolls back); a full disk or a
    bucket that does not answer refuses the upload clearly (ImageRejected)."""
    created: list[str] = db.session.info.setdefault(NEW_KEY, [])
    try:
        saved = get_storage().save(key, data)
    except StorageUnavailable as exc:
        # The bucket does not answer: refused clearly, rolled back like a full disk.
        raise ImageRejected("storage_unavailable") from exc
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        # The disk is full: refuse this upload clearly; the view rolls back, and the files
        # already written by this transaction are removed with it.
        log.error("media storage full, upload refused: %s", exc)
        raise ImageRejected("storage_full") from exc
    if saved:
        created.append(key)


def discard_image(key: str, widths: list[int]) -> None:
    """Delete an image's files once the transaction commits (the caller checked no row uses it)."""
    doomed: list[str] = db.session.info.setdefault(DOOMED_KEY, [])
    doomed.extend(variant_keys(key, widths))


def discard_original(key: str) -> None:
    """Delete a private original once the transaction commits (the caller checked no row uses
    it)."""
    doomed: list[str] = db.session.info.setdefault(DOOMED_KEY, [])
    doomed.append(key)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(NEW_KEY, None)
    _delete_quietly(session.info.pop(DOOMED_KEY, None))


def _delete_quietly(keys: list[str] | None) -> None:
    """Remove files; a failure is logged, never raised (the database is already right)."""
    if not keys:
        return
    storage = get_storage()
    for key in keys:
        try:
            storage.delete(key)
        except (OSError, ValueError):
            log.warning("could not delete media file %s", key, exc_info=True)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: Any) -> None:
    # Reached after a commit too, but after_commit has already emptied the list by then: what
    # remains here belongs to a transaction that rolled back or was closed without committing.
    if transaction.parent is not None:
        return
    session.info.pop(DOOMED_KEY, None)
    _delete_quietly(session.info.pop(NEW_KEY, None))

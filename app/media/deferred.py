"""Avatars, logos and banners resized after the response, as project images are.

An image *slot* is the one image a row shows: a designer's avatar, an organisation's logo, a
call's banner. In the request, `accept` answers every check the person must see (a real image,
its bytes, pixels and sides: `check_image`) and keeps the original private; its key waits in the
slot's original column while the served key keeps the previous image (or none: the initial, no
banner), so every page that shows it keeps working. The `media.resize` job makes the sizes from
the original, then swaps them in; the previous files and the original go after its commit.

A domain describes its slot (`Slot`) and registers it from its `register(app)`; this module
runs the same job for all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.jobs.models import BackgroundJob, JobStatus
from app.jobs.runner import PermanentFailure, add_job, register_handler
from app.media.limits import take_uploads
from app.media.pipeline import ImageRejected
from app.media.services import (
    StoredImage,
    discard_image,
    discard_original,
    store_original,
    store_variants,
)

RESIZE_SLOT_JOB = "media.resize"
# Errors of the storage, not of the image: the runner retries them with back-off.
STORAGE_REASONS = ("storage_unavailable", "storage_full")


@dataclass(frozen=True)
class Slot:
    name: str  # "avatar": the row's columns are `avatar_key` and `avatar_original_key`
    model: type[Any]
    kind: str  # first part of the stored key ("a")
    widths: tuple[int, ...]
    square: bool = False
    # What the row keeps beside the key, from the sizes made (None: the image is removed).
    keep: Callable[[Any, StoredImage | None], None] | None = None
    # The widths stored under the row's key (default: `widths`, every one made, as for a square).
    widths_of: Callable[[Any], list[int]] | None = None
    after: Callable[[Any], None] | None = None  # once the sizes are in (a search entry)

    @property
    def key(self) -> str:
        """The served key's attribute: its sizes live under `<key>/<width>.webp`."""
        return f"{self.name}_key"

    @property
    def original(self) -> str:
        """The attribute of the private original's key while its sizes are being made."""
        return f"{self.name}_original_key"

    def served_widths(self, row: Any) -> list[int]:
        return self.widths_of(row) if self.widths_of else list(self.widths)

    def show(self, row: Any, stored: StoredImage | None) -> None:
        """Serve these sizes from the row (None: no image)."""
        setattr(row, self.key, stored.key if stored else None)
        if self.keep is not None:
            self.keep(row, stored)


SLOTS: dict[str, Slot] = {}
# Every column that may name a private original (the slots', project images'): one is erased
# only when none of them names it any more (originals are content-addressed, so shared).
ORIGINAL_COLUMNS: list[Any] = []


def register_slot(slot: Slot) -> None:
    SLOTS[slot.name] = slot
    register_original_column(getattr(slot.model, slot.original))
    register_handler(RESIZE_SLOT_JOB, resize_slot)


def register_original_column(column: Any) -> None:
    if not any(column is known for known in ORIGINAL_COLUMNS):
        ORIGINAL_COLUMNS.append(column)


def original_in_use(key: str, *, besides: Any = None) -> bool:
    """Whether a row still names this private original (`besides`: a column the caller checked
    itself, with its own exclusions)."""
    return any(
        db.session.scalar(select(func.count()).where(column == key))
        for column in ORIGINAL_COLUMNS
        if column is not besides
    )


def is_pending(slot: Slot, row: Any) -> bool:
    """A new image waits for its sizes (the owner's page says "processing")."""
    return getattr(row, slot.original) is not None


def resize_failed(name: str, row: Any) -> bool:
    """The job of the row's waiting image failed for good (the owner's form says so rather than
    "processing"); one query, asked only while an image waits."""
    slot = SLOTS[name]
    original = getattr(row, slot.original)
    if original is None:
        return False
    found = db.session.scalar(
        select(BackgroundJob.id)
        .where(
            BackgroundJob.status == JobStatus.FAILED,
            BackgroundJob.kind == RESIZE_SLOT_JOB,
            BackgroundJob.payload["original"].as_string() == original,
            BackgroundJob.payload["slot"].as_string() == slot.name,
            BackgroundJob.payload["id"].as_integer() == row.id,
        )
        .limit(1)
    )
    return found is not None


def accept(slot: Slot, row: Any, data: bytes, *, person_id: int) -> None:
    """In the request: count it against the uploader's limit, judge the upload and keep its
    original (raises ImageRejected; the file is removed again if the transaction rolls back); a
    job makes its sizes after the response."""
    if not take_uploads(person_id):
        raise ImageRejected("upload_rate")
    stored = store_original(data)
    previous = getattr(row, slot.original)
    setattr(row, slot.original, stored.key)
    db.session.flush()
    if previous and previous != stored.key:
        _discard_original_if_unused(previous)
    add_job(RESIZE_SLOT_JOB, {"slot": slot.name, "id": row.id, "original": stored.key})


def clear(slot: Slot, row: Any) -> None:
    """Remove the slot's image, the one served and one still waiting; files no other row uses
    go after the commit (never commits)."""
    key, widths = getattr(row, slot.key), slot.served_widths(row)
    original = getattr(row, slot.original)
    slot.show(row, None)
    setattr(row, slot.original, None)
    db.session.flush()
    if key:
        _discard_served_if_unused(slot, key, widths)
    if original:
        _discard_original_if_unused(original)


def drop_pending(slot: Slot, row: Any) -> None:
    """Forget an upload still waiting for its sizes (its job then does nothing); the image shown
    stays. The original goes after the commit unless another row names it."""
    original = getattr(row, slot.original)
    if original:
        setattr(row, slot.original, None)
        db.session.flush()
        _discard_original_if_unused(original)


def _discard_served_if_unused(slot: Slot, key: str, widths: list[int]) -> None:
    others = db.session.scalar(
        select(func.count()).select_from(slot.model).where(getattr(slot.model, slot.key) == key)
    )
    if not others:
        discard_image(key, widths)


def _discard_original_if_unused(key: str) -> None:
    if not original_in_use(key):
        discard_original(key)


def resize_slot(payload: dict[str, Any]) -> None:
    """The background job of one slot's upload: make its sizes, then swap them in.

    Idempotent: a row gone, or whose waiting original is another by now (replaced, removed,
    already done), is left alone. An original that does not decode after all fails the job for
    good (the admin's failed jobs list it; the pages keep the previous image); a storage that
    does not answer is retried by the runner with back-off."""
    slot = SLOTS.get(str(payload.get("slot")))
    row_id, original = payload.get("id"), payload.get("original")
    if slot is None or not isinstance(row_id, int) or not isinstance(original, str):
        raise PermanentFailure(f"not a slot's resizing: {payload!r}")
    row = db.session.get(slot.model, row_id)
    if row is None or getattr(row, slot.original) != original:
        return
    try:
        stored = store_variants(original, kind=slot.kind, widths=slot.widths, square=slot.square)
    except ImageRejected as exc:
        if exc.reason in STORAGE_REASONS:
            raise
        raise PermanentFailure(f"the {slot.name} could not be resized: {exc.reason}") from exc
    except FileNotFoundError as exc:
        raise PermanentFailure(f"the {slot.name}'s original is missing") from exc
    # The resizing took seconds without a lock; now lock the row only to swap the sizes in, if
    # the person did not replace or remove the upload meanwhile (the new files then go with the
    # rollback).
    db.session.expire(row)
    row = db.session.scalars(
        select(slot.model).where(slot.model.id == row_id).with_for_update()
    ).first()
    if row is None or getattr(row, slot.original) != original:
        db.session.rollback()
        return
    old_key, old_widths = getattr(row, slot.key), slot.served_widths(row)
    slot.show(row, stored)
    setattr(row, slot.original, None)
    db.session.flush()
    if old_key and old_key != stored.key:
        _discard_served_if_unused(slot, old_key, old_widths)
    _discard_original_if_unused(original)
    if slot.after is not None:
        slot.after(row)

"""Removing stored files as a background job (account deletion's clean-up).

The files to remove are written as a job row in the same transaction as the deletion: if the
deletion rolls back, the row goes with it and the files stay; once it commits, a worker removes
them, and a crash or a Redis outage in between only delays that (the sweep finds the row).
"""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.jobs import runner
from app.media.services import DOOMED_KEY
from app.media.storage import get_storage

DELETE_FILES = "files.delete"


def defer_discarded_files() -> int:
    """Move the files this transaction discarded (app.media.services.discard_image) into a job
    row, instead of deleting them right after the commit; how many files."""
    keys: list[str] = db.session.info.pop(DOOMED_KEY, None) or []
    if keys:
        runner.add_job(DELETE_FILES, {"keys": sorted(set(keys))})
    return len(keys)


def delete_files(payload: dict[str, Any]) -> None:
    """Remove each file (one already gone is fine: the job may run twice)."""
    storage = get_storage()
    for key in payload.get("keys", []):
        storage.delete(str(key))

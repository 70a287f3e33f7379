"""Where media files live, behind a small interface: files on disk (`MEDIA_STORAGE=filesystem`,
the default) or an S3-compatible bucket (`MEDIA_STORAGE=s3`, app/media/s3.py).

Keys are relative, slash-separated names such as `p/ab/ab12…/1200.webp`. On disk, writes go to a
temporary file renamed into place, so a crash never leaves a partial file under a real key; on S3
a single PUT is all or nothing (see app/media/s3.py).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from flask import current_app

# Prefix of the temporary files a write goes through before it is renamed to its key.
TEMP_PREFIX = ".upload-"
KEY_RE = re.compile(r"^[a-z]/[0-9a-f]{2}/[0-9a-f]{16,64}(/[0-9a-z]+\.(webp|jpg))?$")


def valid_key(key: str) -> bool:
    """Only our own key shapes: no `..`, no absolute paths, no surprises."""
    return bool(KEY_RE.match(key))


class Storage(Protocol):
    def save(self, key: str, data: bytes) -> bool:
        """Store data under key; False when it already existed (content-hash names)."""

    def open(self, key: str) -> BinaryIO | None: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def presigned_url(self, key: str, expires: int) -> str | None:
        """A short-lived link straight to the stored bytes, or None where there is none (disk)."""

    def stored_keys(self) -> list[str]:
        """Every stored key, sorted (for `flask media migrate`)."""


class FileSystemStorage:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not valid_key(key):
            raise ValueError(f"invalid media key: {key!r}")
        return self.root / key

    def save(self, key: str, data: bytes) -> bool:
        path = self._path(key)
        if path.exists():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True

    def sweep_partial(self, older_than: float = 3600) -> list[Path]:
        """Remove the temporary files a killed worker left mid-write (never a real key).

        Only files older than `older_than` seconds go, so that a write in progress is kept."""
        removed = []
        cutoff = time.time() - older_than
        for path in self.root.rglob(f"{TEMP_PREFIX}*"):
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed.append(path)
            except FileNotFoundError:
                continue
        return removed

    def open(self, key: str) -> BinaryIO | None:
        try:
            return self._path(key).open("rb")
        except (FileNotFoundError, ValueError):
            return None

    def exists(self, key: str) -> bool:
        return valid_key(key) and self._path(key).exists()

    def presigned_url(self, _key: str, _expires: int) -> str | None:
        return None  # files on disk are streamed by the app

    def stored_keys(self) -> list[str]:
        found = []
        for path in self.root.rglob("*"):
            key = path.relative_to(self.root).as_posix()
            # Every file of ours: the sizes (`p/ab/<digest>/400.webp`) and the private
            # originals kept for the background resizing (`u/ab/<digest>`).
            if path.is_file() and valid_key(key):
                found.append(key)
        return sorted(found)

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        parent = path.parent
        # Remove the per-image folder once empty; the two-letter shard stays.
        try:
            if parent != self.root and not any(parent.iterdir()):
                parent.rmdir()
        except OSError:
            pass  # already gone, or a new file arrived meanwhile: both fine


def storage_from_config(config: Any) -> Storage:
    """The storage the settings choose: MEDIA_STORAGE=s3 (S3_*), else files under MEDIA_ROOT."""
    if config.get("MEDIA_STORAGE") == "s3":
        # Imported here: app/media/s3.py imports valid_key from this module (and boto3).
        from app.media import s3  # noqa: PLC0415

        return s3.storage_from_config(config)
    return FileSystemStorage(config["MEDIA_ROOT"])


def get_storage() -> Storage:
    """The app's storage, built once per app from its settings."""
    storage: Storage | None = current_app.extensions.get("media_storage")
    if storage is None:
        storage = storage_from_config(current_app.config)
        current_app.extensions["media_storage"] = storage
    return storage

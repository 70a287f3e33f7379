"""Media on S3-compatible object storage (AWS S3, MinIO, Cloudflare R2, Garage), through boto3.

The bucket stays private: nothing in it is readable without a signature. Keys are the same
content-hash keys as on disk (`p/ab/ab12…/1200.webp`), under an optional prefix.

Atomic writes without a temporary key: an S3 PUT is all or nothing. The object appears under its
key only once the whole body has arrived and its checksum matched (boto3 sends one with every
PUT); a connection cut halfway leaves no object at all, never a partial one. So the final
content-hash key exists only when complete, as the rename does on disk. Where the service knows
conditional writes (`If-None-Match: *`), two workers storing the same image never both believe
they created it, so a rollback in one never removes the file the other one's row uses.
"""

from __future__ import annotations

import errno
import functools
import io
import logging
from collections.abc import Callable
from typing import Any, BinaryIO, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.media.storage import valid_key

log = logging.getLogger("app.media")

CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png", "gif": "image/gif"}
# Stored with each object: what S3 answers when a browser follows a presigned link to it.
OBJECT_CACHE_CONTROL = "private, max-age=31536000, immutable"
NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


T = TypeVar("T")


class StorageUnavailable(OSError):
    """The bucket did not answer (or refused us): an OSError, as a failing disk would raise."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.EIO, message)


def _code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _unavailable_as_oserror(method: Callable[..., T]) -> Callable[..., T]:
    """boto3's errors (no connection, time-out, access denied) become StorageUnavailable."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except (BotoCoreError, ClientError) as exc:
            log.error("S3 storage unavailable: %s", exc)
            raise StorageUnavailable(str(exc)) from exc

    return wrapper


class S3Storage:
    """The `Storage` interface on one bucket (see app/media/storage.py)."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.conditional_writes = True

    def _object(self, key: str) -> str:
        if not valid_key(key):
            raise ValueError(f"invalid media key: {key!r}")
        return self.prefix + key

    @_unavailable_as_oserror
    def save(self, key: str, data: bytes) -> bool:
        name = self._object(key)
        if self.exists(key):
            return False
        options: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": name,
            "Body": data,
            "ContentType": CONTENT_TYPES.get(key.rsplit(".", 1)[-1], "application/octet-stream"),
            "CacheControl": OBJECT_CACHE_CONTROL,
            "ContentDisposition": "inline",
        }
        if self.conditional_writes:
            options["IfNoneMatch"] = "*"
        try:
            self.client.put_object(**options)
        except ClientError as exc:
            code = _code(exc)
            if code in {"PreconditionFailed", "412", "ConditionalRequestConflict"}:
                return False  # another worker stored the same content meanwhile
            if code in {"NotImplemented", "501"} and self.conditional_writes:
                # A service without conditional writes: a plain PUT, still all or nothing.
                self.conditional_writes = False
                return self.save(key, data)
            raise
        return True

    @_unavailable_as_oserror
    def open(self, key: str) -> BinaryIO | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._object(key))
        except ValueError:
            return None
        except ClientError as exc:
            if _code(exc) in NOT_FOUND:
                return None
            raise
        body = answer["Body"]
        try:
            return io.BytesIO(body.read())
        finally:
            body.close()

    @_unavailable_as_oserror
    def exists(self, key: str) -> bool:
        if not valid_key(key):
            return False
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._object(key))
        except ClientError as exc:
            if _code(exc) in NOT_FOUND:
                return False
            raise
        return True

    @_unavailable_as_oserror
    def delete(self, key: str) -> None:
        # Deleting a missing object is not an error in S3: the same as unlink(missing_ok=True).
        self.client.delete_object(Bucket=self.bucket, Key=self._object(key))

    def presigned_url(self, key: str, expires: int) -> str | None:
        """A link that reads this one object for `expires` seconds (public images only)."""
        url = self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": self._object(key)},
            ExpiresIn=expires,
        )
        return str(url)

    @_unavailable_as_oserror
    def stored_keys(self) -> list[str]:
        """Every stored media key (without the prefix), for checks and migrations."""
        found: list[str] = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                key = str(item["Key"])[len(self.prefix) :]
                if valid_key(key):
                    found.append(key)
        return sorted(found)


def client_from_config(config: Any) -> Any:
    """A boto3 S3 client from the S3_* settings (credentials: the settings, else boto3's own
    chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile or an instance role)."""
    options: dict[str, Any] = {
        "region_name": config.get("S3_REGION") or None,
        "endpoint_url": config.get("S3_ENDPOINT_URL") or None,
        "config": Config(
            signature_version="s3v4",
            s3={"addressing_style": config.get("S3_ADDRESSING_STYLE") or "auto"},
            connect_timeout=float(config.get("S3_TIMEOUT_SECONDS", 5)),
            read_timeout=float(config.get("S3_TIMEOUT_SECONDS", 5)),
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    }
    if config.get("S3_ACCESS_KEY_ID"):
        options["aws_access_key_id"] = config["S3_ACCESS_KEY_ID"]
        options["aws_secret_access_key"] = config.get("S3_SECRET_ACCESS_KEY") or None
    return boto3.session.Session().client("s3", **options)


def storage_from_config(config: Any) -> S3Storage:
    bucket = config.get("S3_BUCKET") or ""
    if not bucket:
        raise RuntimeError("MEDIA_STORAGE=s3 needs S3_BUCKET.")
    return S3Storage(client_from_config(config), bucket, config.get("S3_PREFIX") or "")

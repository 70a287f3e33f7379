"""Static files with content-hashed URLs, so that browsers may cache them for a year.

`static_url('css/app.css')` gives `/static/css/app.3f2a1b9c0d.css`; WhiteNoise (wsgi.py) serves
that name from the original file and marks it immutable. Computed once at start-up.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, url_for

STATIC_ROOT = Path(__file__).resolve().parent.parent / "static"
SKIP_SUFFIXES = {".gz", ".br"}


def build_manifest(root: Path = STATIC_ROOT) -> dict[str, str]:
    """Map each static file's path to its hashed name."""
    manifest: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix in SKIP_SUFFIXES or path.name.startswith("."):
            continue
        rel = path.relative_to(root).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        stem, dot, suffix = rel.rpartition(".")
        manifest[rel] = f"{stem}.{digest}.{suffix}" if dot else f"{rel}.{digest}"
    return manifest


def init_app(app: Flask) -> None:
    manifest = build_manifest()
    app.extensions["static_manifest"] = manifest

    def static_url(filename: str) -> str:
        return url_for("static", filename=manifest.get(filename, filename))

    app.jinja_env.globals["static_url"] = static_url

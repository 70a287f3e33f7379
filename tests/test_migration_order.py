"""Migration files read in order: the file names sort as the chain runs (issue 13)."""

from __future__ import annotations

import re
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def _ids(path: Path) -> tuple[str, str | None]:
    text = path.read_text(encoding="utf-8")
    revision = re.search(r"^revision = ['\"](\w+)['\"]", text, re.M)
    down = re.search(r"^down_revision = (?:['\"](\w+)['\"]|None)", text, re.M)
    assert revision, f"{path.name} names no revision"
    assert down, f"{path.name} names no down_revision"
    return revision.group(1), down.group(1)


def test_migration_files_sort_in_chain_order() -> None:
    files = sorted(VERSIONS.glob("[0-9]*.py"))
    assert files, "no migrations found"
    previous = None
    for path in files:
        revision, down = _ids(path)
        assert path.name.startswith(f"{revision}_"), f"{path.name}: revision {revision}"
        assert down == previous, f"{path.name} follows {down}, but the file before is {previous}"
        previous = revision

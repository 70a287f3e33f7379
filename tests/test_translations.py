"""Every catalogue is complete in Vietnamese and French, and keeps each placeholder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("app/**/translations/*/LC_MESSAGES/messages.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_there_are_catalogues_for_vietnamese_and_french() -> None:
    languages = {path.parts[-3] for path in CATALOGUES}
    assert {"vi", "fr"} <= languages


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_has_no_empty_or_fuzzy_translation(path: Path) -> None:
    with path.open("rb") as f:
        catalogue = read_po(f)
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        if message.fuzzy or not all(s.strip() for s in strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            if set(PLACEHOLDER.findall(s)) - set(PLACEHOLDER.findall(" ".join(ids))) or (
                wanted - {"%(num)d"} - set(PLACEHOLDER.findall(s))
            ):
                problems.append(f"placeholders differ: {ids[0]!r} -> {s!r}")
    assert not problems, "\n".join(problems)

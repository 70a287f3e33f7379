"""`make screenshots`: every page of the journeys at 390, 768 and 1280 px (and the phone in dark
mode) into test-artifacts/screenshots/sheet/, with one contact sheet (index.html) to review the
whole site in a minute. Skipped in the ordinary suite (SCREENSHOTS=1 runs it)."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.world import PAGES, World, serve_world

pytestmark = pytest.mark.skipif(
    not os.environ.get("SCREENSHOTS"), reason="make screenshots (SCREENSHOTS=1) only"
)
SHEET = ARTIFACTS / "sheet"
SHOTS = [
    ("390", 390, "light"),
    ("768", 768, "light"),
    ("1280", 1280, "light"),
    ("390-dark", 390, "dark"),
]


@pytest.fixture(scope="module")
def world(_migrated: None, _session_tmp: Path, browser: Any) -> Iterator[World]:
    yield from serve_world(_session_tmp, browser)


def test_contact_sheet(world: World) -> None:
    SHEET.mkdir(parents=True, exist_ok=True)
    locale = os.environ.get("SCREENSHOTS_LOCALE", "vi")
    world.set_locale(locale)
    rows = []
    for target in PAGES:
        slug = re.sub(r"[^a-z0-9]+", "-", target.name.lower()).strip("-")
        cells = []
        for label, width, scheme in SHOTS:
            page = world.page_for(target.role, width)
            page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            page.goto(world.url + world.path(target))
            if target.prepare:
                target.prepare(page)
            page.evaluate(
                "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
            )
            page.wait_for_load_state("networkidle")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            name = f"{slug}-{label}.png"
            page.screenshot(path=str(SHEET / name), full_page=True)
            note = (
                f' <strong class="bad">overflows by {overflow}px</strong>' if overflow > 0 else ""
            )
            cells.append(
                f'<figure><a href="{name}"><img src="{name}" loading="lazy" alt=""></a>'
                f"<figcaption>{label}{note}</figcaption></figure>"
            )
        rows.append(
            f"<section><h2>{html.escape(target.name)} <small>{html.escape(world.path(target))}"
            f" · {target.role}</small></h2><div class=row>{''.join(cells)}</div></section>"
        )
    (SHEET.parent / "index.html").write_text(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Contact sheet</title><style>"
        "body{font:14px system-ui;margin:1rem;background:#eee}"
        ".row{display:flex;gap:1rem;align-items:flex-start;overflow-x:auto}"
        "figure{margin:0;background:#fff;padding:.5rem}"
        "img{width:240px;height:420px;object-fit:cover;object-position:top;display:block}"
        ".bad{color:#b00}small{color:#555;font-weight:400}</style>"
        f"<h1>Every page of the journeys ({locale})</h1>" + "".join(rows),
        encoding="utf-8",
    )
    assert (SHEET.parent / "index.html").exists()

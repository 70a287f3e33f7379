"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page people pass through, as each role, with
the forms' error states, at phone and desktop widths, in Vietnamese, English and French.

The pages are listed in `tests/browser/world.py` (PAGES); a domain may add its own in
`tests/<domain>/a11y.py` (`A11Y_PAGES: list[SitePage]`). A failure names the page, the width,
the language, the rule and the elements.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po

from tests.browser.conftest import WIDTHS
from tests.browser.world import PAGES, SitePage, World, serve_world

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Every page in each language, at each width, in light and dark: three passes by default;
# A11Y_FULL=1 runs every language at every width in both schemes (twelve passes, ~6 minutes).
COMBOS = (
    [
        (locale, width, scheme)
        for locale in ("vi", "en", "fr")
        for width in WIDTHS
        for scheme in ("light", "dark")
    ]
    if os.environ.get("A11Y_FULL")
    else [("vi", "phone", "light"), ("en", "desktop", "dark"), ("fr", "desktop", "light")]
)


def all_pages() -> list[SitePage]:
    pages = list(PAGES)
    for path in sorted(Path(__file__).resolve().parents[1].glob("*/a11y.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.a11y")
        pages.extend(module.A11Y_PAGES)
    return pages


@pytest.fixture(scope="module")
def world(_migrated: None, _session_tmp: Path, browser: Any) -> Iterator[World]:
    yield from serve_world(_session_tmp, browser)


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture(scope="module")
def vocabulary() -> set[str]:
    return english_vocabulary()


@pytest.fixture(scope="module")
def locale_state() -> dict[str, str]:
    return {}


def run_axe(page: Any, axe: Axe) -> list[dict[str, Any]]:
    """axe's violations only (asking for passes too doubles the time of each check)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe.axe_script)
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    return list(page.evaluate("options => axe.run(document, options)", options)["violations"])


def english_vocabulary() -> set[str]:
    """Words of the site's English strings that are not also words of its vi or fr strings."""

    root = Path(__file__).resolve().parents[2] / "app"
    english: set[str] = set()
    translated: set[str] = set()
    for po in root.glob("**/translations/*/LC_MESSAGES/messages.po"):
        with po.open("rb") as f:
            for message in read_po(f):
                ids = [message.id] if isinstance(message.id, str) else list(message.id)
                strings = (
                    [message.string] if isinstance(message.string, str) else list(message.string)
                )
                for text in ids:
                    english.update(WORD.findall(re.sub(r"%\(\w+\)\w|<[^>]+>", " ", text)))
                for text in strings:
                    translated.update(WORD.findall(text))
    return {w.lower() for w in english} - {w.lower() for w in translated} - ALLOWED_WORDS


WORD = re.compile(r"[A-Za-z][a-z]{2,}")
# Brands, formats and words French or Vietnamese readers use as they are.
# "English" names the language in the switcher in its own language; "may" is Vietnamese (sew).
ALLOWED_WORDS = {
    "english",
    "may",
    "unesco",
    "atom",
    "csv",
    "ical",
    "markdown",
    "email",
    "online",
    "design",
    "designer",
}
VISIBLE_TEXT = """() => [document.title, document.body.innerText,
  ...[...document.querySelectorAll('[aria-label], [placeholder], [title]')].map(
    el => [el.getAttribute('aria-label'), el.getAttribute('placeholder'), el.getAttribute('title')]
      .filter(Boolean).join(' '))].join('\\n')"""


def english_left(page: Any, user_text: list[str], vocabulary: set[str]) -> list[str]:
    text = page.evaluate(VISIBLE_TEXT)
    for typed in user_text:
        if typed in text:
            text = text.replace(typed, " ")
    return sorted({w for w in WORD.findall(text) if w.lower() in vocabulary})


def describe(violation: dict[str, Any]) -> str:
    nodes = "; ".join(
        " ".join(str(t) for t in node["target"]) + f" ({node.get('failureSummary', '')[:160]!r})"
        for node in violation["nodes"][:4]
    )
    return f"  {violation['id']} ({violation['impact']}): {violation['help']} — {nodes}"


@pytest.mark.parametrize("target", all_pages(), ids=lambda p: p.name)
@pytest.mark.parametrize(
    ("locale", "width_name", "scheme"), COMBOS, ids=["-".join(combo) for combo in COMBOS]
)
def test_page_has_no_axe_violations(
    world: World,
    axe: Axe,
    vocabulary: set[str],
    locale_state: dict[str, str],
    locale: str,
    width_name: str,
    scheme: str,
    target: SitePage,
) -> None:
    width = WIDTHS[width_name]
    if locale_state.get("locale") != locale:
        world.set_locale(locale)
        locale_state["locale"] = locale
    page = world.page_for(target.role, width)
    page.emulate_media(color_scheme=scheme)
    response = page.goto(world.url + world.path(target))
    assert response is not None
    assert response.status == target.status, f"{target.name}: HTTP {response.status} at {page.url}"
    if target.prepare:
        target.prepare(page)
    assert page.locator("html").get_attribute("lang") == locale
    violations = run_axe(page, axe)
    if locale != "en" and not target.english_on_purpose:
        left = english_left(page, world.values["user_text"], vocabulary)
        assert not left, (
            f"{target.name} ({world.path(target)}) in {locale}: English words left: {left}"
        )
    assert not violations, (
        f"{target.name} ({world.path(target)}) at {width}px in {locale}, {scheme}, "
        f"as {target.role}:\n" + "\n".join(describe(v) for v in violations)
    )

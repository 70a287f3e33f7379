"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on the pages people pass through, phone and desktop.

Each domain adds its pages to `A11Y_PAGES` in `tests/<domain>/a11y.py` (a list of
`A11yPage`); a failure names the page, the rule and the elements.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from app.extensions import db
from tests.browser.conftest import WIDTHS, LiveServer
from tests.factories import PASSWORD, make_user

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@dataclass(frozen=True)
class A11yPage:
    name: str
    path: str
    login: bool = False
    # Runs on the page before the check, e.g. to submit a form and show its errors.
    prepare: Callable[[Any], None] | None = None
    setup: Callable[[], None] | None = field(default=None, compare=False)


def _submit_empty(page: Any) -> None:
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


CORE_PAGES = [
    A11yPage("home", "/"),
    A11yPage("sign-up", "/auth/signup"),
    A11yPage("sign-up with errors", "/auth/signup", prepare=_submit_empty),
    A11yPage("log-in", "/auth/login"),
    A11yPage("log-in with errors", "/auth/login", prepare=_submit_empty),
    A11yPage("password reset", "/auth/reset"),
    A11yPage("not found", "/no-such-page"),
    A11yPage("account settings", "/auth/settings", login=True),
]


def all_pages() -> list[A11yPage]:
    pages = list(CORE_PAGES)
    for path in sorted(Path(__file__).resolve().parents[1].glob("*/a11y.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.a11y")
        pages.extend(module.A11Y_PAGES)
    return pages


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def log_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", list(WIDTHS.values()), ids=list(WIDTHS))
@pytest.mark.parametrize("target", all_pages(), ids=lambda p: p.name)
def test_page_has_no_axe_violations(
    live_server: LiveServer, page_factory: Any, axe: Axe, target: A11yPage, width: int
) -> None:
    user = make_user(handle="a11y-person", display_name="Trần Thị Hồng Nhung")
    db.session.commit()
    if target.setup:
        target.setup()
    page = page_factory(width)
    if target.login:
        log_in(page, live_server.url, user.email)
    page.goto(live_server.url + target.path)
    if target.prepare:
        target.prepare(page)
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    violations = results.response["violations"]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(n["target"][0] for n in v["nodes"][:5])
        for v in violations
    ]
    assert not violations, f"{target.name} at {width}px:\n" + "\n".join(report)

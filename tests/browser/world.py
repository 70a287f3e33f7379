"""One seeded world (the demo network) served once per module, with a logged-in browser
context per role: the accessibility, language and screenshot sweeps walk it page by page.

Only pages are visited and invalid forms submitted: the sweeps never change the world.
"""

from __future__ import annotations

import html
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy
from babel import Locale
from flask import Flask, current_app
from sqlalchemy import select, update

from app import create_app
from app.accounts.models import User
from app.calls.models import AccessMode, CallStatus, Juror, JurorStatus, OpenCall, Submission
from app.extensions import db
from app.markdown import render_markdown
from app.messaging.models import Block, Conversation, Participant
from app.moderation.models import Appeal, Report
from app.portfolios.models import Project
from demo import steps
from demo.people import DEMO_PASSWORD
from tests.browser.conftest import LiveServer
from tests.conftest import clean_tables, dispose_engine, test_config

ROLES = ("anonymous", "designer", "pending", "organiser", "juror", "moderator", "admin")
ACCEPT = {"en": "en-GB,en;q=0.9", "vi": "vi-VN,vi;q=0.9", "fr": "fr-FR,fr;q=0.9"}


@dataclass(frozen=True)
class SitePage:
    """A page of the sweep: `path` is formatted with the world's values (`{call}`, ...)."""

    name: str
    path: str
    role: str = "anonymous"
    # Runs on the loaded page before the check, e.g. to submit a form and show its errors.
    prepare: Any = field(default=None, compare=False)
    status: int = 200
    # Pages that show English on purpose (the English names of the disciplines, edited there).
    english_on_purpose: bool = False


def submit_empty(page: Any) -> None:
    """Submit the page's main form as it is (its required fields empty) to show the errors."""
    page.locator("main form[method=post] [type=submit]").first.click(no_wait_after=False)
    page.wait_for_load_state()


PAGES: list[SitePage] = [
    # Visitors
    SitePage("home", "/"),
    SitePage("directory", "/designers"),
    SitePage("directory filtered", "/designers?available=1&sort=newest"),
    SitePage("portfolio", "/designers/{designer}"),
    SitePage("project", "/designers/{designer}/projects/{project}"),
    SitePage("calls", "/calls"),
    SitePage("call open", "/calls/{call}"),
    SitePage("call closed", "/calls/{closed_call}"),
    SitePage("organiser page", "/organisers/{organiser}"),
    SitePage("search results", "/search?q=ha"),
    SitePage("search empty", "/search?q=zqxjv"),
    SitePage("search blank", "/search"),
    SitePage("sign-up", "/auth/signup"),
    SitePage("sign-up errors", "/auth/signup", prepare=submit_empty),
    SitePage("log-in", "/auth/login"),
    SitePage("log-in errors", "/auth/login", prepare=submit_empty),
    SitePage("password reset", "/auth/reset"),
    SitePage("password reset errors", "/auth/reset", prepare=submit_empty),
    SitePage("not found", "/no-such-page", status=404),
    # A member designer
    SitePage("home as member", "/", "designer"),
    SitePage("profile editor", "/me/profile", "designer"),
    SitePage("my projects", "/me/projects", "designer"),
    SitePage("new project", "/me/projects/new", "designer"),
    SitePage("new project errors", "/me/projects/new", "designer", submit_empty),
    SitePage("project editor", "/me/projects/{project_id}", "designer"),
    SitePage("call eligible", "/calls/{call}", "designer"),
    SitePage("apply", "/calls/{call}/apply", "designer"),
    SitePage("apply errors", "/calls/{call}/apply", "designer", submit_empty),
    SitePage("my home", "/me", "designer"),
    SitePage("my submissions", "/me/applications", "designer"),
    SitePage("inbox", "/messages", "designer"),
    SitePage("conversation", "/messages/{conversation}", "designer"),
    SitePage("conversation errors", "/messages/{conversation}", "designer", submit_empty),
    SitePage("new message", "/messages/new/{other_designer}", "designer"),
    SitePage("new message errors", "/messages/new/{other_designer}", "designer", submit_empty),
    SitePage("messaging settings", "/messages/settings", "designer"),
    SitePage("report form", "/report/project/{other_project_id}", "designer"),
    SitePage("report form errors", "/report/project/{other_project_id}", "designer", submit_empty),
    SitePage("settings", "/auth/settings", "designer"),
    SitePage("account moderation", "/account/moderation", "designer"),
    SitePage("account data", "/account/data", "designer"),
    SitePage("notifications", "/notifications", "designer"),
    # A pending designer
    SitePage("home as pending", "/", "pending"),
    SitePage("call not eligible", "/calls/{call}", "pending"),
    SitePage("profile editor pending", "/me/profile", "pending"),
    SitePage("my home as pending", "/me", "pending"),
    SitePage("cannot message yet", "/messages/new/{designer}", "pending", status=403),
    # An organiser and a juror
    SitePage("my home as organiser", "/me", "organiser"),
    SitePage("my home as juror", "/me", "juror"),
    SitePage("call form", "/calls/new", "organiser"),
    SitePage("call form errors", "/calls/new", "organiser", submit_empty),
    SitePage("call edit", "/calls/{call}/edit", "organiser"),
    SitePage("manage call", "/calls/{call}/manage", "organiser"),
    SitePage("submissions table", "/calls/{call}/submissions", "organiser"),
    SitePage("submission as organiser", "/calls/{call}/submissions/{submission}", "organiser"),
    SitePage("submission as juror", "/calls/{call}/submissions/{submission}", "juror"),
    SitePage("submissions as juror", "/calls/{call}/submissions", "juror"),
    # Staff
    SitePage("my home as moderator", "/me", "moderator"),
    SitePage("moderation dashboard", "/moderation", "moderator"),
    SitePage("members queue", "/moderation/members", "moderator"),
    SitePage("organisers queue", "/moderation/organisers", "moderator"),
    SitePage("reports queue", "/moderation/reports", "moderator"),
    SitePage("person page", "/moderation/people/{pending_id}", "moderator"),
    SitePage("report target", "/moderation/targets/{report_target}", "moderator"),
    SitePage("moderation log", "/moderation/log", "moderator"),
    SitePage("appeals", "/moderation/appeals", "moderator"),
    SitePage("appeal", "/moderation/appeals/{appeal}", "moderator"),
    SitePage("admin staff", "/admin/staff", "admin"),
    SitePage("admin disciplines", "/admin/disciplines", "admin", english_on_purpose=True),
    SitePage("admin reasons", "/admin/reasons", "admin"),
    SitePage("admin statistics", "/admin/stats", "admin"),
]


def _values() -> dict[str, Any]:
    def user(email: str) -> User:
        found = db.session.scalar(select(User).where(User.email == email))
        assert found, email
        return found

    designer = user("designer@example.org")
    organiser = user("organiser@example.org")
    # The organiser's open call furthest from its deadline (the demo's invite-only and
    # nominated calls are walked by their own journeys).
    call = db.session.scalars(
        select(OpenCall)
        .where(
            OpenCall.owner_id == organiser.id,
            OpenCall.status == CallStatus.PUBLISHED,
            OpenCall.access_mode == AccessMode.OPEN,
        )
        .order_by(OpenCall.deadline_at.desc())
    ).first()
    assert call
    closed = db.session.scalars(
        select(OpenCall).where(OpenCall.owner_id == organiser.id).order_by(OpenCall.deadline_at)
    ).first()
    assert closed
    submission = db.session.scalars(
        select(Submission).where(Submission.call_id == call.id).order_by(Submission.id)
    ).first()
    assert submission
    juror_link = db.session.scalars(
        select(Juror).where(Juror.call_id == call.id, Juror.status == JurorStatus.ACCEPTED)
    ).first()
    assert juror_link
    juror = db.session.get(User, juror_link.user_id)
    project = db.session.scalars(
        select(Project).where(Project.owner_id == designer.id).order_by(Project.id)
    ).first()
    other_project = db.session.scalars(
        select(Project).where(Project.owner_id != designer.id).order_by(Project.id)
    ).first()
    conversation = db.session.scalars(
        select(Conversation)
        .join(Participant, Participant.conversation_id == Conversation.id)
        .where(Participant.user_id == designer.id)
        .order_by(Conversation.id)
    ).first()
    talking = select(Participant.user_id).where(
        Participant.conversation_id.in_(
            select(Participant.conversation_id).where(Participant.user_id == designer.id)
        )
    )
    blocked = (
        db.session.scalars(select(Block.blocked_id).where(Block.blocker_id == designer.id)).all()
        + db.session.scalars(select(Block.blocker_id).where(Block.blocked_id == designer.id)).all()
    )
    other = db.session.scalars(
        select(User)
        .where(User.account_type == designer.account_type, User.id != designer.id)
        .where(User.status == designer.status, User.id.not_in(talking))
        .where(User.id.not_in(blocked))
        .order_by(User.id)
    ).first()
    report = db.session.scalars(select(Report).order_by(Report.id)).first()
    appeal = db.session.scalars(select(Appeal).order_by(Appeal.id)).first()
    pending = user("pending@example.org")
    assert project
    assert other_project
    assert conversation
    assert other
    assert report
    assert appeal
    assert juror
    organiser_handle = organiser.handle
    return {
        "user_text": user_text(),
        "designer": designer.handle,
        "project": project.slug,
        "project_id": project.id,
        "other_project_id": other_project.id,
        "other_designer": other.handle,
        "organiser": organiser_handle,
        "call": call.slug,
        "closed_call": closed.slug,
        "submission": submission.id,
        "jury_invitation": juror_link.id,
        "conversation": conversation.public_id,
        "pending_id": pending.id,
        "report_target": f"{report.target_type}/{report.target_id}",
        "appeal": appeal.id,
        "emails": {
            "designer": designer.email,
            "pending": pending.email,
            "organiser": organiser.email,
            "juror": juror.email,
            "moderator": user("moderator@example.org").email,
            "admin": user("admin@example.org").email,
        },
    }


def user_text() -> list[str]:
    """Every string people typed (names, titles, messages...): user content, in any language."""
    texts: set[str] = set()
    for table in db.metadata.sorted_tables:
        if table.name in ("disciplines", "alembic_version"):
            continue
        for column in table.columns:
            texts.update(_typed_in(column))
    # Shortened on the page (`truncate`) and links shown without their scheme.
    for typed in list(texts):
        texts.update(_as_shown(typed))
    # Country names in the country pickers, in each language.
    for code in ("vi", "fr", "en"):
        texts.update(Locale.parse(code).territories.values())
    # The network's name (a setting) and the IANA names of time zones in the zone pickers.
    texts.add(current_app.config["NETWORK_NAME"])
    for name in zoneinfo.available_timezones():
        texts.update({name, name.replace("_", " ")})
    return sorted((t for t in texts if len(t) > 2), key=len, reverse=True)


def _typed_in(column: sqlalchemy.Column[Any]) -> set[str]:
    """The strings in one column: JSON lists of strings, or text as typed and as rendered."""
    texts: set[str] = set()
    if isinstance(column.type, sqlalchemy.JSON):
        for value in db.session.scalars(select(column)):
            if isinstance(value, list):
                texts.update(item for item in value if isinstance(item, str))
        return texts
    if isinstance(column.type, sqlalchemy.Enum) or not isinstance(
        column.type, sqlalchemy.String | sqlalchemy.Text
    ):
        return texts
    for value in db.session.scalars(select(column).distinct()):
        if isinstance(value, str) and value.strip():
            texts.add(value)
            texts.update(line.strip(" -*#>") for line in value.splitlines())
            rendered = re.sub(r"<[^>]+>", "\n", str(render_markdown(value)))
            texts.update(html.unescape(line).strip() for line in rendered.splitlines())
    return texts


def _as_shown(typed: str) -> set[str]:
    """How a typed string may appear on a page: truncated, or a link without its scheme."""
    shown: set[str] = set()
    if 40 < len(typed) < 600:
        words = typed.split(" ")
        shown.update(" ".join(words[:n]) for n in range(4, len(words)))
    if typed.startswith(("https://", "http://")):
        shown.add(typed.split("://", 1)[1].rstrip("/"))
    return shown


@dataclass
class World:
    app: Flask
    server: LiveServer
    values: dict[str, Any]
    browser: Any
    contexts: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, Any] = field(default_factory=dict)
    locale: str = "en"

    @property
    def url(self) -> str:
        return self.server.url

    def path(self, site_page: SitePage) -> str:
        return site_page.path.format(**self.values)

    def set_locale(self, locale: str) -> None:
        """Everyone reads the site in `locale` (logged-in people by their setting)."""
        with self.app.app_context():
            db.session.execute(update(User).values(locale=locale))
            db.session.commit()
        self.locale = locale
        for context in self.contexts.values():
            context.set_extra_http_headers({"Accept-Language": ACCEPT[locale]})

    def page_for(self, role: str, width: int, *, javascript: bool = True) -> Any:
        key = f"{role}-{'js' if javascript else 'nojs'}"
        if key not in self.pages:
            context = self.browser.new_context(
                viewport={"width": width, "height": 900}, java_script_enabled=javascript
            )
            context.set_extra_http_headers({"Accept-Language": ACCEPT[self.locale]})
            self.contexts[key] = context
            page = context.new_page()
            if role != "anonymous":
                page.goto(self.url + "/auth/login")
                page.locator("input[name=email]").fill(self.values["emails"][role])
                page.locator("input[name=password]").fill(DEMO_PASSWORD)
                page.locator("main form [type=submit]").first.click()
                page.wait_for_load_state()
                assert "/auth/login" not in page.url, f"{role} could not log in"
            self.pages[key] = page
        page = self.pages[key]
        if page.viewport_size["width"] != width:
            page.set_viewport_size({"width": width, "height": 900})
        return page

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


def serve_world(tmp: Path, browser: Any) -> Iterator[World]:
    app = create_app(test_config(tmp))
    with app.app_context():
        steps.load_all()
        db.session.commit()
        values = _values()
        db.session.remove()
    server = LiveServer(app)
    app.config["PUBLIC_BASE_URL"] = server.url
    with server:
        world = World(app=app, server=server, values=values, browser=browser)
        try:
            yield world
        finally:
            world.close()
    clean_tables(app)
    dispose_engine(app)

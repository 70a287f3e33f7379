"""Every route that follows a `next` value keeps people on the site, whatever the value says.

The routes were found by grepping `next` in app/ and templates/: the log-in page (hidden field and
redirect), the language switch, blocking and unblocking in messaging, and the report form (Cancel
link and redirect after sending).
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from app.accounts.models import User
from app.extensions import db
from app.urls import is_local_url, safe_next
from tests.conftest import Client
from tests.factories import PASSWORD, make_user
from tests.moderation.factories import make_project

HOSTILE = [
    "//x",
    "/\\x",
    "/%09/x",
    "/%2509/x",
    "https:x",
    "https://evil.test/",
    "javascript:alert(1)",
    "/\t/x",
    "\\\\x",
    "/\n/x",
    "/%5Cx",
    "/%2F/x",
    " //x",
    "\x00//x",
    "/\x7f/x",
]


def _offsite(url: str | None) -> bool:
    """Whether a browser could leave the site from this link or Location."""
    if url is None:
        return False
    return not is_local_url(url)


def _links(page: str) -> list[str]:
    values = re.findall(r'(?:href|action|value)="([^"]*)"', page)
    # Undo the HTML escaping a browser would undo before following the link.
    return [v.replace("&amp;", "&").replace("&#34;", '"').replace("&#39;", "'") for v in values]


def _hostile_links(page: str) -> list[str]:
    """Links, form targets and hidden values a browser could follow off the site."""
    starts = ("//", "/\\", "/\t", "/\n", "\\", "javascript:", "https:", "http:", "/%09", " ")
    return [link for link in _links(page) if link.lower().startswith(starts)]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.usefixtures("app")
def test_the_guard_refuses_every_hostile_value(value: str) -> None:
    assert safe_next("/home", value) == "/home"


@pytest.mark.parametrize(
    "value",
    ["/", "/designers?city=H%C3%A0+N%E1%BB%99i", "/p/mai/poster#top", "/search?q=a%5Cb%2F%2Fc"],
)
@pytest.mark.usefixtures("app")
def test_the_guard_keeps_local_paths(value: str) -> None:
    assert safe_next("/home", value) == value


@pytest.mark.parametrize("value", HOSTILE)
def test_log_in_page_and_redirect_stay_local(client: Client, designer: User, value: str) -> None:
    q = quote(value, safe="")
    page = client.get(f"/auth/login?next={q}").get_data(as_text=True)
    hidden = re.search(r'name="next" value="([^"]*)"', page)
    assert hidden is not None
    assert hidden.group(1) == ""
    assert _hostile_links(page) == []

    response = client.post_form(
        f"/auth/login?next={q}", {"email": designer.email, "password": PASSWORD, "next": value}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/me"  # their home, the default landing
    # Logged in already: the page sends the person on at once.
    again = client.get(f"/auth/login?next={q}")
    assert again.headers["Location"] == "/me"


@pytest.mark.parametrize("value", HOSTILE)
def test_language_switch_stays_local(client: Client, value: str) -> None:
    response = client.post_form("/language", {"language": "vi", "next": value})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("value", HOSTILE)
def test_block_and_unblock_stay_local(client: Client, designer: User, value: str) -> None:
    other = make_user()
    db.session.commit()
    client.login_as(designer)
    q = quote(value, safe="")
    blocked = client.post_form(f"/messages/block/{other.handle}?next={q}", {"next": value})
    unblocked = client.post_form(f"/messages/unblock/{other.handle}?next={q}", {"next": value})
    assert blocked.headers["Location"] == "/messages"
    assert unblocked.headers["Location"].startswith("/messages/")
    assert not _offsite(unblocked.headers["Location"])


@pytest.mark.parametrize("value", HOSTILE)
def test_report_form_cancel_link_and_redirect_stay_local(
    client: Client, designer: User, value: str
) -> None:
    project = make_project(designer)
    reporter = make_user()
    db.session.commit()
    client.login_as(reporter)
    url = f"/report/project/{project.id}?next={quote(value, safe='')}"

    page = client.get(url).get_data(as_text=True)
    assert "Plagiarism or stolen work" in page
    cancel = re.search(r'href="([^"]*)"[^>]*>Cancel<', page)
    assert cancel is not None
    assert not _offsite(cancel.group(1))
    assert _hostile_links(page) == []

    sent = client.post_form(url, {"reason": "spam", "details": "Copied."})
    location = sent.headers["Location"]
    assert sent.status_code == 302
    assert not _offsite(location)
    assert location == f"/designers/{designer.handle}/projects/{project.slug}"

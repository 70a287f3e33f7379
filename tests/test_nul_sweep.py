"""NUL characters and JSON bodies that are not form data: a clear refusal, never a 5xx.

PostgreSQL cannot store NUL in text; before `app.forms.Form` and the database guard, any field
carrying one reached the database and answered 500. Run on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

from app import create_app  # noqa: F401  (imports every domain's forms)
from app.forms import Form
from tests.conftest import Client
from tests.permissions import LOGIN, Route, World, all_routes
from tests.test_permission_matrix import build_world

POSTS = [r for r in all_routes() if r.method == "POST"]
# Read straight from request.form by some views, beside their form's fields.
EXTRA_FIELDS = ("q-1", "alt-1", "caption-1", "action", "next_queue", "next", "email", "password")
ROLE_ORDER = ("member", "organiser", "juror", "moderator", "admin", "pending", "anonymous")


def every_form_class(base: type = Form) -> list[type]:
    found = []
    for cls in base.__subclasses__():
        found.append(cls)
        found.extend(every_form_class(cls))
    return found


def every_field_name() -> set[str]:
    names = set(EXTRA_FIELDS)
    for cls in every_form_class():
        names.update(n for n in dir(cls) if isinstance(getattr(cls, n, None), UnboundField))
    return names


def with_nul(value: Any) -> Any:
    return f"{value}\x00after" if isinstance(value, str) else value


def allowed_role(route: Route) -> str:
    """A role the route lets through (so that its form is read), else the first role."""
    for role in ROLE_ORDER:
        if route.expect.get(role) not in (403, 404, 405, LOGIN):
            return role
    return ROLE_ORDER[0]


def client_as(app: Flask, world: World, role: str) -> Client:
    app.test_client_class = Client
    client: Client = app.test_client()  # type: ignore[assignment]
    if role != "anonymous":
        client.login_as(world.users[role])
    return client


def test_every_form_derives_from_the_shared_base() -> None:
    def subclasses(cls: type) -> list[type]:
        return [c for s in cls.__subclasses__() for c in (s, *subclasses(s))]

    strays = [c for c in subclasses(FlaskForm) if not issubclass(c, Form) and c is not Form]
    assert not [
        f"{c.__module__}.{c.__qualname__}" for c in strays if c.__module__.startswith("app")
    ]


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r.endpoint)
def test_nul_in_every_field_of_every_post_route_is_refused_without_a_5xx(
    app: Flask, route: Route
) -> None:
    world = build_world()
    client = client_as(app, world, allowed_role(route))
    data = {name: "nul\x00here" for name in every_field_name()}
    data.update({k: with_nul(v) for k, v in (route.data(world) if route.data else {}).items()})
    response = client.post_form(route.path(world), data=data)
    assert response.status_code < 500, f"{route.path(world)}: {response.status_code}"


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r.endpoint)
def test_json_values_that_are_not_text_are_refused_without_a_5xx(app: Flask, route: Route) -> None:
    world = build_world()
    client = client_as(app, world, allowed_role(route))
    token = client.csrf_token()
    for payload in ({"email": ["x"]}, {"email": {"a": 1}, "password": 5}, ["x"], "x", None):
        response = client.post(route.path(world), json=payload, headers={"X-CSRFToken": token})
        assert response.status_code < 500, f"{route.path(world)} {payload!r}"


def test_nul_in_a_field_shows_the_field_message_and_keeps_the_rest(app: Flask) -> None:
    app.test_client_class = Client
    client: Client = app.test_client()  # type: ignore[assignment]
    page = client.post_form(
        "/auth/signup",
        data={
            "email": "lan@example.org",
            "display_name": "Trần\x00 Lan",
            "handle": "tran-lan",
            "password": "a long enough passphrase 42",
            "account_type": "designer",
        },
    )
    html = page.get_data(as_text=True)
    assert "contains a character that cannot be saved (NUL)" in html
    assert 'value="lan@example.org"' in html
    assert 'value="Trần Lan"' in html
    assert "\x00" not in html


def test_nul_in_the_login_email_is_a_field_message(app: Flask) -> None:
    app.test_client_class = Client
    client: Client = app.test_client()  # type: ignore[assignment]
    page = client.post_form("/auth/login", data={"email": "a\x00@example.org", "password": "x"})
    assert "contains a character that cannot be saved (NUL)" in page.get_data(as_text=True)


def test_a_json_body_with_a_list_value_is_a_bad_request(app: Flask) -> None:
    app.test_client_class = Client
    client: Client = app.test_client()  # type: ignore[assignment]
    token = client.csrf_token()
    page = client.post("/auth/login", json={"email": ["x"]}, headers={"X-CSRFToken": token})
    assert page.status_code == 400
    assert "Something in that request was wrong" in page.get_data(as_text=True)


def test_nul_in_a_query_string_is_a_clear_refusal(app: Flask, designer: Any) -> None:
    app.test_client_class = Client
    client: Client = app.test_client()  # type: ignore[assignment]
    client.login_as(designer)
    for url in ("/search?q=a%00b", "/designers?q=a%00b", "/calls?discipline=a%00b"):
        page = client.get(url)
        assert page.status_code < 500, url

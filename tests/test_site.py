"""Site-wide behaviour: headers, error pages, health, static files, languages."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.main import views
from tests.conftest import Client


def test_security_headers_on_every_page(client: Client) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_is_httponly_and_lax(client: Client) -> None:
    client.get("/")
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_no_inline_script_in_pages(client: Client) -> None:
    page = client.get("/auth/signup").get_data(as_text=True)
    assert "<script>" not in page
    assert "<script " not in page.replace("<script src=", "")


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [("/no-such-page", 404, "Page not found"), ("/auth/logout", 405, "not possible here")],
)
def test_error_pages_are_inside_the_layout(
    client: Client, path: str, status: int, text: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert text in page
    assert "Skip to content" in page
    assert "Traceback" not in page


def test_too_large_request_gets_the_413_page(make_app: Any) -> None:
    app = make_app(MAX_CONTENT_LENGTH=1024)
    app.test_client_class = Client
    client: Client = app.test_client()  # type: ignore[assignment]
    response = client.post_form("/auth/login", {"email": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert "That was too large" in response.get_data(as_text=True)


@pytest.mark.usefixtures("app")
def test_unexpected_error_shows_the_500_page_without_a_traceback(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "render_template", boom)
    response = client.get("/")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "secret internals" not in page
    assert "Traceback" not in page


def test_healthz_touches_nothing_and_readyz_needs_the_database(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200

    def down(*_args: Any, **_kwargs: Any) -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", down)
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503


def test_hashed_static_files_are_cached_for_a_year(client: Client, app: Flask) -> None:
    hashed = app.extensions["static_manifest"]["css/app.css"]
    assert f"/static/{hashed}" in client.get("/").get_data(as_text=True)
    with client.get(f"/static/{hashed}") as response:
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
        assert "--accent" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("header", "lang", "text"),
    [("vi", "vi", "Đăng nhập"), ("fr-FR,fr;q=0.9", "fr", "Se connecter"), ("de", "en", "Log in")],
)
def test_language_follows_the_browser_when_no_choice_is_made(
    client: Client, header: str, lang: str, text: str
) -> None:
    page = client.get("/auth/login", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert text in page


def test_language_switch_keeps_the_current_page(client: Client) -> None:
    response = client.post_form("/language", {"language": "fr", "next": "/auth/login"})
    assert response.headers["Location"] == "/auth/login"
    assert '<html lang="fr">' in client.get("/auth/login").get_data(as_text=True)


def test_language_switch_refuses_an_external_next(client: Client) -> None:
    response = client.post_form("/language", {"language": "vi", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"

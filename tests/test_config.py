"""Configuration: safe defaults, and production refuses unsafe settings."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.accounts.services import request_password_reset
from app.config import ConfigError, load_config
from app.extensions import db
from app.mail.models import OutgoingEmail
from tests.factories import make_user


def test_production_refuses_to_start_without_a_secret_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_production_refuses_a_short_secret_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError):
        load_config({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_production_refuses_debug(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(ConfigError, match="DEBUG"):
        load_config({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path), "DEBUG": True})


def test_production_cookies_are_secure_with_https(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    config = load_config({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"] and config["HSTS"]
    assert config["MAIL_BACKEND"] == "smtp"


def test_development_secret_key_is_generated_once_with_mode_0600(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    second = load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    assert first == second and len(first) > 40
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_database_url_postgres_scheme_is_normalised(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    config = load_config({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


def test_network_identity_is_a_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NETWORK_NAME", "Réseau des jeunes designers")
    monkeypatch.setenv("NETWORK_CITY", "Saint-Étienne")
    monkeypatch.setenv("DEFAULT_LOCALE", "fr")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Europe/Paris")
    config = load_config({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert config["NETWORK_NAME"] == "Réseau des jeunes designers"
    assert config["NETWORK_CITY"] == "Saint-Étienne"
    assert config["BABEL_DEFAULT_LOCALE"] == "fr"
    assert config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Paris"


def test_designation_and_its_year_are_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    defaults = load_config({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert defaults["NETWORK_DESIGNATION"] == "UNESCO City of Design"
    assert defaults["NETWORK_DESIGNATION_YEAR"] == "2019"
    monkeypatch.setenv("NETWORK_DESIGNATION", "UNESCO City of Music")
    monkeypatch.setenv("NETWORK_DESIGNATION_YEAR", "2023")
    config = load_config({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert config["NETWORK_DESIGNATION"] == "UNESCO City of Music"
    assert config["NETWORK_DESIGNATION_YEAR"] == "2023"


def test_links_in_development_point_at_the_port_being_served(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.setenv("PORT", "5101")
    config = load_config({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5101"

    monkeypatch.delenv("PORT")
    config = load_config({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"


def test_public_base_url_wins_over_the_port(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PORT", "5101")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://ydn.example/")
    config = load_config({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert config["PUBLIC_BASE_URL"] == "https://ydn.example"


def test_email_links_follow_the_port_of_make_run(
    monkeypatch: pytest.MonkeyPatch, make_app: Any, tmp_path: Path
) -> None:
    """`PORT=5101 make run`: the reset link in the email opens the site on 5101."""
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "5101")
    served = load_config({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})["PUBLIC_BASE_URL"]
    app = make_app(PUBLIC_BASE_URL=served)
    with app.app_context():
        user = make_user(handle="port-person")
        request_password_reset(user.email)
        email = db.session.scalars(select(OutgoingEmail)).one()
        assert "http://127.0.0.1:5101/auth/reset/" in email.text_body
        assert ":5000" not in email.text_body
        db.session.rollback()

"""Configuration: safe defaults, and production refuses unsafe settings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app.config import ConfigError, load_config


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

"""Configuration: safe defaults, and production refuses unsafe settings."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
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
    assert config["SESSION_COOKIE_SECURE"]
    assert config["REMEMBER_COOKIE_SECURE"]
    assert config["HSTS"]
    assert config["MAIL_BACKEND"] == "smtp"


def test_development_secret_key_is_generated_once_with_mode_0600(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    second = load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    assert first == second
    assert len(first) > 40
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


def test_production_refuses_flask_debug_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="flask run --debug"):
        load_config({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    # Development keeps `flask run --debug`.
    assert load_config({"INSTANCE_PATH": str(tmp_path)})["APP_ENV"] == "development"


def test_flask_run_debug_in_production_refuses_to_start(tmp_path: Path) -> None:
    """`flask run --debug` with APP_ENV=production exits with the reason, serving nothing."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": "x" * 40,
        "INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("FLASK_DEBUG", None)
    flask = Path(sys.executable).parent / "flask"
    command = [str(flask), "--app", "app:create_app", "run", "--debug", "--no-reload"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("flask run --debug served in production")
    assert process.returncode != 0
    assert "cannot be on in production" in err


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

"""The application factory."""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

from flask import Flask, g, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from whitenoise import WhiteNoise

from app import (
    assets,
    bench,
    errors,
    health,
    i18n,
    models,  # noqa: F401  (registers every table)
    pagecache,
    security,
)
from app.accounts import registry as accounts
from app.accounts.models import UserStatus
from app.calls import registry as calls
from app.config import ROOT, ConfigError, load_config
from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from app.home import registry as home
from app.jobs import registry as jobs
from app.logs import install_log_escaping
from app.mail import registry as mail
from app.mail.backends import make_backend
from app.main import registry as main
from app.media import registry as media
from app.messaging import registry as messaging
from app.moderation import registry as moderation
from app.notifications import registry as notifications
from app.opportunities import registry as opportunities
from app.organisations import registry as organisations
from app.portfolios import registry as portfolios
from app.profiles import registry as profiles
from app.search import registry as search
from app.social import registry as social
from app.urls import install_template_url_for, safe_next

# Each domain registers itself (blueprints, command groups, its part of a person's archive and
# deletion, the content moderators can hide, its kinds of search document) in this order. The
# order is the archive's: accounts' profile and settings first, then moderation's, calls',
# messaging's and portfolios' files; erasers run in it too (accounts' before portfolios').
# Organisations come before accounts: their eraser reads the logo's key before accounts' eraser
# deletes the organiser's profile row.
DOMAINS = (
    main,
    organisations,
    accounts,
    profiles,
    mail,
    moderation,
    calls,
    messaging,
    notifications,
    opportunities,
    portfolios,
    media,
    search,
    social,
    jobs,
    home,
)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app from the environment; `overrides` are for tests and tools."""
    config = load_config(overrides)
    app = Flask(
        __name__,
        instance_path=config["INSTANCE_PATH"],
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    app.config.update(config)
    if app.config["APP_ENV"] == "production" and app.debug:
        # The Werkzeug debugger runs any code a visitor types: refuse to start, never serve.
        raise ConfigError("DEBUG (FLASK_DEBUG, flask run --debug) cannot be on in production.")
    install_log_escaping()
    logging.basicConfig(
        level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    _init_extensions(app)
    _register_blueprints(app)
    _register_demo(app)
    errors.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    assets.init_app(app)
    _init_templates(app)
    _init_mail(app)
    pagecache.init_app(app)
    if app.config["BENCH_MODE"]:
        bench.init_app(app)
    _wrap_wsgi(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), compare_type=True, render_as_batch=True
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.babel_locale,
        timezone_selector=i18n.select_timezone,
        default_translation_directories=";".join(translation_directories()),
    )
    i18n.install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.login_message = _l("Please log in to open this page.")


def translation_directories() -> list[str]:
    """Each domain keeps its own catalogue (app/<domain>/translations), merged at run time."""
    dirs = sorted(str(p) for p in (ROOT / "app").glob("*/translations") if p.is_dir())
    return [str(ROOT / "app" / "translations"), *dirs]


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(health.bp)
    for domain in DOMAINS:
        domain.register(app)


def _register_demo(app: Flask) -> None:
    """`flask demo ...` comes from the top-level `demo` package (data beside bench/, not app/).

    The factory asks it to register itself when it is there (a checkout, `make run`) rather than
    through a `flask.commands` entry point: those reach only the `flask` command, not
    `app.test_cli_runner()`, and need a reinstall to appear. A deployment without the package
    simply has no `demo` command; with it, `demo load` still refuses to run in production, with
    a message saying so.
    """
    if importlib.util.find_spec("demo") is None:
        return
    # The one import inside the factory: the demo package is optional (absent from a deployment),
    # and it builds its data with app's services, so it cannot be imported while app is.
    import demo  # noqa: PLC0415

    demo.register(app)


def _language_options(app: Flask) -> list[tuple[str, str]]:
    cached: list[tuple[str, str]] | None = app.extensions.get("language_options")
    if cached is None:
        cached = app.extensions["language_options"] = i18n.language_choices()
    return cached


def _init_templates(app: Flask) -> None:
    app.jinja_env.globals["safe_next"] = safe_next
    install_template_url_for(app)
    # Templates compare statuses as enums (`person.status == UserStatus.ACTIVE`), not strings.
    app.jinja_env.globals["UserStatus"] = UserStatus

    @app.context_processor
    def site() -> dict[str, Any]:
        context: dict[str, Any] = {
            "network_name": app.config["NETWORK_NAME"],
            "network_city": app.config["NETWORK_CITY"],
            "network_designation": i18n.network_designation(),
            "network_designation_year": str(app.config["NETWORK_DESIGNATION_YEAR"]).strip(),
        }
        if has_request_context():  # emails are also rendered by the worker, outside requests
            context.update(
                current_locale=g.get("locale", app.config["BABEL_DEFAULT_LOCALE"]),
                # The language switch: its choices are named in themselves, so they are the
                # same on every page (built once); the form's CSRF field is the token itself.
                language_next=request.full_path.rstrip("?"),
                language_options=_language_options(app),
                # The person, not the proxy: a page reads it a few dozen times.
                current_user=current_user._get_current_object(),
            )
        return context


def _init_mail(app: Flask) -> None:
    app.extensions["mail_backend"] = make_backend(app)


def _wrap_wsgi(app: Flask) -> None:
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    manifest: dict[str, str] = app.extensions["static_manifest"]
    hashed = {f"/static/{name}" for name in manifest.values()}
    hsts = bool(app.config.get("HSTS"))

    def static_headers(headers: Any, _path: str, _url: str) -> None:
        # WhiteNoise answers before Flask: the headers every page carries are added here too.
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if hsts:
            headers["Strict-Transport-Security"] = security.HSTS

    static = WhiteNoise(
        app.wsgi_app,
        root=str(ROOT / "static"),
        prefix="static/",
        max_age=60,
        # Hashed names never change content; font files carry their version in the name.
        immutable_file_test=lambda _path, url: url in hashed or url.startswith("/static/fonts/"),
        add_headers_function=static_headers,
    )
    for original, name in manifest.items():
        static.add_file_to_dictionary(f"/static/{name}", str(ROOT / "static" / original))
    app.wsgi_app = static  # type: ignore[method-assign]

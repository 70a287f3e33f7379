"""The only place that reads the environment.

Every setting has a default that makes `make run` work on a fresh clone (SQLite and files on
disk under `instance/`); production overrides them with environment variables or a `.env` file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

# Where a development secret key is generated once, under instance/.
DEV_SECRET_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)


class ConfigError(RuntimeError):
    """A setting is missing or unsafe for the chosen environment."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def _public_base_url(production: bool) -> str:
    """The site's address for links in emails: PUBLIC_BASE_URL, else (in development) the
    port being served, which `make run` passes as PORT."""
    url = os.environ.get("PUBLIC_BASE_URL", "")
    if not url:
        port = "5000" if production else (os.environ.get("PORT", "") or "5000")
        url = f"http://127.0.0.1:{port}"
    return url.rstrip("/")


def _secret_key(instance: Path, production: bool) -> str:
    """The signing key: from SECRET_KEY, or generated once into instance/ for development."""
    key = os.environ.get("SECRET_KEY", "")
    if key:
        if production and len(key) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters in production.")
        return key
    if production:
        raise ConfigError("SECRET_KEY must be set in production (APP_ENV=production).")
    path = instance / DEV_SECRET_FILE
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Created 0600 so that other users of the machine cannot forge sessions.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config from the environment (and `.env`), then apply overrides."""
    load_dotenv(ROOT / ".env", override=False)
    overrides = dict(overrides or {})
    env = overrides.get("APP_ENV") or os.environ.get("APP_ENV", "development")
    production = env == "production"
    instance = Path(overrides.get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH") or INSTANCE)
    scheme = os.environ.get("PREFERRED_URL_SCHEME", "https" if production else "http")
    secure = scheme == "https"

    config: dict[str, Any] = {
        "APP_ENV": env,
        "TESTING": False,
        "DEBUG": False,
        "INSTANCE_PATH": str(instance),
        # The network itself: another City of Design runs its own copy by changing these.
        "NETWORK_NAME": os.environ.get("NETWORK_NAME", "Young Designers Network"),
        "NETWORK_CITY": os.environ.get("NETWORK_CITY", "Hà Nội"),
        # Its designation, in English (the catalogues translate UNESCO's seven kinds of
        # Creative City; any other text is shown as written), and since when; empty: none.
        "NETWORK_DESIGNATION": os.environ.get("NETWORK_DESIGNATION", "UNESCO City of Design"),
        "NETWORK_DESIGNATION_YEAR": os.environ.get("NETWORK_DESIGNATION_YEAR", "2019"),
        # URLs per sitemap file (the protocol's limit); past it /sitemap.xml becomes an index.
        "SITEMAP_MAX_URLS": _int("SITEMAP_MAX_URLS", 50_000),
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "vi"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"),
        "LANGUAGES": ["vi", "en", "fr"],
        "PUBLIC_BASE_URL": _public_base_url(production),
        "PREFERRED_URL_SCHEME": scheme,
        # Database and files.
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL")
        or f"sqlite:///{instance / 'ydn.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "DB_POOL_SIZE": _int("DB_POOL_SIZE", 5),
        "DB_STATEMENT_TIMEOUT_MS": _int("DB_STATEMENT_TIMEOUT_MS", 15000),
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT") or str(instance / "media"),
        # Where images are stored: "filesystem" (MEDIA_ROOT) or "s3" (an S3-compatible bucket,
        # app/media/s3.py). Credentials: S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY, else boto3's
        # own chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, an instance role).
        "MEDIA_STORAGE": os.environ.get("MEDIA_STORAGE", "filesystem").strip().lower(),
        "S3_BUCKET": os.environ.get("S3_BUCKET", ""),
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL", ""),
        "S3_REGION": os.environ.get("S3_REGION", ""),
        "S3_ACCESS_KEY_ID": os.environ.get("S3_ACCESS_KEY_ID", ""),
        "S3_SECRET_ACCESS_KEY": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
        "S3_PREFIX": os.environ.get("S3_PREFIX", ""),
        "S3_ADDRESSING_STYLE": os.environ.get("S3_ADDRESSING_STYLE", "auto"),
        "S3_TIMEOUT_SECONDS": _int("S3_TIMEOUT_SECONDS", 5),
        # Public images redirect to a presigned link valid this long; 0: the app sends the bytes.
        "S3_PRESIGNED_SECONDS": _int("S3_PRESIGNED_SECONDS", 300),
        # Shared state of several web processes/machines (the page cache's generation number);
        # empty: kept in the database instead.
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        # Request limits: uploads are judged again per image by the media pipeline.
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 64 * 1024 * 1024),
        "MAX_FORM_MEMORY_SIZE": _int("MAX_FORM_MEMORY_SIZE", 512 * 1024),
        "MAX_FORM_PARTS": _int("MAX_FORM_PARTS", 1000),
        # Small forms take small bodies (bytes, per blueprint): an oversized one gets a 413 page.
        "BODY_LIMITS": {
            "accounts": _int("SMALL_FORM_MAX_BYTES", 16 * 1024),
            "main": _int("SMALL_FORM_MAX_BYTES", 16 * 1024),
            "report": _int("SMALL_FORM_MAX_BYTES", 16 * 1024),
            "email_preferences": _int("SMALL_FORM_MAX_BYTES", 16 * 1024),
            "messaging": _int("MESSAGE_FORM_MAX_BYTES", 128 * 1024),
        },
        # Uploads per person: images per period (a rate limit) and the bytes their project images
        # may take on disk (the stored variants summed); both refuse with a message in the form.
        "UPLOAD_RATE_LIMIT": os.environ.get("UPLOAD_RATE_LIMIT", "60 per hour;200 per day"),
        "UPLOAD_QUOTA_BYTES": _int("UPLOAD_QUOTA_MB", 500) * 1024 * 1024,
        # Sessions and cookies.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        "SESSION_MAX_AGE_DAYS": _int("SESSION_MAX_AGE_DAYS", 30),
        "HSTS": secure and production,
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,
        # Rate limits: in-memory storage counts per worker process; point at Redis in production.
        "RATELIMIT_ENABLED": _bool(os.environ.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Several networks (or test runs) can share one Redis under different prefixes.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "ydn"),
        "RATELIMIT_HEADERS_ENABLED": False,
        # Project views (app/social/viewcount.py): each day's visitors in this Redis, shared by
        # every web machine; empty keeps them in the database instead.
        "VIEWS_REDIS_URL": os.environ.get("VIEWS_REDIS_URL", ""),
        "VIEWS_KEY_PREFIX": os.environ.get("VIEWS_KEY_PREFIX", "ydn:views"),
        # Failed log-ins per account (or, from a browser it logged in on, per device cookie).
        "LOGIN_FAILURE_LIMIT": os.environ.get("LOGIN_FAILURE_LIMIT", "8 per 15 minutes"),
        "DEVICE_COOKIE_NAME": "ydn_device",
        "DEVICE_COOKIE_MAX_AGE": _int("DEVICE_COOKIE_MAX_AGE_DAYS", 180) * 24 * 3600,
        "RATELIMIT_STRATEGY": "moving-window",
        # When the storage (Redis) does not answer, count in this process instead of failing
        # the request, log the error, and go back to Redis once it answers again.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        # Outgoing email.
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "smtp" if production else "console"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Young Designers Network <hello@example.org>"),
        "MAIL_SEND_AFTER_REQUEST": _bool(os.environ.get("MAIL_SEND_AFTER_REQUEST"), not production),
        "MAIL_MAX_ATTEMPTS": _int("MAIL_MAX_ATTEMPTS", 8),
        # Background jobs (app/jobs): "rq" wakes RQ workers on Redis (`flask jobs worker`);
        # "inline" runs what a request queued in the web process once its response has gone out.
        "JOBS_BACKEND": os.environ.get("JOBS_BACKEND")
        or ("rq" if os.environ.get("JOBS_REDIS_URL") else "inline"),
        "JOBS_REDIS_URL": os.environ.get("JOBS_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "JOBS_QUEUE": os.environ.get("JOBS_QUEUE", "ydn"),
        "JOBS_MAX_ATTEMPTS": _int("JOBS_MAX_ATTEMPTS", 5),
        "JOBS_SCHEDULER_INTERVAL": _int("JOBS_SCHEDULER_INTERVAL", 30),
        "SMTP_HOST": os.environ.get("SMTP_HOST", "127.0.0.1"),
        "SMTP_PORT": _int("SMTP_PORT", 587),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool(os.environ.get("SMTP_STARTTLS"), True),
        # Token lifetimes (seconds).
        "VERIFY_TOKEN_MAX_AGE": _int("VERIFY_TOKEN_MAX_AGE", 3 * 24 * 3600),
        "RESET_TOKEN_MAX_AGE": _int("RESET_TOKEN_MAX_AGE", 3600),
        # One-click unsubscribe links in emails (RFC 8058): long-lived, a mail client may use
        # them weeks after the email arrived.
        "UNSUBSCRIBE_TOKEN_MAX_AGE": _int("UNSUBSCRIBE_TOKEN_MAX_AGE", 365 * 24 * 3600),
        # Days a jury invitation sent to an address without an account stays valid.
        "JURY_INVITATION_DAYS": _int("JURY_INVITATION_DAYS", 14),
        # Days a nomination's sign-up link (to an address without an account) stays valid.
        "NOMINATION_LINK_DAYS": _int("NOMINATION_LINK_DAYS", 30),
        # Argon2id cost; tests lower it to keep the suite fast.
        # OWASP's Password Storage Cheat Sheet: Argon2id with 19 MiB, 2 iterations, 1 lane.
        "ARGON2_TIME_COST": _int("ARGON2_TIME_COST", 2),
        "ARGON2_MEMORY_COST": _int("ARGON2_MEMORY_COST", 19 * 1024),
        "BENCH_MODE": _bool(os.environ.get("BENCH_MODE")),
        # Seconds a public page is kept for logged-out visitors (app/pagecache.py); 0 turns it off.
        "PAGE_CACHE_SECONDS": _int("PAGE_CACHE_SECONDS", 10),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }
    config.update(overrides)
    if "SECRET_KEY" not in config:
        config["SECRET_KEY"] = _secret_key(instance, production)
    # `flask run --debug` (or FLASK_DEBUG=1) starts Werkzeug's debugger, a remote shell: never
    # in production, whichever way debug was asked for.
    if production and (config.get("DEBUG") or _bool(os.environ.get("FLASK_DEBUG"))):
        raise ConfigError("DEBUG (FLASK_DEBUG, flask run --debug) cannot be on in production.")
    if config["MEDIA_STORAGE"] not in {"filesystem", "s3"}:
        raise ConfigError("MEDIA_STORAGE must be 'filesystem' or 's3'.")
    if config["MEDIA_STORAGE"] == "s3" and not config["S3_BUCKET"]:
        raise ConfigError("MEDIA_STORAGE=s3 needs S3_BUCKET.")
    if config["JOBS_BACKEND"] not in ("rq", "inline"):
        raise ConfigError("JOBS_BACKEND must be rq or inline.")
    uri = str(config["SQLALCHEMY_DATABASE_URI"])
    if uri.startswith("postgres://"):
        uri = "postgresql+psycopg://" + uri.removeprefix("postgres://")
    elif uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri.removeprefix("postgresql://")
    config["SQLALCHEMY_DATABASE_URI"] = uri
    if str(config["RATELIMIT_STORAGE_URI"]).startswith(("redis://", "rediss://")):
        # A Redis that hangs must not hang the request: give up quickly and fall back.
        config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        )
    if uri.startswith("postgresql"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "pool_size": config["DB_POOL_SIZE"],
            "connect_args": {
                "options": f"-c statement_timeout={config['DB_STATEMENT_TIMEOUT_MS']}"
            },
        }
    return config

"""Response headers that every page carries."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


HSTS = "max-age=31536000; includeSubDomains"


def rate_limit_key(*parts: str) -> tuple[str, ...]:
    """Identifiers for a limit counted by hand (limiter.limiter.hit/test): RATELIMIT_KEY_PREFIX
    first, as Flask-Limiter does for its own limits, so that sites sharing a Redis never mix."""
    return (str(current_app.config.get("RATELIMIT_KEY_PREFIX") or ""), *parts)


def body_limit() -> int | None:
    """The most a request to this endpoint may send (bytes), or None for the app-wide limit.

    Small forms (log-in, sign-up, reset, messages, reports, the language switch) get a small
    limit; only the pages that take uploads keep MAX_CONTENT_LENGTH.
    """
    limits: dict[str, int] = current_app.config["BODY_LIMITS"]
    limit = limits.get(request.blueprint or "")
    if limit is None and request.mimetype != "multipart/form-data":
        # Only multipart bodies (files, spooled to disk) may be large: any other body is read
        # into memory whole, so it is held to the form-memory limit on every endpoint.
        limit = int(current_app.config["MAX_FORM_MEMORY_SIZE"])
    overall = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and overall is not None:
        limit = min(limit, int(overall))  # never more than the app-wide limit
    return limit


def _limit_body() -> None:
    # Set before anything reads the form (CSRF, the rate limiter's keys): the limit covers
    # urlencoded bodies as well as multipart ones, and a chunked body (no Content-Length) is cut
    # at the limit instead of being read up to MAX_CONTENT_LENGTH.
    limit = body_limit()
    if limit is not None:
        request.max_content_length = limit
        request.max_form_memory_size = limit


def init_app(app: Flask) -> None:
    hsts = app.config.get("HSTS")
    # First of all before_request functions, so that no earlier one parses the body unbounded.
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_body)

    @app.after_request
    def set_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response

"""The WSGI entry point for gunicorn: `gunicorn wsgi:app` (static files via WhiteNoise)."""

from app import create_app

app = create_app()

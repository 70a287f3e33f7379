"""Demo data: a believable network for development and screenshots. Never in production.

It lives beside `bench/`, outside `app/`: it is data, not the product. The same small builder
(`demo.build`) makes the demo, the test factories and the benchmark's shapes.
"""

from __future__ import annotations

from flask import Flask

from demo.cli import group


def register(app: Flask) -> None:
    """Add the `flask demo` commands to an app (its factory calls this)."""
    app.cli.add_command(group)

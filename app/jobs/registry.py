"""Background jobs in the application: `flask jobs`, the admin page, the after-response wake-up,
and the kinds of job this package runs itself (periodic runs, file clean-up)."""

from __future__ import annotations

from flask import Flask

from app.jobs import after_response, cli, files, periodic, runner, views


def register(app: Flask) -> None:
    app.register_blueprint(cli.bp)
    app.register_blueprint(views.bp)
    after_response.install(app)
    runner.register_handler(periodic.PERIODIC_KIND, periodic.run_periodic)
    runner.register_handler(files.DELETE_FILES, files.delete_files)

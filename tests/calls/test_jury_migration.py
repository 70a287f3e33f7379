"""Migration 0014: jurors seated before invitations existed keep their seat, as accepted."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _flask_db(tmp_path: Path, *args: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}",
        "INSTANCE_PATH": str(tmp_path),
        "APP_ENV": "development",
    }
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app:create_app", "db", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def test_existing_jurors_are_migrated_as_accepted_and_still_review(tmp_path: Path) -> None:
    _flask_db(tmp_path, "upgrade", "0011")
    with sqlite3.connect(tmp_path / "old.sqlite3") as conn:
        conn.executescript(
            """
            INSERT INTO users (email, handle, display_name, password_hash, account_type, status,
                               staff_role, created_at)
            VALUES ('lan@example.org', 'juror-lan', 'Lan', 'x', 'designer', 'active', 'none',
                    '2026-01-02 03:04:05'),
                   ('hcdc@example.org', 'hcdc', 'HCDC', 'x', 'organiser', 'active', 'none',
                    '2026-01-02 03:04:05');
            INSERT INTO open_calls (owner_id, slug, kind, title, summary, description, timezone,
                deadline_at, no_entry_fee, entry_fee, prizes, max_projects, allowed_countries,
                blind_review, status, banner_widths, banner_alt, created_at, updated_at)
            VALUES (2, 'le-hoi', 'festival', 'Lễ hội', '', '', 'UTC', '2026-12-01 00:00:00', 1,
                    '', '', 3, '[]', 0, 'published', '[]', '', '2026-01-02 03:04:05',
                    '2026-01-02 03:04:05');
            INSERT INTO call_jurors (call_id, user_id, invited_at)
            VALUES (1, 1, '2026-02-03 04:05:06');
            """
        )
    _flask_db(tmp_path, "upgrade")
    with sqlite3.connect(tmp_path / "old.sqlite3") as conn:
        row = conn.execute(
            "SELECT user_id, status, email, token_hash, created_at, answered_at FROM call_jurors"
        ).fetchone()
        table = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'call_jurors'").fetchone()[
            0
        ]
    assert row == (1, "accepted", None, None, "2026-02-03 04:05:06", "2026-02-03 04:05:06")
    assert "AUTOINCREMENT" in table  # ids are still never reused
    _flask_db(tmp_path, "downgrade", "0011")  # and back, the seat kept
    with sqlite3.connect(tmp_path / "old.sqlite3") as conn:
        assert conn.execute("SELECT call_id, user_id FROM call_jurors").fetchall() == [(1, 1)]

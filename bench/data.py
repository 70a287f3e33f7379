"""Bulk data for the benchmark: N designers and what they make, fast (core inserts in batches).

Each domain adds a step to STEPS. Steps receive the shared context and insert with
`insert(table)` on lists of dicts, never one ORM object at a time.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from app.accounts.models import User
from app.accounts.passwords import hash_password
from app.extensions import db
from app.profiles.models import DesignerProfile, Discipline, OrganiserProfile, designer_disciplines

PASSWORD = "bench-pass-2019"
BATCH = 5000
CITIES = [
    ("Hà Nội", "VN"), ("Thành phố Hồ Chí Minh", "VN"), ("Đà Nẵng", "VN"), ("Huế", "VN"),
    ("Bangkok", "TH"), ("Jakarta", "ID"), ("Manila", "PH"), ("Lyon", "FR"), ("Kuala Lumpur", "MY"),
]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
GIVEN = ["Mai", "Lan", "Minh", "Anh", "Hà", "Đức", "Thảo", "Huy", "Ngọc", "Tùng", "Linh", "Bảo"]

Context = dict[str, Any]


def batched(
    rows: Iterator[dict[str, Any]] | list[dict[str, Any]], size: int = BATCH
) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def bulk(table: Any, rows: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> None:
    for chunk in batched(rows):
        db.session.execute(insert(table), chunk)


def people(ctx: Context) -> None:
    """Designers (with profiles and disciplines), organisers, a moderator and an admin."""
    n: int = ctx["designers"]
    rng = random.Random(2019)
    now = datetime.now(UTC)
    pw = hash_password(PASSWORD)
    disciplines = list(db.session.scalars(select(Discipline.id)))

    def user_rows() -> Iterator[dict[str, Any]]:
        for i in range(n):
            created = now - timedelta(minutes=i * 7)
            yield {
                "email": f"d{i}@bench.example.org", "handle": f"designer-{i}",
                "display_name": f"{FAMILY[i % 12]} {GIVEN[(i // 12) % 12]} {i}",
                "password_hash": pw, "account_type": "designer", "status": "active",
                "staff_role": "none", "email_verified_at": created, "created_at": created,
                "approved_at": created, "last_active_at": now - timedelta(minutes=rng.randint(0, 10**6)),
            }  # fmt: skip
        for i in range(max(n // 100, 5)):
            yield {
                "email": f"o{i}@bench.example.org", "handle": f"organiser-{i}", "display_name": f"Studio {i}",
                "password_hash": pw, "account_type": "organiser", "status": "active", "staff_role": "none",
                "email_verified_at": now, "created_at": now, "approved_at": now, "last_active_at": now,
            }  # fmt: skip
        for role in ("moderator", "admin"):
            yield {
                "email": f"{role}@bench.example.org", "handle": f"bench-{role}", "display_name": role.title(),
                "password_hash": pw, "account_type": "designer", "status": "active", "staff_role": role,
                "email_verified_at": now, "created_at": now, "approved_at": now, "last_active_at": now,
            }  # fmt: skip

    bulk(User.__table__, user_rows())
    ids = dict(db.session.execute(select(User.handle, User.id)).tuples().all())
    designer_ids = [ids[f"designer-{i}"] for i in range(n)]
    ctx["designer_ids"] = designer_ids
    ctx["organiser_ids"] = [ids[h] for h in ids if h.startswith("organiser-")]
    ctx["user_ids"] = ids

    def profile_rows() -> Iterator[dict[str, Any]]:
        for i, uid in enumerate(designer_ids):
            city, country = CITIES[i % len(CITIES)]
            yield {
                "user_id": uid, "bio": "Designer in " + city, "city": city, "country": country,
                "birth_date": date(1990 + i % 15, 1 + i % 12, 1 + i % 28),
                "available_for_work": i % 3 == 0, "links": [],
            }  # fmt: skip
        for role in ("moderator", "admin"):
            yield {
                "user_id": ids[f"bench-{role}"], "bio": "", "city": "Hà Nội", "country": "VN",
                "birth_date": None, "available_for_work": False, "links": [],
            }  # fmt: skip

    bulk(DesignerProfile.__table__, profile_rows())
    bulk(
        OrganiserProfile.__table__,
        [
            {"user_id": uid, "organisation": f"Studio {k}", "website": "", "description": "", "city": "Hà Nội",
             "country": "VN", "verified_at": now}
            for k, uid in enumerate(ctx["organiser_ids"])
        ],
    )  # fmt: skip
    profile_ids = db.session.execute(select(DesignerProfile.id)).scalars().all()
    bulk(
        designer_disciplines,
        (
            {"profile_id": pid, "discipline_id": did}
            for pid in profile_ids
            for did in {
                disciplines[pid % len(disciplines)],
                disciplines[(pid * 7) % len(disciplines)],
            }
        ),
    )


# Each domain appends its generator (projects, calls, conversations, reports) here.
STEPS: list[Callable[[Context], None]] = [people]


def generate(designers: int) -> Context:
    """Fill the (empty, migrated) database of the current app; commits once at the end."""
    ctx: Context = {"designers": designers}
    for step in STEPS:
        step(ctx)
        db.session.flush()
    db.session.commit()
    return ctx

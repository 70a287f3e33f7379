"""Accounts for the load test, created inside the app (run by bench/load.py with DATABASE_URL).

Prints one JSON line: the people (email, handle, role), designer handles to visit and message,
open calls to apply to, and search terms."""

from __future__ import annotations

import json
import sys
from datetime import timedelta

from sqlalchemy import select

from app import create_app
from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.accounts.passwords import hash_password
from app.calls.models import CallStatus, OpenCall
from app.calls.services import eligibility, profile_of
from app.db_types import utcnow
from app.extensions import db
from app.profiles.models import DesignerProfile

PASSWORD = "load-pass-2019"


def main(people: int, moderators: int) -> None:
    app = create_app()
    with app.app_context():
        now = utcnow()
        pw = hash_password(PASSWORD)
        accounts = []
        for i in range(people):
            moderator = i < moderators
            handle = f"load-{'mod' if moderator else 'person'}-{i:02d}"
            user = User(
                email=f"{handle}@example.org",
                handle=handle,
                display_name=f"Người thử tải {i:02d}",
                password_hash=pw,
                account_type=AccountType.DESIGNER,
                status=UserStatus.ACTIVE,
                staff_role=StaffRole.MODERATOR if moderator else StaffRole.NONE,
                email_verified_at=now,
                created_at=now - timedelta(days=60),
                approved_at=now - timedelta(days=59),
            )
            db.session.add(user)
            db.session.flush()
            db.session.add(DesignerProfile(user_id=user.id, city="Hà Nội", country="VN"))
            accounts.append({"email": user.email, "handle": handle, "moderator": moderator})
        db.session.commit()
        first = db.session.scalars(
            select(User).where(User.handle.startswith("load-person"))
        ).first()
        assert first is not None
        designers = db.session.scalars(
            select(User.handle)
            .where(
                User.account_type == AccountType.DESIGNER,
                User.status == UserStatus.ACTIVE,
                ~User.handle.startswith("load-"),
            )
            .limit(40)
        ).all()
        calls = [
            c.slug
            for c in db.session.scalars(
                select(OpenCall).where(OpenCall.status == CallStatus.PUBLISHED)
            )
            # Calls the load people may apply to (open, and no age or place rule against them).
            if c.is_open() and c.is_public and eligibility(c, profile_of(first)).ok
        ]
        print(
            json.dumps(
                {
                    "password": PASSWORD,
                    "people": accounts,
                    "designers": list(designers),
                    "calls": list(calls),
                    "terms": ["ha noi", "lacquer", "poster", "typography", "silk", "ceramic"],
                }
            )
        )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))

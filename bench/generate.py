"""`python -m bench.generate N`: fill the database at DATABASE_URL with N designers.

Prints the context the pages need (handles, emails) as one JSON line.
"""

from __future__ import annotations

import json
import sys
import tempfile

from app import create_app
from app.accounts.models import User
from app.extensions import db
from bench.data import generate


def main() -> None:
    designers = int(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_PATH": tmp, "MAIL_BACKEND": "memory"})
        with app.app_context():
            ctx = generate(designers)
            handles = ["designer-0", "organiser-0", "bench-moderator", "bench-admin"]
            emails = dict(
                db.session.execute(
                    db.select(User.handle, User.email).where(User.handle.in_(handles))
                ).all()
            )
    public = {k: v for k, v in ctx.items() if isinstance(v, (int, str, float))}
    public["emails"] = emails
    for key in ("sample",):
        if key in ctx:
            public[key] = ctx[key]
    print(json.dumps(public))


if __name__ == "__main__":
    main()

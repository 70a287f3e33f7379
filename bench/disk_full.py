"""Disk full for media, for real (needs root): `python bench/disk_full.py`.

Mounts a 1 MB tmpfs as MEDIA_ROOT, uploads projects with photo-like images through the app (test
client, SQLite in a temporary folder) until the disk is full, and prints what the person saw and
what was left on the disk and in the database. Unmounts afterwards. tests/faults simulates the
same with ENOSPC so that CI needs no mount.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def noisy_jpeg(seed: int) -> bytes:
    from PIL import Image

    random.seed(seed)  # effect_noise draws from C rand(); the sigma varies per seed
    image = Image.merge(
        "RGB", [Image.effect_noise((640, 480), 50 + (seed + c) % 30) for c in range(3)]
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def main() -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.portfolios.models import Project, ProjectImage
    from tests.conftest import Client, test_config
    from tests.factories import make_user, session_token_for

    with tempfile.TemporaryDirectory(prefix="ydn-disk-full-") as tmp:
        work = Path(tmp)
        media = work / "media"
        media.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(media)], check=True)
        try:
            app = create_app(
                test_config(work, SQLALCHEMY_DATABASE_URI=f"sqlite:///{work / 'db.sqlite3'}",
                            MEDIA_ROOT=str(media))
            )  # fmt: skip
            app.test_client_class = Client
            with app.app_context():
                upgrade(directory=str(ROOT / "migrations"))
                user = make_user(handle="disk-full")
                db.session.commit()
                client: Client = app.test_client()  # type: ignore[assignment]
                with client.session_transaction() as session:
                    session["_user_id"] = session_token_for(user)
                for n in range(1, 30):
                    title = f"Dự án số {n}"
                    response = client.post_form(
                        "/me/projects/new",
                        {"title": title, "description": "Ảnh chụp lụa.", "year": "2025",
                         "images": [(io.BytesIO(noisy_jpeg(n)), f"anh-{n}.jpg")]},
                        content_type="multipart/form-data",
                    )  # fmt: skip
                    page = response.get_data(as_text=True)
                    if response.status_code != 302:
                        kept = title in page
                        message = next(
                            (
                                line.strip()
                                for line in page.splitlines()
                                if "storage is full" in line
                            ),
                            "(no storage message)",
                        )
                        print(f"upload {n}: HTTP {response.status_code}; form kept: {kept}")
                        print(f"  message: {message}")
                        break
                    print(f"upload {n}: stored")
                db.session.expire_all()
                projects = db.session.query(Project).count()
                images = db.session.scalars(db.select(ProjectImage)).all()
                missing = [
                    i.storage_key for i in images
                    if not all((media / i.storage_key / f"{w}.webp").exists() for w in i.widths)
                ]  # fmt: skip
                files = [p for p in media.rglob("*") if p.is_file()]
                temps = [p for p in files if p.name.startswith(".upload-")]
                used = subprocess.run(["df", "-k", str(media)], capture_output=True, text=True)
                print(f"projects in the database: {projects}; image rows: {len(images)};"
                      f" rows naming a missing file: {len(missing)}")  # fmt: skip
                print(f"files on the tmpfs: {len(files)}; temporary files left: {len(temps)}")
                print(used.stdout.strip().splitlines()[-1])
                db.engine.dispose()
        finally:
            subprocess.run(["umount", str(media)], check=True)


if __name__ == "__main__":
    main()

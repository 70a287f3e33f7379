"""Images made on the spot with Pillow, and projects with or without stored files."""

from __future__ import annotations

import io
import itertools
from typing import Any

from PIL import Image

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.portfolios import services
from app.portfolios.models import Project, ProjectImage

_seq = itertools.count(1)


def image_bytes(
    width: int = 64,
    height: int = 48,
    fmt: str = "PNG",
    colour: tuple[int, int, int] = (176, 48, 42),
    **save: Any,
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, fmt, **save)
    return out.getvalue()


def upload(name: str = "photo.png", **kw: Any) -> services.Upload:
    return services.Upload(filename=name, data=image_bytes(**kw))


def make_project(
    owner: User,
    *,
    title: str | None = None,
    published: bool = True,
    images: int = 1,
    stored: bool = False,
    **kw: Any,
) -> Project:
    """A project with images; `stored=True` runs the real pipeline, else rows only (fast)."""
    n = next(_seq)
    project = services.create_project(actor=owner, title=title or f"Project {n}", **kw)
    if stored:
        added = services.add_images(
            project,
            actor=owner,
            uploads=[
                # Distinct pixels per project (stored files are keyed by content): the green
                # also moves with n // 256, so the 257th project does not repeat the 1st.
                upload(
                    f"{i}.png",
                    colour=(n * 37 % 256, (i * 20 + n // 256 * 7) % 256, (n * 11) % 256),
                )
                for i in range(images)
            ],
        )
        # The upload's background job, run here: the project is ready as after the response.
        for row in added:
            services.resize_image({"image_id": row.id})
    else:
        for i in range(images):
            project.images.append(
                ProjectImage(
                    position=i,
                    width=1600,
                    height=1200,
                    storage_key=f"p/ab/{n:08d}{i:08d}abcdef",
                    widths=[400, 1200, 1600],
                    alt_text="",
                    caption="",
                )
            )
    for image in project.images:
        image.alt_text = f"Image {image.position + 1} of {project.title}"
    if published:
        project.is_published = True
        project.published_at = utcnow()
    db.session.flush()
    services.reindex_project(project)
    return project

"""Profiles, projects, images and appreciations: the rules and state changes (never commit)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from app.accounts.models import AccountType, User
from app.db_types import utcnow
from app.extensions import db
from app.jobs.runner import add_job
from app.markdown import plain_text
from app.media.deferred import Slot, accept, clear, original_in_use
from app.media.limits import take_uploads
from app.media.pipeline import ImageRejected
from app.media.services import (
    StoredOriginal,
    discard_image,
    discard_original,
    store_original,
    store_variants,
)
from app.portfolios.models import MAX_IMAGES, MAX_TAGS, Appreciation, Project, ProjectImage
from app.profiles.models import DesignerProfile, Discipline
from app.search.services import index_document, remove_document
from app.text import fold, slugify

AVATAR_WIDTHS = (160, 400)


# The public URLs are a contract (PRODUCT.md); built without a request so that the demo and
# other domains' services can index outside one.
def designer_path(handle: str) -> str:
    return f"/designers/{handle}"


def project_path(handle: str, slug: str) -> str:
    return f"/designers/{handle}/projects/{slug}"


class PortfolioError(ValueError):
    """A rule refused the change; `code` is translated by the view."""

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


@dataclass
class Upload:
    filename: str
    data: bytes


class UploadRejected(PortfolioError):
    def __init__(self, refused: list[tuple[str, str]]) -> None:
        super().__init__("upload_refused")
        self.refused = refused  # (file name, reason code)


def normalise_tags(raw: str | Sequence[str]) -> list[str]:
    """Lower-case, trimmed, no '#', one space between words, no duplicates (folded), in order."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    seen: set[str] = set()
    tags: list[str] = []
    for part in parts:
        tag = re.sub(r"\s+", " ", part.replace("#", " ")).strip().lower()[:40].strip()
        if tag and fold(tag) not in seen:
            seen.add(fold(tag))
            tags.append(tag)
    return tags


def _disciplines(ids: Sequence[int]) -> list[Discipline]:
    if not ids:
        return []
    return list(db.session.scalars(select(Discipline).where(Discipline.id.in_(list(ids)))))


# ---------- Profiles ----------


def profile_for(user: User) -> DesignerProfile:
    profile = db.session.scalar(select(DesignerProfile).where(DesignerProfile.user_id == user.id))
    if profile is None:
        profile = DesignerProfile(user_id=user.id, links=[])
        db.session.add(profile)
        db.session.flush()
    return profile


def update_profile(
    *,
    actor: User,
    display_name: str,
    bio: str,
    city: str,
    country: str,
    birth_date: date | None,
    discipline_ids: Sequence[int],
    links: Sequence[str],
    available_for_work: bool,
    avatar: Upload | None = None,
    remove_avatar: bool = False,
) -> DesignerProfile:
    """Save the designer's own profile (and avatar, through the image pipeline)."""
    profile = profile_for(actor)
    actor.display_name = display_name.strip()
    profile.bio = bio.strip()
    profile.city = city.strip()
    profile.country = country.upper()
    profile.birth_date = birth_date
    profile.disciplines = _disciplines(discipline_ids)
    profile.links = list(links)
    profile.available_for_work = available_for_work
    if avatar is not None:
        # Judged here (the person sees a refusal on the page); resized by a job after the
        # response: the previous avatar (or the initial) shows until then.
        try:
            accept(AVATAR_SLOT, profile, avatar.data, person_id=actor.id)
        except ImageRejected as exc:
            raise UploadRejected([(avatar.filename, exc.reason)]) from exc
    elif remove_avatar:
        clear(AVATAR_SLOT, profile)
    profile.updated_at = utcnow()
    db.session.flush()
    reindex_designer(actor, profile)
    return profile


def _reindex_avatar(profile: DesignerProfile) -> None:
    reindex_designer(profile.user, profile)


# A designer's avatar: square, stored under fixed widths (pages ask for 160 and 400).
AVATAR_SLOT = Slot(
    "avatar", DesignerProfile, "a", AVATAR_WIDTHS, square=True, after=_reindex_avatar
)


def avatar_url(key: str | None, width: int = 400) -> str | None:
    return f"/media/{key}/{width}.webp" if key else None


def reindex_designer(user: User, profile: DesignerProfile | None = None) -> None:
    """Put a designer in the search index (the query hides them while they are not public)."""
    profile = profile or profile_for(user)
    disciplines = " ".join(" ".join(d.names.values()) for d in profile.disciplines)
    index_document(
        kind="designer",
        object_id=user.id,
        title=user.display_name,
        body=" ".join([user.handle, profile.city, plain_text(profile.bio), disciplines]),
        summary=" · ".join(p for p in [profile.city, plain_text(profile.bio)[:200]] if p),
        url=designer_path(user.handle),
        owner_id=user.id,
        public=user.is_designer,
        image_url=avatar_url(profile.avatar_key, 160),
    )


# ---------- Projects ----------


def slugify_title(title: str) -> str:
    return slugify(title, 70) or "project"


def days(n: int) -> timedelta:
    return timedelta(days=n)


def _unique_slug(owner_id: int, wanted: str, project_id: int | None = None) -> str:
    base = slugify(wanted, 70) or "project"
    taken = set(
        db.session.scalars(
            select(Project.slug).where(
                Project.owner_id == owner_id,
                Project.slug.like(f"{base}%"),
                Project.id != (project_id or 0),
            )
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def slug_taken(owner_id: int, slug: str, project_id: int | None = None) -> bool:
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(Project)
            .where(
                Project.owner_id == owner_id, Project.slug == slug, Project.id != (project_id or 0)
            )
        )
    )


def create_project(
    *,
    actor: User,
    title: str,
    slug: str = "",
    description: str = "",
    year: int | None = None,
    tags: Sequence[str] = (),
    credits: str = "",
    discipline_ids: Sequence[int] = (),
) -> Project:
    """A new draft project of the actor (unpublished until they publish it)."""
    if slug and slug_taken(actor.id, slug):
        raise PortfolioError("slug_taken")
    project = Project(
        owner_id=actor.id,
        owner=actor,
        title=title.strip(),
        slug=slug or _unique_slug(actor.id, title),
        description=description.strip(),
        year=year,
        tags=normalise_tags(tags)[:MAX_TAGS],
        credits=credits.strip(),
        is_published=False,
        disciplines=_disciplines(discipline_ids),
    )
    db.session.add(project)
    db.session.flush()
    reindex_project(project)
    return project


def update_project(
    project: Project,
    *,
    actor: User,
    title: str,
    slug: str,
    description: str,
    year: int | None,
    tags: Sequence[str],
    credits: str,
    discipline_ids: Sequence[int],
) -> Project:
    """Edit the words of a project; the slug stays unique per designer."""
    slug = slug or project.slug
    if slug_taken(project.owner_id, slug, project.id):
        raise PortfolioError("slug_taken")
    project.title = title.strip()
    project.slug = slug
    project.description = description.strip()
    project.year = year
    project.tags = normalise_tags(tags)[:MAX_TAGS]
    project.credits = credits.strip()
    project.disciplines = _disciplines(discipline_ids)
    project.updated_at = utcnow()
    db.session.flush()
    reindex_project(project)
    return project


def stored_bytes(owner_id: int) -> int:
    """What a person's project images take on disk, for the storage quota."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(ProjectImage.stored_bytes), 0))
        .join(Project, Project.id == ProjectImage.project_id)
        .where(Project.owner_id == owner_id)
    )
    return int(total or 0)


def _check_quota(owner_id: int, adding: int) -> None:
    quota = int(current_app.config["UPLOAD_QUOTA_BYTES"])
    used = stored_bytes(owner_id)
    if used + adding > quota:
        raise PortfolioError("quota", used=used, quota=quota)


def _check_upload_rate(actor: User, count: int) -> None:
    """Images a person may upload per period (each image counts, see app.media.limits)."""
    if not take_uploads(actor.id, count):
        raise PortfolioError("upload_rate")


RESIZE_JOB = "portfolios.resize"


def add_images(project: Project, *, actor: User, uploads: Sequence[Upload]) -> list[ProjectImage]:
    """Add images at the end; all or nothing: one refused file refuses the batch.

    Every check the person must see is answered here: refused before any decoding when the
    batch is over the person's upload rate or they are already at their storage quota; each
    file must be a real image within the size, pixel and side limits; refused when the
    originals would pass the quota. The originals are kept private; their sizes are made by a
    background job after the response (`resize_image`), the editor shows "processing" until then.
    """
    if len(project.images) + len(uploads) > MAX_IMAGES:
        raise PortfolioError(
            "too_many_images", max=MAX_IMAGES, room=MAX_IMAGES - len(project.images)
        )
    _check_quota(project.owner_id, 1)
    _check_upload_rate(actor, len(uploads))
    refused: list[tuple[str, str]] = []
    stored: list[StoredOriginal] = []
    for upload in uploads:
        try:
            stored.append(store_original(upload.data))
        except ImageRejected as exc:
            refused.append((upload.filename, exc.reason))
    if refused:
        # The originals stored for the accepted ones go when the view rolls back.
        raise UploadRejected(refused)
    # Over the quota: the files just stored go when the view rolls back.
    _check_quota(project.owner_id, sum(image.size_bytes for image in stored))
    position = max((i.position for i in project.images), default=-1) + 1
    added = []
    for n, image in enumerate(stored):
        digest = image.key.rsplit("/", 1)[-1][:40]
        row = ProjectImage(
            position=position + n,
            width=image.width,
            height=image.height,
            storage_key=f"p/{digest[:2]}/{digest}",
            widths=[],
            stored_bytes=image.size_bytes,
            original_key=image.key,
            alt_text="",
            caption="",
        )
        project.images.append(row)
        added.append(row)
    project.updated_at = utcnow()
    db.session.flush()
    for row in added:
        add_job(RESIZE_JOB, {"image_id": row.id})
    reindex_project(project)
    return added


def resize_image(payload: dict[str, object]) -> None:
    """The background job of one uploaded image: make its sizes from the private original.

    Idempotent: an image already sized, or deleted meanwhile, is left alone. An original that
    does not decode after all marks the image (the editor asks to remove it) and ends the job;
    any other error (storage unavailable) is retried by the runner with back-off."""
    image_id = payload.get("image_id")
    if not isinstance(image_id, int):
        return
    # Read without a lock: the resizing takes seconds, and the designer may reorder or describe
    # the images meanwhile (a row lock held that long made their edit wait, then fail).
    image = db.session.get(ProjectImage, image_id)
    if image is None or image.widths or image.original_key is None:
        return
    original_key = image.original_key
    try:
        stored = store_variants(original_key, kind="p")
    except ImageRejected as exc:
        if exc.reason in ("storage_unavailable", "storage_full"):
            raise  # the storage, not the image: the runner retries with back-off
        image.processing_error = exc.reason[:40]
        db.session.flush()
        return
    except FileNotFoundError:
        image.processing_error = "missing"
        db.session.flush()
        return
    # Then lock the row only to record the sizes, if nobody did meanwhile (another worker, or
    # the image was deleted or replaced): otherwise the files this job wrote go with a rollback.
    db.session.expire(image)
    image = db.session.scalars(
        select(ProjectImage).where(ProjectImage.id == image_id).with_for_update()
    ).first()
    if image is None or image.widths or image.original_key != original_key:
        db.session.rollback()
        return
    image.storage_key = stored.key
    image.widths = stored.widths
    image.processing_error = None
    # Until now `stored_bytes` was the original's: the sizes add to it (both count).
    image.stored_bytes = image.stored_bytes + stored.size_bytes
    db.session.flush()
    reindex_project(image.project)


def update_image_texts(project: Project, *, actor: User, texts: dict[int, tuple[str, str]]) -> None:
    """Alt texts and captions of the project's images, by image id."""
    for image in project.images:
        if image.id in texts:
            alt, caption = texts[image.id]
            image.alt_text = alt.strip()[:300]
            image.caption = caption.strip()[:300]
    db.session.flush()


def move_image(project: Project, image: ProjectImage, *, actor: User, step: int) -> None:
    """Move an image one place up (-1) or down (+1) in the project's order."""
    images = list(project.images)
    index = images.index(image)
    target = index + step
    if not 0 <= target < len(images):
        return
    images[index], images[target] = images[target], images[index]
    for position, each in enumerate(images):
        each.position = position
    db.session.flush()
    reindex_project(project)  # the first image may be the cover shown in results


def reorder_images(project: Project, ordered_ids: Sequence[int], *, actor: User) -> None:
    """Put the project's images in the given order (drag and drop). Ids not of this project are
    ignored; images left out keep their relative order after the listed ones."""
    images = list(project.images)
    by_id = {image.id: image for image in images}
    listed = [by_id[i] for i in dict.fromkeys(ordered_ids) if i in by_id]
    rest = [image for image in images if image not in listed]
    for position, each in enumerate([*listed, *rest]):
        each.position = position
    db.session.flush()
    db.session.expire(project, ["images"])  # read again in the new order
    reindex_project(project)


def set_cover(project: Project, image: ProjectImage, *, actor: User) -> None:
    """The image that stands for the project in grids."""
    for each in project.images:
        each.is_cover = each.id == image.id
    db.session.flush()
    reindex_project(project)


def _discard_project_image(image: ProjectImage, excluding: Sequence[int]) -> None:
    others = db.session.scalar(
        select(func.count())
        .select_from(ProjectImage)
        .where(ProjectImage.storage_key == image.storage_key, ProjectImage.id.not_in(excluding))
    )
    if not others:
        discard_image(image.storage_key, image.widths)
    if image.original_key is not None:
        sharing = db.session.scalar(
            select(func.count())
            .select_from(ProjectImage)
            .where(
                ProjectImage.original_key == image.original_key,
                ProjectImage.id.not_in(excluding),
            )
        )
        if not sharing and not original_in_use(
            image.original_key, besides=ProjectImage.original_key
        ):
            discard_original(image.original_key)


def delete_image(project: Project, image: ProjectImage, *, actor: User) -> None:
    """Remove an image; a published project keeps at least one."""
    if project.is_published and len(project.images) == 1:
        raise PortfolioError("last_image")
    _discard_project_image(image, [image.id])
    project.images.remove(image)
    for position, each in enumerate(project.images):
        each.position = position
    db.session.flush()
    reindex_project(project)


def publish_project(project: Project, *, actor: User) -> None:
    """Publish: only members, and only with images that all have alt text."""
    if not actor.is_member:
        raise PortfolioError("not_member")
    if not project.images:
        raise PortfolioError("no_images")
    if project.images_missing_alt:
        raise PortfolioError("missing_alt", count=len(project.images_missing_alt))
    project.is_published = True
    project.published_at = project.published_at or utcnow()
    db.session.flush()
    reindex_project(project)


def unpublish_project(project: Project, *, actor: User) -> None:
    """Back to draft: the project leaves the public portfolio and the search."""
    project.is_published = False
    db.session.flush()
    reindex_project(project)


def delete_project(project: Project, *, actor: User) -> None:
    """Delete a project, its images (files after the commit) and its search entry."""
    ids = [i.id for i in project.images]
    for image in project.images:
        _discard_project_image(image, ids)
    remove_document(kind="project", object_id=project.id)
    db.session.delete(project)
    db.session.flush()


def reindex_project(project: Project) -> None:
    """Put a project in the search index, public only while published and not hidden."""
    cover = project.cover
    index_document(
        kind="project",
        object_id=project.id,
        title=project.title,
        body=" ".join(
            [
                plain_text(project.description),
                " ".join(project.tags),
                project.owner.display_name,
                " ".join(d.name("en") + " " + d.name("vi") for d in project.disciplines),
            ]
        ),
        summary=plain_text(project.description)[:200],
        url=project_path(project.owner.handle, project.slug),
        owner_id=project.owner_id,
        public=project.is_published and project.hidden_at is None,
        image_url=cover.url(400) if cover and cover.widths else None,
    )


def toggle_appreciation(project: Project, *, actor: User) -> bool:
    """Appreciate a project, or take it back; True when it is now appreciated."""
    existing = db.session.get(Appreciation, (actor.id, project.id))
    if existing is None:
        db.session.add(Appreciation(user_id=actor.id, project_id=project.id))
    else:
        db.session.delete(existing)
    db.session.flush()
    count = select(func.count()).where(Appreciation.project_id == project.id).scalar_subquery()
    db.session.execute(
        update(Project).where(Project.id == project.id).values(appreciation_count=count)
    )
    db.session.refresh(project, ["appreciation_count"])
    return existing is None


def remove_user_from_index(user: User) -> None:
    """Used when an account goes away: its designer entry and projects leave the index."""
    remove_document(kind="designer", object_id=user.id)
    for project_id in db.session.scalars(select(Project.id).where(Project.owner_id == user.id)):
        remove_document(kind="project", object_id=project_id)
    appreciated = list(
        db.session.scalars(select(Appreciation.project_id).where(Appreciation.user_id == user.id))
    )
    db.session.execute(delete(Appreciation).where(Appreciation.user_id == user.id))
    if appreciated:
        count = (
            select(func.count())
            .where(Appreciation.project_id == Project.id)
            .correlate(Project)
            .scalar_subquery()
        )
        db.session.execute(
            update(Project)
            .where(Project.id.in_(appreciated))
            .values(appreciation_count=count)
            .execution_options(synchronize_session=False)
        )


def reindex_all_designers() -> int:
    """Index every designer again (the query hides those who are not public)."""
    users = list(db.session.scalars(select(User).where(User.account_type == AccountType.DESIGNER)))
    for user in users:
        reindex_designer(user)
    return len(users)


def reindex_all_projects() -> int:
    projects = list(db.session.scalars(select(Project)))
    for project in projects:
        reindex_project(project)
    return len(projects)


def index_approved_designer(user: User) -> None:
    # A designer approved before ever saving the profile must still be found by name.
    if user.is_designer:
        reindex_designer(user)

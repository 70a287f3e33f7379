"""Public portfolios and the directory; the designer's own profile and project editors."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from app.accounts.models import User, UserStatus
from app.calls.services import credits_for
from app.extensions import db
from app.forms import ConfirmForm, choices
from app.i18n import country_name
from app.markdown import render_markdown
from app.media.messages import reason_message
from app.media.pipeline import MAX_BYTES
from app.media.views import register_resolver
from app.pagination import page_number
from app.permissions import require
from app.portfolios import queries, services
from app.portfolios.forms import (
    DirectoryForm,
    ProfileForm,
    ProjectForm,
    UploadForm,
    country_choices,
    parse_links,
)
from app.portfolios.models import MAX_IMAGES, Project, ProjectImage
from app.portfolios.policies import (
    POLICIES,
    can_appreciate,
    can_create_project,
    can_edit_profile,
    can_edit_project,
    can_publish_project,
    can_view_portfolio,
    can_view_project,
    is_public_designer,
)
from app.profiles.models import DesignerProfile
from app.profiles.queries import discipline_choices, listed_discipline_choices

bp = Blueprint("portfolios", __name__)


@bp.app_context_processor
def portfolio_helpers() -> dict[str, Any]:
    return {
        **POLICIES,
        "country_name": country_name,
        "avatar_url": services.avatar_url,
        "designer_card": queries.designer_card,
    }


# ---------- Who may see an image (the media view asks) ----------


def _project_image_visibility(key: str, viewer: Any) -> tuple[bool, bool] | None:
    using = (
        select(Project)
        .join(ProjectImage, ProjectImage.project_id == Project.id)
        .where(ProjectImage.storage_key == key)
    )
    # One public project using the image settles it (a shared image may back many projects).
    public_use = using.join(User, User.id == Project.owner_id).where(
        queries.public_project_clause(),
        User.status == UserStatus.ACTIVE,
        User.hidden_at.is_(None),
    )
    if db.session.scalar(public_use.limit(1)) is not None:
        return (True, True)
    projects = db.session.scalars(using.limit(50)).all()
    if not projects:
        return None
    public = any(p.is_public for p in projects)
    return (public or any(can_view_project(viewer, p) for p in projects), public)


def _avatar_visibility(key: str, viewer: Any) -> tuple[bool, bool] | None:
    users = db.session.scalars(
        select(User)
        .join(DesignerProfile, DesignerProfile.user_id == User.id)
        .where(DesignerProfile.avatar_key == key)
    ).all()
    if not users:
        return None
    public = any(is_public_designer(u) for u in users)
    return (public or any(can_view_portfolio(viewer, u) for u in users), public)


register_resolver("p", _project_image_visibility)
register_resolver("a", _avatar_visibility)


# ---------- Messages ----------


def format_size(size: object) -> str:
    megabytes = int(size) / (1024 * 1024) if isinstance(size, int) else 0.0
    return _("%(size)s MB", size=format_decimal(round(megabytes, 1)))


def error_message(error: services.PortfolioError) -> str:
    if isinstance(error, services.UploadRejected):
        return " ".join(reason_message(n, r) for n, r in error.refused)
    messages = {
        "slug_taken": _("You already have a project at this web address. Choose another."),
        "too_many_images": _(
            "A project has at most %(max)d images; there is room for %(room)d more.",
            max=MAX_IMAGES,
            room=error.details.get("room", 0),
        ),
        "last_image": _("A published project keeps at least one image. Unpublish it first."),
        "not_member": _(
            "You can publish once a moderator has approved your profile. "
            "Your project is saved as a draft meanwhile."
        ),
        "no_images": _("Add at least one image before publishing."),
        "upload_rate": _(
            "You have uploaded many images in a short time. "
            "Please wait an hour, then add these again."
        ),
        "quota": _(
            "Your images would take more than your %(quota)s of storage (%(used)s used). "
            "Delete images you no longer show, or upload smaller ones.",
            quota=format_size(error.details.get("quota", 0)),
            used=format_size(error.details.get("used", 0)),
        ),
        "missing_alt": _(
            "Describe every image (alt text) before publishing: %(count)d missing.",
            count=error.details.get("count", 0),
        ),
    }
    return messages.get(error.code, _("That change could not be made."))


def read_uploads(files: list[FileStorage]) -> list[services.Upload]:
    uploads = []
    for f in files:
        if not f or not f.filename:
            continue
        # Read one byte more than allowed: enough to know it is too large, never the whole file.
        uploads.append(services.Upload(filename=f.filename[:100], data=f.read(MAX_BYTES + 1)))
    return uploads


def not_public_reason(user: User, project: Project | None = None) -> str | None:
    """Why the owner's page is not public (shown to the owner in a banner), None if it is."""
    if user.hidden_at is not None:
        return _("A moderator has hidden your profile: only you and moderators can see it.")
    if user.status == UserStatus.PENDING:
        return _("Your profile is waiting for a moderator's approval: it is not public yet.")
    if user.status == UserStatus.REJECTED:
        return _("Your application was not approved, so your pages are not public.")
    if user.status != UserStatus.ACTIVE:
        return _("Your account is not active, so your pages are not public.")
    if project is not None and project.hidden_at is not None:
        return _("A moderator has hidden this project: only you and moderators can see it.")
    if project is not None and not project.is_published:
        return _("This project is a draft: only you can see it until you publish it.")
    return None


# ---------- Public pages ----------


@bp.get("/designers")
def directory() -> ResponseReturnValue:
    form = DirectoryForm(request.args)
    locale = str(get_locale() or "en")
    form.discipline.choices = choices(
        [("", _("All disciplines")), *listed_discipline_choices(locale)]
    )
    form.country.choices = [choices([("", _("All countries"))])[0], *country_choices()[1:]]
    valid = form.validate()
    disciplines = {int(c.value): str(c.label) for c in form.discipline.choices if c.value}
    discipline_id = (
        int(form.discipline.data) if valid and (form.discipline.data or "").isdigit() else None
    )
    page = queries.directory_page(
        discipline_id=discipline_id,
        country=(form.country.data or "") if valid else "",
        city=(form.city.data or "") if valid else "",
        available=bool(form.available.data),
        sort=form.sort.data if form.sort.data in ("newest", "active") else "newest",
        number=page_number(request.args),
        discipline_names=disciplines,
    )
    covers = queries.recent_covers_for_owners([card.id for card in page.items])
    filtered = any([discipline_id, form.country.data, form.city.data, form.available.data])
    return render_template(
        "portfolios/directory.html",
        form=form,
        page=page,
        covers=covers,
        filtered=filtered,
    )


def _viewer_id() -> int | None:
    return int(current_user.id) if current_user.is_authenticated else None


def _designer_or_404(handle: str) -> queries.DesignerPage:
    found = queries.designer_page(handle, viewer_id=_viewer_id())
    if found is None or not can_view_portfolio(current_user, found.user):
        abort(404)
    return found


@bp.get("/designers/<handle>")
def portfolio(handle: str) -> ResponseReturnValue:
    page = _designer_or_404(handle)
    user, profile = page.user, page.profile
    is_owner = current_user.is_authenticated and current_user.id == user.id
    return render_template(
        "portfolios/portfolio.html",
        designer=user,
        profile=profile,
        projects=queries.portfolio_grid(user.id, include_drafts=is_owner),
        is_owner=is_owner,
        bio=render_markdown(profile.bio),
        banner=not_public_reason(user) if is_owner or not is_public_designer(user) else None,
        # Read only when the header's fact says there are some (calls registers it).
        credits=credits_for(user) if page.facts.get("has_credits", True) else [],
        # The Follow button's facts, read with the designer (social/_follow.html); without
        # them (social not installed) the button asks for itself.
        follow=(
            (int(page.facts["followers"] or 0), bool(page.facts["followed"]))
            if "followers" in page.facts
            else None
        ),
        recipient=user,
        report_target_type="profile",
        report_target_id=user.id,
        report_owner=user,
    )


def _public_project_or_404(handle: str, slug: str) -> queries.ProjectPage:
    found = queries.project_page(handle, slug, viewer_id=_viewer_id())
    if found is None or not can_view_portfolio(current_user, found.user):
        abort(404)
    found.project.owner = found.user
    if not can_view_project(current_user, found.project):
        abort(404)
    return found


@bp.get("/designers/<handle>/projects/<slug>")
def project(handle: str, slug: str) -> ResponseReturnValue:
    page = _public_project_or_404(handle, slug)
    user, project = page.user, page.project
    is_owner = current_user.is_authenticated and current_user.id == user.id
    return render_template(
        "portfolios/project.html",
        designer=user,
        profile=page.profile,
        project=project,
        is_owner=is_owner,
        description=render_markdown(project.description),
        appreciated=page.appreciated,
        banner=not_public_reason(user, project) if not project.is_public else None,
        report_target_type="project",
        report_target_id=project.id,
        report_owner=user,
    )


@bp.post("/designers/<handle>/projects/<slug>/appreciate")
@login_required
def appreciate(handle: str, slug: str) -> ResponseReturnValue:
    project = _public_project_or_404(handle, slug).project
    require(can_appreciate(current_user, project))
    now = services.toggle_appreciation(project, actor=current_user)
    db.session.commit()
    flash(
        _("Thank you for appreciating this project.") if now else _("Appreciation withdrawn."),
        "success",
    )
    return redirect(url_for("portfolios.project", handle=handle, slug=slug))


# ---------- The designer's own profile ----------


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
def edit_profile() -> ResponseReturnValue:
    require(can_edit_profile(current_user))
    profile = services.profile_for(current_user)
    form = ProfileForm(
        data={
            "display_name": current_user.display_name,
            "bio": profile.bio,
            "city": profile.city,
            "country": profile.country,
            "birth_date": profile.birth_date,
            "links": "\n".join(profile.links or []),
            "available_for_work": profile.available_for_work,
            "disciplines": [d.id for d in profile.disciplines],
        }
    )
    form.country.choices = country_choices()
    form.disciplines.choices = choices(discipline_choices())
    if form.validate_on_submit():
        avatar = read_uploads([form.avatar.data]) if form.avatar.data else []
        try:
            services.update_profile(
                actor=current_user,
                display_name=form.display_name.data or "",
                bio=form.bio.data or "",
                city=form.city.data or "",
                country=form.country.data or "",
                birth_date=form.birth_date.data,
                discipline_ids=form.disciplines.data or [],
                links=parse_links(form.links.data or ""),
                available_for_work=bool(form.available_for_work.data),
                avatar=avatar[0] if avatar else None,
                remove_avatar=bool(form.remove_avatar.data),
            )
        except services.PortfolioError as error:
            db.session.rollback()
            form.avatar.errors = [error_message(error)]
        else:
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("portfolios.portfolio", handle=current_user.handle))
    status = 422 if form.is_submitted() else 200
    return render_template("portfolios/profile_form.html", form=form, profile=profile), status


# ---------- The designer's own projects ----------


def _own_project_or_404(project_id: int) -> Project:
    project = db.session.scalar(
        select(Project)
        .where(Project.id == project_id)
        .options(selectinload(Project.images), selectinload(Project.disciplines))
    )
    if project is None or not can_edit_project(current_user, project):
        abort(404)
    return project


@bp.get("/me/projects")
@login_required
def my_projects() -> ResponseReturnValue:
    require(can_create_project(current_user))
    projects = queries.portfolio_projects(current_user.id, include_drafts=True)
    covers = queries.covers_for([p.id for p in projects])
    return render_template("portfolios/my_projects.html", projects=projects, covers=covers)


def _project_form_values(form: ProjectForm) -> dict[str, Any]:
    return {
        "title": form.title.data or "",
        "slug": form.slug.data or "",
        "description": form.description.data or "",
        "year": form.year.data,
        "tags": services.normalise_tags(form.tags.data or ""),
        "credits": form.credits.data or "",
        "discipline_ids": form.disciplines.data or [],
    }


@bp.route("/me/projects/new", methods=["GET", "POST"])
@login_required
def new_project() -> ResponseReturnValue:
    require(can_create_project(current_user))
    form = ProjectForm()
    form.disciplines.choices = choices(discipline_choices())
    if form.validate_on_submit():
        try:
            project = services.create_project(actor=current_user, **_project_form_values(form))
            uploads = read_uploads(form.images.data or [])
            if uploads:
                services.add_images(project, actor=current_user, uploads=uploads)
        except services.PortfolioError as error:
            db.session.rollback()
            target = form.slug if error.code == "slug_taken" else form.images
            target.errors = [*target.errors, error_message(error)]
        else:
            db.session.commit()
            flash(
                _("Your project is saved as a draft. Describe the images, then publish."), "success"
            )
            return redirect(url_for("portfolios.edit_project", project_id=project.id))
    status = 422 if form.is_submitted() else 200
    return render_template("portfolios/project_form.html", form=form, project=None), status


@bp.route("/me/projects/<int:project_id>", methods=["GET", "POST"])
@login_required
def edit_project(project_id: int) -> ResponseReturnValue:
    project = _own_project_or_404(project_id)
    form = project_form(project)
    texts = typed_image_texts(project)
    upload = UploadForm()
    if form.validate_on_submit():
        # Images chosen in "Add images" go with Save too: the editor has one way to save.
        uploads = read_uploads(request.files.getlist("images"))
        try:
            services.update_project(project, actor=current_user, **_project_form_values(form))
            services.update_image_texts(project, actor=current_user, texts=texts)
        except services.PortfolioError as error:
            db.session.rollback()
            form.slug.errors = [*form.slug.errors, error_message(error)]
            project = _own_project_or_404(project_id)
        else:
            try:
                added = (
                    services.add_images(project, actor=current_user, uploads=uploads)
                    if uploads
                    else []
                )
            except services.PortfolioError as error:
                db.session.rollback()
                upload.images.errors = [error_message(error)]
                project = _own_project_or_404(project_id)
            else:
                db.session.commit()
                flash(_("Your project is saved."), "success")
                if added:
                    flash(
                        _(
                            "%(num)d images added. Describe each one for people who cannot see it.",
                            num=len(added),
                        ),
                        "success",
                    )
                return redirect(url_for("portfolios.edit_project", project_id=project.id))
    status = 422 if form.is_submitted() else 200
    return _editor(project, form=form, upload=upload, status=status, texts=texts)


def typed_image_texts(project: Project) -> dict[int, tuple[str, str]]:
    """The alt texts and captions posted: every button of the editor sends them (one form)."""
    return {
        image.id: (
            request.form.get(f"alt-{image.id}", image.alt_text),
            request.form.get(f"caption-{image.id}", image.caption),
        )
        for image in project.images
        if f"alt-{image.id}" in request.form or f"caption-{image.id}" in request.form
    }


def project_form(project: Project) -> ProjectForm:
    """The project's details form: the posted values when posted, the saved ones otherwise."""
    form = ProjectForm(
        data={
            "title": project.title,
            "slug": project.slug,
            "description": project.description,
            "year": project.year,
            "tags": ", ".join(project.tags),
            "credits": project.credits,
            "disciplines": [d.id for d in project.disciplines],
        }
    )
    form.disciplines.choices = choices(discipline_choices())
    return form


def _editor(
    project: Project,
    *,
    form: ProjectForm | None = None,
    upload: UploadForm | None = None,
    status: int = 200,
    texts: dict[int, tuple[str, str]] | None = None,
) -> ResponseReturnValue:
    if form is None:
        form = project_form(project)
    return (
        render_template(
            "portfolios/project_form.html",
            form=form,
            project=project,
            upload=upload or UploadForm(),
            texts=texts or {},
            max_images=MAX_IMAGES,
        ),
        status,
    )


def _save_typed(project: Project) -> ResponseReturnValue | None:
    """Every button of the editor sends the whole form: the details (when present) and the image
    texts are saved first, so no button loses what was typed elsewhere. An error re-renders."""
    texts = typed_image_texts(project)
    if "title" in request.form:
        form = project_form(project)
        if not form.validate():
            return _editor(project, form=form, status=422, texts=texts)
        try:
            services.update_project(project, actor=current_user, **_project_form_values(form))
        except services.PortfolioError as error:
            db.session.rollback()
            form.slug.errors = [*form.slug.errors, error_message(error)]
            return _editor(_own_project_or_404(project.id), form=form, status=422, texts=texts)
    services.update_image_texts(project, actor=current_user, texts=texts)
    return None


@bp.post("/me/projects/<int:project_id>/images")
@login_required
def upload_images(project_id: int) -> ResponseReturnValue:
    """Several images at once. The button belongs to the editor's one form: typed details and
    image texts are saved with the upload."""
    project = _own_project_or_404(project_id)
    upload = UploadForm()
    valid = upload.validate_on_submit()
    uploads = read_uploads(upload.images.data or []) if valid else []
    if not uploads:
        upload.images.errors = [*upload.images.errors, _("Choose one or more images to add.")]
        texts = typed_image_texts(project)
        return _editor(project, upload=upload, status=422, texts=texts)
    refused = _save_typed(project)
    if refused is not None:
        return refused
    try:
        added = services.add_images(project, actor=current_user, uploads=uploads)
    except services.PortfolioError as error:
        db.session.rollback()
        upload.images.errors = [error_message(error)]
        texts = typed_image_texts(project)
        return _editor(_own_project_or_404(project_id), upload=upload, status=422, texts=texts)
    db.session.commit()
    flash(
        _("%(num)d images added. Describe each one for people who cannot see it.", num=len(added)),
        "success",
    )
    return redirect(url_for("portfolios.edit_project", project_id=project_id) + "#images")


def _image_order(raw: str) -> list[int]:
    return [int(part) for part in raw.split(",") if part.strip().isdigit()][:MAX_IMAGES]


@bp.post("/me/projects/<int:project_id>/images/manage")
@login_required
def manage_images(project_id: int) -> ResponseReturnValue:
    """Alt texts, captions and the project's details are saved with every button of the editor
    (one form), so that moving or choosing a cover without JavaScript never loses what was typed.
    Drag and drop (static/js/editor.js) posts the same form with action "order:<ids>"."""
    project = _own_project_or_404(project_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    refused = _save_typed(project)
    if refused is not None:
        return refused
    verb, _sep, raw_id = request.form.get("action", "save").partition(":")
    image = next((i for i in project.images if str(i.id) == raw_id), None)
    message = _("Your project is saved.")
    try:
        if verb in ("up", "down") and image is not None:
            services.move_image(project, image, actor=current_user, step=-1 if verb == "up" else 1)
            message = _("Image moved.")
        elif verb == "order":
            services.reorder_images(project, _image_order(raw_id), actor=current_user)
            message = _("Images reordered.")
        elif verb == "cover" and image is not None:
            services.set_cover(project, image, actor=current_user)
            message = _("Cover chosen.")
        elif verb == "delete" and image is not None:
            services.delete_image(project, image, actor=current_user)
            message = _("Image removed.")
        else:
            services.reindex_project(project)
    except services.PortfolioError as error:
        db.session.rollback()
        flash(error_message(error), "error")
        return redirect(url_for("portfolios.edit_project", project_id=project_id) + "#images")
    db.session.commit()
    flash(message, "success")
    anchor = f"#image-{image.id}" if image is not None and verb != "delete" else "#images"
    return redirect(url_for("portfolios.edit_project", project_id=project_id) + anchor)


@bp.post("/me/projects/<int:project_id>/publish")
@login_required
def publish_project(project_id: int) -> ResponseReturnValue:
    project = _own_project_or_404(project_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not can_publish_project(current_user, project):
        flash(error_message(services.PortfolioError("not_member")), "error")
        return redirect(url_for("portfolios.edit_project", project_id=project_id))
    try:
        services.publish_project(project, actor=current_user)
    except services.PortfolioError as error:
        db.session.rollback()
        flash(error_message(error), "error")
        return redirect(url_for("portfolios.edit_project", project_id=project_id) + "#images")
    db.session.commit()
    flash(_("Your project is published."), "success")
    return redirect(url_for("portfolios.project", handle=current_user.handle, slug=project.slug))


@bp.post("/me/projects/<int:project_id>/unpublish")
@login_required
def unpublish_project(project_id: int) -> ResponseReturnValue:
    project = _own_project_or_404(project_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.unpublish_project(project, actor=current_user)
    db.session.commit()
    flash(_("Your project is back to draft: only you can see it."), "success")
    return redirect(url_for("portfolios.edit_project", project_id=project_id))


@bp.post("/me/projects/<int:project_id>/delete")
@login_required
def delete_project(project_id: int) -> ResponseReturnValue:
    project = _own_project_or_404(project_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    title = project.title
    services.delete_project(project, actor=current_user)
    db.session.commit()
    flash(_("“%(title)s” is deleted.", title=title), "success")
    return redirect(url_for("portfolios.my_projects"))

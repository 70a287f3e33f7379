"""Portfolios in the application: pages, archive and deletion parts, projects as moderated
content, designers and projects in the search, and a newly approved designer indexed."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import joinedload

from app.accounts.owndata import add_parts
from app.accounts.signals import user_approved
from app.jobs.runner import register_handler
from app.media.deferred import register_original_column, register_slot
from app.moderation import targets
from app.portfolios import owndata, services, views
from app.portfolios.models import Project, ProjectImage
from app.search.services import register_reindexer


def _project_url(project: Project) -> str:
    return f"/designers/{project.owner.handle}/projects/{project.slug}"


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    add_parts(
        exporters=[owndata.export_projects, owndata.export_images],
        erasers=[owndata.erase_portfolio],
    )
    targets.register(
        targets.TargetType(
            "project",
            Project,
            owner=lambda project: project.owner,
            title=lambda project: project.title,
            public_url=_project_url,
            load_options=(joinedload(Project.owner),),
            snapshot=lambda project: f"{project.title}\n\n{project.description}"[:10000],
            preview_template="moderation/previews/_project.html",
            on_visibility_change=services.reindex_project,
        )
    )
    # Uploaded images are resized after the response, by a background job.
    register_handler(services.RESIZE_JOB, services.resize_image)
    register_original_column(ProjectImage.original_key)
    # So is a new avatar (the previous one, or the initial, shows until then).
    register_slot(services.AVATAR_SLOT)
    register_reindexer("designer", services.reindex_all_designers)
    register_reindexer("project", services.reindex_all_projects)
    # A designer approved before ever saving the profile must still be found by name.
    user_approved.connect(services.index_approved_designer)

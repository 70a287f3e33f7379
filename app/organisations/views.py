"""The organiser's /me/organisation form, the directory of verified organisations, and who may
see a logo."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.forms import choices
from app.media.messages import reason_message
from app.media.pipeline import MAX_BYTES
from app.media.views import register_resolver
from app.organisations import queries, services
from app.organisations.forms import DirectoryForm, OrganisationForm
from app.organisations.policies import (
    POLICIES,
    can_edit_organisation,
    can_see_organisation,
    is_public_organiser,
)
from app.pagination import page_number, paginate
from app.permissions import require
from app.portfolios.forms import country_choices

bp = Blueprint("organisations", __name__)


@bp.app_context_processor
def organisation_helpers() -> dict[str, Any]:
    return dict(POLICIES)


def _logo_visibility(key: str, viewer: Any) -> tuple[bool, bool] | None:
    users = queries.logo_users(key)
    if not users:
        return None
    public = any(is_public_organiser(u) for u in users)
    return (public or any(can_see_organisation(viewer, u) for u in users), public)


register_resolver("o", _logo_visibility)


def _read_logo(file: FileStorage | None) -> services.Logo | None:
    if not file or not file.filename:
        return None
    # One byte more than allowed: enough to know it is too large, never the whole file.
    data = file.read(MAX_BYTES + 1)
    file.close()
    return services.Logo(filename=file.filename[:100], data=data)


def _details(form: OrganisationForm) -> services.OrganisationDetails:
    return services.OrganisationDetails(
        organisation=form.organisation.data or "",
        website=form.website.data or "",
        description=form.description.data or "",
        city=form.city.data or "",
        country=form.country.data or "",
        logo_alt=form.logo_alt.data or "",
        contact_email=form.contact_email.data or "",
        show_contact_email=bool(form.show_contact_email.data),
    )


@bp.route("/me/organisation", methods=["GET", "POST"])
@login_required
def edit() -> ResponseReturnValue:
    require(can_edit_organisation(current_user))
    profile = services.profile_for(current_user)
    form = OrganisationForm(
        data={
            "organisation": profile.display_name(current_user.display_name),
            "website": profile.website,
            "description": profile.description,
            "city": profile.city,
            "country": profile.country,
            "logo_alt": profile.logo_alt,
            "contact_email": profile.contact_email or current_user.email,
            "show_contact_email": profile.show_contact_email,
        }
    )
    form.country.choices = country_choices()
    if form.validate_on_submit():
        logo = _read_logo(form.logo.data)
        has_logo = profile.logo_key or profile.logo_original_key
        keeps_logo = logo is not None or (has_logo and not form.remove_logo.data)
        if keeps_logo and not (form.logo_alt.data or "").strip():
            form.logo_alt.errors = [_("Describe the logo for people who cannot see it.")]
        else:
            try:
                services.update_organisation(
                    actor=current_user,
                    details=_details(form),
                    logo=logo,
                    remove_logo=bool(form.remove_logo.data),
                )
            except services.LogoRejected as error:
                db.session.rollback()
                form.logo.errors = [reason_message(error.filename, error.reason)]
                profile = services.profile_for(current_user)
            else:
                db.session.commit()
                flash(_("Your organisation's details are saved."), "success")
                return redirect(url_for("calls.organiser", handle=current_user.handle))
    status = 422 if form.is_submitted() else 200
    return render_template("organisations/edit.html", form=form, profile=profile), status


@bp.get("/organisations")
def directory() -> ResponseReturnValue:
    form = DirectoryForm(request.args)
    form.country.choices = [choices([("", _("All countries"))])[0], *country_choices()[1:]]
    valid = form.validate()
    stmt = queries.directory_query(
        country=(form.country.data or "") if valid else "",
        city=(form.city.data or "") if valid else "",
        q=(form.q.data or "") if valid else "",
    )
    page = paginate(stmt, number=page_number(request.args), per_page=queries.PER_PAGE, rows=True)
    filtered = valid and any([form.q.data, form.country.data, form.city.data])
    return render_template("organisations/directory.html", form=form, page=page, filtered=filtered)

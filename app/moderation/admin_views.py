"""Admins' pages (/admin): roles, rejection reasons and network statistics (the disciplines
are the profiles domain's: app/profiles/views.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.models import StaffRole, User
from app.accounts.services import find_by_handle
from app.extensions import db
from app.forms import ConfirmForm
from app.moderation import actions, stats
from app.moderation.forms import (
    ROLE_LABELS,
    GrantForm,
    RejectionTemplateForm,
    RoleForm,
)
from app.moderation.models import RejectionTemplate
from app.permissions import admins_only

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _staff() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.staff_role != StaffRole.NONE)
            .order_by(User.staff_role, User.display_name)
        )
    )


def _staff_page(grant: GrantForm | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "moderation/admin/staff.html",
        staff=_staff(),
        grant=grant or GrantForm(formdata=None),
        role_labels=ROLE_LABELS,
        roles=list(StaffRole),
    ), status


@bp.get("/staff")
@admins_only
def staff() -> ResponseReturnValue:
    return _staff_page()


def _set_role(person: User, role: StaffRole) -> ResponseReturnValue:
    try:
        actions.set_staff_role(person=person, role=role, actor=current_user)
    except actions.ModerationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.staff"))
    db.session.commit()
    flash(
        _("@%(handle)s is now: %(role)s.", handle=person.handle, role=ROLE_LABELS[role]),
        "success",
    )
    return redirect(url_for("admin.staff"))


@bp.post("/staff")
@admins_only
def grant() -> ResponseReturnValue:
    form = GrantForm()
    if not form.validate_on_submit():
        return _staff_page(form, 422)
    person = find_by_handle((form.handle.data or "").lstrip("@"))
    if person is None:
        form.handle.errors = [*form.handle.errors, _("Nobody has this handle.")]
        return _staff_page(form, 422)
    return _set_role(person, StaffRole(form.role.data))


@bp.post("/staff/<int:user_id>")
@admins_only
def set_role(user_id: int) -> ResponseReturnValue:
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a role."), "error")
        return redirect(url_for("admin.staff"))
    return _set_role(person, StaffRole(form.role.data))


def _templates_page(
    new: RejectionTemplateForm | None = None, status: int = 200, **errors: Any
) -> ResponseReturnValue:
    rows = list(
        db.session.scalars(
            select(RejectionTemplate).order_by(RejectionTemplate.position, RejectionTemplate.id)
        )
    )
    forms = {
        t.id: errors.get(f"form_{t.id}")
        or RejectionTemplateForm(obj=t, prefix=f"t{t.id}", formdata=None)
        for t in rows
    }
    return render_template(
        "moderation/admin/reasons.html",
        templates=rows,
        forms=forms,
        new=new or RejectionTemplateForm(formdata=None, prefix="new"),
        confirm=ConfirmForm(),
    ), status


@bp.get("/reasons")
@admins_only
def reasons() -> ResponseReturnValue:
    return _templates_page()


@bp.post("/reasons")
@admins_only
def add_reason() -> ResponseReturnValue:
    form = RejectionTemplateForm(prefix="new")
    if not form.validate_on_submit():
        return _templates_page(form, 422)
    actions.save_rejection_template(
        template=None,
        actor=current_user,
        title=form.title.data or "",
        body=form.body.data or "",
        position=form.position.data or 0,
    )
    db.session.commit()
    flash(_("The reason is added."), "success")
    return redirect(url_for("admin.reasons"))


def _template_or_404(template_id: int) -> RejectionTemplate:
    template = db.session.get(RejectionTemplate, template_id)
    if template is None:
        abort(404)
    return template


@bp.post("/reasons/<int:template_id>")
@admins_only
def edit_reason(template_id: int) -> ResponseReturnValue:
    template = _template_or_404(template_id)
    form = RejectionTemplateForm(prefix=f"t{template_id}")
    if not form.validate_on_submit():
        return _templates_page(None, 422, **{f"form_{template_id}": form})
    actions.save_rejection_template(
        template=template,
        actor=current_user,
        title=form.title.data or "",
        body=form.body.data or "",
        position=form.position.data or 0,
    )
    db.session.commit()
    flash(_("The reason is saved."), "success")
    return redirect(url_for("admin.reasons"))


@bp.post("/reasons/<int:template_id>/delete")
@admins_only
def delete_reason(template_id: int) -> ResponseReturnValue:
    template = _template_or_404(template_id)
    if ConfirmForm().validate_on_submit():
        actions.delete_rejection_template(template=template, actor=current_user)
        db.session.commit()
        flash(_("The reason is removed."), "success")
    return redirect(url_for("admin.reasons"))


@bp.get("/stats")
@admins_only
def statistics() -> ResponseReturnValue:
    starts = stats.week_starts()
    labels = [format_date(s, "d MMM") for s in starts]
    charts = []
    for series in stats.SERIES:
        values = stats.weekly(series, starts)
        title = series.label()
        charts.append(
            {
                "title": title,
                "total": sum(values),
                "svg": stats.bar_chart(values, labels, title=title),
            }
        )
    return render_template(
        "moderation/admin/stats.html", by_status=stats.members_by_status(), charts=charts
    )

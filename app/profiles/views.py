"""The disciplines admin (/admin/disciplines): the list designers choose from, in three
languages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.permissions import admins_only
from app.profiles import services
from app.profiles.forms import DisciplineForm
from app.profiles.models import Discipline

bp = Blueprint("disciplines", __name__, url_prefix="/admin/disciplines")


def _disciplines_page(
    new: DisciplineForm | None = None, status: int = 200, **errors: Any
) -> ResponseReturnValue:
    rows = list(db.session.scalars(select(Discipline).order_by(Discipline.position, Discipline.id)))
    forms = {
        d.id: errors.get(f"form_{d.id}") or DisciplineForm(obj=d, prefix=f"d{d.id}", formdata=None)
        for d in rows
    }
    return render_template(
        "profiles/disciplines.html",
        disciplines=rows,
        forms=forms,
        new=new or DisciplineForm(formdata=None, prefix="new"),
    ), status


@bp.get("")
@admins_only
def index() -> ResponseReturnValue:
    return _disciplines_page()


def _save_discipline(discipline: Discipline | None, form: DisciplineForm) -> bool:
    try:
        services.save_discipline(
            discipline=discipline,
            actor=current_user,
            slug=form.slug.data or "",
            names=form.names(),
            position=form.position.data or 0,
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.slug.errors = [*form.slug.errors, _("Another discipline has this short name.")]
        return False
    return True


@bp.post("")
@admins_only
def add() -> ResponseReturnValue:
    form = DisciplineForm(prefix="new")
    if form.validate_on_submit() and _save_discipline(None, form):
        flash(_("The discipline is added."), "success")
        return redirect(url_for("disciplines.index"))
    return _disciplines_page(form, 422)


@bp.post("/<int:discipline_id>")
@admins_only
def edit(discipline_id: int) -> ResponseReturnValue:
    discipline = db.session.get(Discipline, discipline_id)
    if discipline is None:
        abort(404)
    form = DisciplineForm(prefix=f"d{discipline_id}")
    if form.validate_on_submit() and _save_discipline(discipline, form):
        flash(_("The discipline is saved."), "success")
        return redirect(url_for("disciplines.index"))
    return _disciplines_page(None, 422, **{f"form_{discipline_id}": form})

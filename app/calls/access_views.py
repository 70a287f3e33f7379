"""Access to calls that are not open to all: the organiser's codes and nominators, entering a
code, the nominator's page, and the moderators' list of approvals by nomination."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.calls import access, nominations, queries, services
from app.calls.access_forms import (
    ACCESS_SHORT,
    ACCESS_TAG,
    CodesForm,
    NominationForm,
    NominatorForm,
    RedeemForm,
)
from app.calls.access_models import AccessCode, Nomination, Nominator
from app.calls.access_policies import can_nominate, is_nominator
from app.calls.forms import RevokeApprovalForm
from app.calls.loading import call_or_404 as _call_or_404
from app.calls.loading import managed_call_or_404 as _managed_call_or_404
from app.calls.models import AccessMode, OpenCall
from app.calls.nominations import NomineeStatus
from app.db_types import utcnow
from app.extensions import db, limiter
from app.forms import ConfirmForm
from app.pagination import page_number, paginate
from app.permissions import moderators_only, require

bp = Blueprint("access", __name__)

CODES_PER_PAGE = 50
SEATS_PER_PAGE = 20
APPROVALS_PER_PAGE = 20

NOMINEE_LABELS = {
    NomineeStatus.INVITED: _l("Invited"),
    NomineeStatus.SIGNED_UP: _l("Signed up"),
    NomineeStatus.DRAFTING: _l("Writing their application"),
    NomineeStatus.APPLIED: _l("Applied"),
    NomineeStatus.WITHDRAWN: _l("Withdrew their application"),
    NomineeStatus.DECIDED: _l("Decided"),
}


@bp.app_context_processor
def access_helpers() -> dict[str, Any]:
    return {
        "AccessMode": AccessMode,
        "access_short": lambda mode: ACCESS_SHORT.get(AccessMode(mode), ""),
        "access_tag": lambda mode: ACCESS_TAG.get(AccessMode(mode), ""),
        "organisation_of": nominations.organisation_of,
    }


# ---------- The organiser: codes and nominators ----------


@bp.get("/calls/<slug>/access")
@login_required
def manage(slug: str) -> ResponseReturnValue:
    return _manage_page(_managed_call_or_404(slug))


def _manage_page(
    call: OpenCall,
    codes_form: CodesForm | None = None,
    nominator_form: NominatorForm | None = None,
    status: int = 200,
    fresh: list[int] | None = None,
) -> ResponseReturnValue:
    page = paginate(
        access.codes_stmt(call), number=page_number(request.args), per_page=CODES_PER_PAGE
    )
    return render_template(
        "calls/access/manage.html",
        call=call,
        codes_form=codes_form or CodesForm(formdata=None),
        nominator_form=nominator_form or NominatorForm(formdata=None),
        page=page,
        rows=access.code_rows(page.items),
        fresh=set(fresh or ()),
        nominators=nominations.nominators_of(call),
        confirm=ConfirmForm(),
        now=utcnow(),
    ), status


@bp.post("/calls/<slug>/access/codes")
@login_required
def create_codes(slug: str) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    form = CodesForm()
    if not form.validate_on_submit():
        return _manage_page(call, codes_form=form, status=422)
    try:
        made = access.create_codes(
            call,
            actor=current_user,
            count=form.count.data or 0,
            uses=form.uses.data or 0,
            label=form.label.data or "",
            expires_on=form.expires_on.data,
            expires_time=form.expires_time.data,
        )
    except access.AccessError as exc:
        db.session.rollback()
        form.count.errors = [*form.count.errors, str(exc)]
        return _manage_page(call, codes_form=form, status=422)
    db.session.commit()
    flash(ngettext("%(num)d code created.", "%(num)d codes created.", len(made)), "success")
    return redirect(url_for("access.manage", slug=call.slug, _anchor="codes"))


@bp.post("/calls/<slug>/access/codes/<int:code_id>/revoke")
@login_required
def revoke_code(slug: str, code_id: int) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    code = db.session.get(AccessCode, code_id)
    require(code is not None and code.call_id == call.id, status=404)
    assert code is not None
    if not ConfirmForm().validate_on_submit():
        return _manage_page(call, status=422)
    try:
        access.revoke_code(code, actor=current_user)
    except access.AccessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The code %(code)s is revoked.", code=access.show_code(code.code)), "success")
    return redirect(url_for("access.manage", slug=call.slug, _anchor="codes"))


@bp.post("/calls/<slug>/access/nominators")
@login_required
@limiter.limit("60 per hour", key_func=lambda: f"nominator-add:{current_user.id}")
def add_nominator(slug: str) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    form = NominatorForm()
    if not form.validate_on_submit():
        return _manage_page(call, nominator_form=form, status=422)
    try:
        nominator = nominations.add_nominator(
            call, actor=current_user, who=form.who.data or "", quota=form.quota.data or 0
        )
    except access.AccessError as exc:
        db.session.rollback()
        form.who.errors = [*form.who.errors, str(exc)]
        return _manage_page(call, nominator_form=form, status=422)
    db.session.commit()
    flash(
        _(
            "%(name)s may nominate up to %(n)d candidates.",
            name=nominations.organisation_of(nominator.user),
            n=nominator.quota,
        ),
        "success",
    )
    return redirect(url_for("access.manage", slug=call.slug, _anchor="nominators"))


@bp.post("/calls/<slug>/access/nominators/<int:nominator_id>/delete")
@login_required
def remove_nominator(slug: str, nominator_id: int) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    nominator = db.session.get(Nominator, nominator_id)
    require(nominator is not None and nominator.call_id == call.id, status=404)
    assert nominator is not None
    if not ConfirmForm().validate_on_submit():
        return _manage_page(call, status=422)
    name = nominations.organisation_of(nominator.user)
    try:
        nominations.remove_nominator(nominator, actor=current_user)
    except access.AccessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("%(name)s is no longer a nominator.", name=name), "success")
    return redirect(url_for("access.manage", slug=call.slug, _anchor="nominators"))


# ---------- Applicants: entering a code ----------


@bp.route("/calls/<slug>/code", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per hour", methods=["POST"], key_func=lambda: f"code:{current_user.id}")
def enter_code(slug: str) -> ResponseReturnValue:
    call = _call_or_404(slug)
    has_application = services.submission_of(call, current_user) is not None
    refusal = access.apply_refusal(
        current_user, call, queries.juror_ids(call), has_application=has_application
    )
    # A code would change nothing (an open call, one already opened, or someone who may not
    # apply for another reason): the application page says what applies.
    if (
        call.access_mode != AccessMode.INVITE_ONLY
        or refusal is not None
        or access.mode_refusal(call, current_user) is None
    ):
        return redirect(url_for("calls.apply", slug=call.slug))
    form = RedeemForm(code=request.args.get("code", "")[:40] or None)
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate_on_submit():
            try:
                access.redeem_code(call, person=current_user, text=form.code.data or "")
            except access.AlreadyOpened as exc:
                db.session.rollback()
                flash(str(exc), "success")
                return redirect(url_for("calls.apply", slug=call.slug))
            except access.AccessError as exc:
                db.session.rollback()
                form.code.errors = [*form.code.errors, str(exc)]
            else:
                db.session.commit()
                flash(_("The code is accepted: you may apply."), "success")
                return redirect(url_for("calls.apply", slug=call.slug))
    return render_template("calls/access/code.html", call=call, form=form), status


# ---------- Nominators ----------


@bp.get("/nominations")
@login_required
def seats() -> ResponseReturnValue:
    # Only for those an organiser named: nobody else has nominations to see.
    require(is_nominator(current_user) and nominations.has_seats(current_user), status=404)
    page = paginate(
        nominations.seats_stmt(current_user),
        number=page_number(request.args),
        per_page=SEATS_PER_PAGE,
    )
    return render_template("calls/access/seats.html", page=page, now=utcnow())


def _seat_or_404(nominator_id: int) -> Nominator:
    nominator = db.session.get(Nominator, nominator_id)
    require(nominator is not None and can_nominate(current_user, nominator), status=404)
    assert nominator is not None
    return nominator


@bp.route("/nominations/<int:nominator_id>", methods=["GET", "POST"])
@login_required
@limiter.limit("60 per hour", methods=["POST"], key_func=lambda: f"nominate:{current_user.id}")
def nominate(nominator_id: int) -> ResponseReturnValue:
    nominator = _seat_or_404(nominator_id)
    form = NominationForm()
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate_on_submit():
            try:
                nomination = nominations.nominate(
                    nominator, actor=current_user, candidate=form.candidate.data or ""
                )
            except access.AccessError as exc:
                db.session.rollback()
                db.session.refresh(nominator)
                form.candidate.errors = [*form.candidate.errors, str(exc)]
            else:
                db.session.commit()
                flash(
                    _(
                        "%(name)s is nominated and told by email.",
                        name=nomination.candidate,
                    ),
                    "success",
                )
                return redirect(url_for("access.nominate", nominator_id=nominator.id))
    return render_template(
        "calls/access/nominate.html",
        nominator=nominator,
        call=nominator.call,
        form=form,
        nominees=nominations.nominees(nominator),
        labels=NOMINEE_LABELS,
        now=utcnow(),
    ), status


# ---------- Moderators: applications approved by a nomination ----------


@bp.get("/nominations/approvals")
@moderators_only
def approvals() -> ResponseReturnValue:
    return _approvals_page()


def _approvals_page(
    form: RevokeApprovalForm | None = None, failed: int | None = None, status: int = 200
) -> ResponseReturnValue:
    page = paginate(
        nominations.approvals_stmt(),
        number=page_number(request.args),
        per_page=APPROVALS_PER_PAGE,
    )
    return render_template(
        "calls/access/approvals.html",
        page=page,
        form=form or RevokeApprovalForm(formdata=None),
        failed=failed,
    ), status


@bp.post("/nominations/approvals/<int:nomination_id>/revoke")
@moderators_only
def revoke_approval(nomination_id: int) -> ResponseReturnValue:
    nomination = db.session.get(Nomination, nomination_id)
    require(nomination is not None, status=404)
    assert nomination is not None
    form = RevokeApprovalForm()
    if not form.validate_on_submit():
        return _approvals_page(form, nomination_id, 422)
    try:
        nominations.revoke_approval(nomination, actor=current_user, reason=form.reason.data or "")
    except access.AccessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("access.approvals"))
    db.session.commit()
    flash(_("The approval is revoked. The candidate and the nominator are told."), "success")
    return redirect(url_for("access.approvals"))

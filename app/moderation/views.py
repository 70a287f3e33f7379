"""The moderators' pages (/moderation) and the report form (/report/...)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import AccountType, User, UserStatus
from app.db_types import utcnow
from app.extensions import db, limiter
from app.forms import ConfirmForm
from app.markdown import render_markdown
from app.moderation import actions, queries, targets
from app.moderation.forms import (
    ACTION_LABELS,
    APPEAL_STATUS_LABELS,
    REPORT_REASONS,
    REPORT_STATUS_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    TARGET_LABELS,
    DecideAppealForm,
    OptionalReasonForm,
    ReasonForm,
    RejectForm,
    ReportForm,
    ResolveForm,
    SuspendForm,
)
from app.moderation.models import (
    ActionKind,
    Appeal,
    AppealStatus,
    RejectionTemplate,
    Report,
    ReportReason,
    ReportStatus,
)
from app.moderation.policies import POLICIES, can_act_on, can_decide_appeal, can_report
from app.moderation.services import DuplicateReport, file_report
from app.pagination import page_number
from app.permissions import moderators_only, require
from app.profiles.models import DesignerProfile
from app.urls import safe_next

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
report_bp = Blueprint("report", __name__, url_prefix="/report")


@bp.app_context_processor
def moderation_helpers() -> dict[str, Any]:
    return {
        **POLICIES,
        "AppealStatus": AppealStatus,
        "render_markdown": render_markdown,
        "action_labels": ACTION_LABELS,
        "report_reasons": REPORT_REASONS,
        "status_labels": STATUS_LABELS,
        "role_labels": ROLE_LABELS,
        "target_labels": TARGET_LABELS,
        "report_status_labels": REPORT_STATUS_LABELS,
        "appeal_status_labels": APPEAL_STATUS_LABELS,
        "waited": _waited,
    }


def _waited(since: datetime) -> str:
    """How long something has waited, in words ("3 days")."""
    return str(format_timedelta(utcnow() - since, threshold=1.1))


# --- Dashboard and queues -------------------------------------------------------------------


@bp.get("")
@moderators_only
def dashboard() -> ResponseReturnValue:
    return render_template("moderation/dashboard.html", queues=queries.queues())


def _rejection_templates() -> list[RejectionTemplate]:
    return list(
        db.session.scalars(
            select(RejectionTemplate).order_by(RejectionTemplate.position, RejectionTemplate.id)
        )
    )


def _reject_form(templates: list[RejectionTemplate], **kwargs: Any) -> RejectForm:
    return RejectForm(templates=[(str(t.id), t.title) for t in templates], **kwargs)


@bp.get("/members")
@moderators_only
def members() -> ResponseReturnValue:
    page = queries.pending_people(AccountType.DESIGNER, number=page_number(request.args))
    templates = _rejection_templates()
    return render_template(
        "moderation/members.html",
        page=page,
        projects=queries.projects_by_owner([u.id for u in page.items]),
        reject_form=_reject_form(templates, formdata=None),
        approve_form=OptionalReasonForm(formdata=None),
    )


@bp.get("/organisers")
@moderators_only
def organisers() -> ResponseReturnValue:
    page = queries.pending_people(AccountType.ORGANISER, number=page_number(request.args))
    return render_template(
        "moderation/organisers.html",
        page=page,
        reject_form=_reject_form(_rejection_templates(), formdata=None),
        approve_form=OptionalReasonForm(formdata=None),
    )


# --- A person -------------------------------------------------------------------------------


def _person_or_404(user_id: int) -> User:
    person = db.session.scalar(
        select(User)
        .where(User.id == user_id)
        .options(
            selectinload(User.designer_profile).selectinload(DesignerProfile.disciplines),
            selectinload(User.organiser_profile),
        )
    )
    if person is None:
        abort(404)
    return person


def _person_page(person: User, status: int = 200, **forms: Any) -> ResponseReturnValue:
    templates = _rejection_templates()
    history = queries.actions_about(person, number=page_number(request.args))
    open_reports = list(
        db.session.scalars(
            select(Report)
            .where(Report.subject_id == person.id, Report.status == ReportStatus.OPEN)
            .order_by(Report.created_at.desc())
            .limit(20)
        )
    )
    page = render_template(
        "moderation/person.html",
        person=person,
        projects=queries.projects_by_owner([person.id], limit=12).get(person.id, []),
        history=history,
        open_reports=open_reports,
        approve_form=forms.get("approve_form") or OptionalReasonForm(formdata=None),
        reject_form=forms.get("reject_form") or _reject_form(templates, formdata=None),
        warn_form=forms.get("warn_form") or ReasonForm(formdata=None, prefix="warn"),
        suspend_form=forms.get("suspend_form") or SuspendForm(formdata=None, prefix="suspend"),
        lift_form=forms.get("lift_form") or OptionalReasonForm(formdata=None, prefix="lift"),
        hide_form=forms.get("hide_form") or ReasonForm(formdata=None, prefix="hide"),
        confirm=ConfirmForm(),
    )
    return page, status


@bp.get("/people/<int:user_id>")
@moderators_only
def person(user_id: int) -> ResponseReturnValue:
    return _person_page(_person_or_404(user_id))


def _act_on_person(
    user_id: int, form: Any, form_name: str, act: Any, done: str
) -> ResponseReturnValue:
    person = _person_or_404(user_id)
    require(can_act_on(current_user, person))
    if not form.validate_on_submit():
        return _person_page(person, 422, **{form_name: form})
    try:
        act(person, form)
    except actions.ModerationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("moderation.person", user_id=user_id))
    db.session.commit()
    flash(done, "success")
    # From a queue, back to the queue: the next person is waiting.
    queue = request.form.get("next_queue")
    if queue in ("members", "organisers"):
        return redirect(url_for(f"moderation.{queue}"))
    return redirect(url_for("moderation.person", user_id=user_id))


@bp.post("/people/<int:user_id>/approve")
@moderators_only
def approve(user_id: int) -> ResponseReturnValue:
    return _act_on_person(
        user_id,
        OptionalReasonForm(),
        "approve_form",
        lambda p, f: actions.approve(person=p, actor=current_user, reason=f.reason.data or ""),
        _("Approved. The person was told by email."),
    )


@bp.post("/people/<int:user_id>/reject")
@moderators_only
def reject(user_id: int) -> ResponseReturnValue:
    templates = _rejection_templates()
    by_id = {str(t.id): t.body for t in templates}

    def act(person: User, form: RejectForm) -> None:
        parts = [by_id.get(form.template.data or "", ""), (form.reason.data or "").strip()]
        reason = "\n\n".join(p for p in parts if p)
        actions.reject(person=person, actor=current_user, reason=reason)

    return _act_on_person(
        user_id,
        _reject_form(templates),
        "reject_form",
        act,
        _("Rejected. The person was told why by email."),
    )


@bp.post("/people/<int:user_id>/warn")
@moderators_only
def warn(user_id: int) -> ResponseReturnValue:
    return _act_on_person(
        user_id,
        ReasonForm(prefix="warn"),
        "warn_form",
        lambda p, f: actions.warn(person=p, actor=current_user, reason=f.reason.data),
        _("Warning sent. The person sees it on their account page."),
    )


@bp.post("/people/<int:user_id>/suspend")
@moderators_only
def suspend(user_id: int) -> ResponseReturnValue:
    return _act_on_person(
        user_id,
        SuspendForm(prefix="suspend"),
        "suspend_form",
        lambda p, f: actions.suspend(
            person=p, actor=current_user, days=f.days, reason=f.reason.data
        ),
        _("Suspended. Their sessions have ended."),
    )


@bp.post("/people/<int:user_id>/lift")
@moderators_only
def lift(user_id: int) -> ResponseReturnValue:
    return _act_on_person(
        user_id,
        OptionalReasonForm(prefix="lift"),
        "lift_form",
        lambda p, f: actions.lift_suspension(
            person=p, actor=current_user, reason=f.reason.data or ""
        ),
        _("The suspension is lifted."),
    )


# --- Reports and content --------------------------------------------------------------------


@bp.get("/reports")
@moderators_only
def reports() -> ResponseReturnValue:
    return render_template(
        "moderation/reports.html", page=queries.reported_targets(number=page_number(request.args))
    )


def _target_or_404(target_type: str) -> targets.TargetType:
    target = targets.get(target_type)
    if target is None:
        abort(404)
    return target


def _load_for_moderator(
    target: targets.TargetType, target_id: int, *, deleted_ok: bool = False
) -> Any:
    """The reported or hidden thing; None (with deleted_ok) when it was deleted after someone
    reported it: the reports stay, with what they captured, until a moderator closes them."""
    reported = db.session.scalar(
        select(Report.id)
        .where(Report.target_type == target.name, Report.target_id == target_id)
        .limit(1)
    )
    # Private things (messages) are opened only when someone reported them, and then only as
    # the report captured them: a moderator cannot browse a conversation.
    if target.private and reported is None:
        abort(404)
    obj = target.load(target_id)
    if obj is None and not (deleted_ok and reported is not None):
        abort(404)
    return obj


def _target_page(
    target: targets.TargetType, target_id: int, obj: Any, status: int = 200, **forms: Any
) -> ResponseReturnValue:
    reports = queries.reports_on(target.name, target_id)
    if obj is None:  # deleted since it was reported: the reports speak for it
        first = next((r for r in reports if r.snapshot), None)
        title = first.snapshot.split("\n", 1)[0] if first and not target.private else ""
        owner = reports[0].subject if reports else None
    else:
        title = target.title(obj) if not target.private else ""
        owner = target.owner(obj)
    page = render_template(
        "moderation/target.html",
        target=target,
        target_id=target_id,
        obj=obj,
        deleted=obj is None,
        title=title,
        owner=owner,
        may_act=_may_act(obj, owner),
        hidden=obj is not None and targets.is_hidden(obj),
        public_url=target.public_url(obj) if obj is not None and not target.private else None,
        reports=reports,
        has_open=any(r.status == ReportStatus.OPEN for r in reports),
        hide_form=forms.get("hide_form") or ReasonForm(formdata=None, prefix="hide"),
        restore_form=forms.get("restore_form") or ReasonForm(formdata=None, prefix="restore"),
        resolve_form=forms.get("resolve_form") or ResolveForm(formdata=None, prefix="resolve"),
        dismiss_form=forms.get("dismiss_form")
        or OptionalReasonForm(formdata=None, prefix="dismiss"),
    )
    return page, status


@bp.get("/targets/<target_type>/<int:target_id>")
@moderators_only
def target(target_type: str, target_id: int) -> ResponseReturnValue:
    kind = _target_or_404(target_type)
    return _target_page(kind, target_id, _load_for_moderator(kind, target_id, deleted_ok=True))


def _act_on_target(
    target_type: str,
    target_id: int,
    form: Any,
    form_name: str,
    act: Any,
    done: str,
    *,
    deleted_ok: bool = False,
) -> ResponseReturnValue:
    kind = _target_or_404(target_type)
    obj = _load_for_moderator(kind, target_id, deleted_ok=deleted_ok)
    owner = kind.owner(obj) if obj is not None else _reported_subject(kind, target_id)
    require(_may_act(obj, owner))
    if not form.validate_on_submit():
        return _target_page(kind, target_id, obj, 422, **{form_name: form})
    try:
        act(kind, obj, owner, form)
    except actions.ModerationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("moderation.target", target_type=target_type, target_id=target_id))
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("moderation.target", target_type=target_type, target_id=target_id))


def _may_act(obj: Any, owner: User | None) -> bool:
    # Reports on a deleted account's deleted things can still be closed; nothing else applies.
    if obj is None and owner is not None and owner.status == UserStatus.DELETED:
        return True
    return owner is None or can_act_on(current_user, owner)


def _reported_subject(kind: targets.TargetType, target_id: int) -> User | None:
    """Whom the reports on a deleted thing were about (it may be a former member)."""
    subject_id = db.session.scalar(
        select(Report.subject_id)
        .where(Report.target_type == kind.name, Report.target_id == target_id)
        .limit(1)
    )
    return db.session.get(User, subject_id) if subject_id is not None else None


@bp.post("/targets/<target_type>/<int:target_id>/hide")
@moderators_only
def hide(target_type: str, target_id: int) -> ResponseReturnValue:
    return _act_on_target(
        target_type,
        target_id,
        ReasonForm(prefix="hide"),
        "hide_form",
        lambda k, o, _owner, f: actions.hide_content(
            target=k, obj=o, actor=current_user, reason=f.reason.data
        ),
        _("Hidden from the public. The owner was told."),
    )


@bp.post("/targets/<target_type>/<int:target_id>/restore")
@moderators_only
def restore(target_type: str, target_id: int) -> ResponseReturnValue:
    return _act_on_target(
        target_type,
        target_id,
        ReasonForm(prefix="restore"),
        "restore_form",
        lambda k, o, _owner, f: actions.restore_content(
            target=k, obj=o, actor=current_user, reason=f.reason.data
        ),
        _("Visible to the public again. The owner was told."),
    )


def _resolve(
    kind: targets.TargetType, target_id: int, obj: Any, owner: User | None, form: ResolveForm
) -> None:
    reason = form.reason.data or ""
    if form.outcome.data == "hide" and obj is not None and not targets.is_hidden(obj):
        actions.hide_content(target=kind, obj=obj, actor=current_user, reason=reason)
    elif form.outcome.data == "warn" and owner is not None and owner.status != UserStatus.DELETED:
        actions.warn(person=owner, actor=current_user, reason=reason)
    actions.resolve_reports(
        target_type=kind.name, target_id=target_id, actor=current_user, reason=reason
    )


@bp.post("/targets/<target_type>/<int:target_id>/resolve")
@moderators_only
def resolve(target_type: str, target_id: int) -> ResponseReturnValue:
    return _act_on_target(
        target_type,
        target_id,
        ResolveForm(prefix="resolve"),
        "resolve_form",
        lambda k, o, owner, f: _resolve(k, target_id, o, owner, f),
        _("Reports resolved. Each reporter was told."),
        deleted_ok=True,
    )


@bp.post("/targets/<target_type>/<int:target_id>/dismiss")
@moderators_only
def dismiss(target_type: str, target_id: int) -> ResponseReturnValue:
    return _act_on_target(
        target_type,
        target_id,
        OptionalReasonForm(prefix="dismiss"),
        "dismiss_form",
        lambda k, _obj, _owner, f: actions.dismiss_reports(
            target_type=k.name, target_id=target_id, actor=current_user, reason=f.reason.data or ""
        ),
        _("Reports dismissed. Each reporter was told."),
        deleted_ok=True,
    )


# --- The log and appeals --------------------------------------------------------------------


@bp.get("/log")
@moderators_only
def log() -> ResponseReturnValue:
    moderator = request.args.get("moderator", "")[:40]
    person = request.args.get("person", "")[:40]
    kind = request.args.get("kind", "")
    if kind not in {str(k) for k in ActionKind}:
        kind = ""
    page = queries.log_page(
        moderator=moderator, person=person, kind=kind, number=page_number(request.args)
    )
    return render_template(
        "moderation/log.html",
        page=page,
        filters={"moderator": moderator, "person": person, "kind": kind},
        kinds=list(ActionKind),
    )


@bp.get("/appeals")
@moderators_only
def appeals() -> ResponseReturnValue:
    show_all = request.args.get("show") == "all"
    page = queries.appeals_page(
        status=None if show_all else AppealStatus.OPEN, number=page_number(request.args)
    )
    return render_template("moderation/appeals.html", page=page, show_all=show_all)


def _appeal_or_404(appeal_id: int) -> Appeal:
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None:
        abort(404)
    return appeal


@bp.route("/appeals/<int:appeal_id>", methods=["GET", "POST"])
@moderators_only
def appeal(appeal_id: int) -> ResponseReturnValue:
    item = _appeal_or_404(appeal_id)
    may_decide = can_decide_appeal(current_user, item)
    form = DecideAppealForm()
    if form.validate_on_submit():
        require(may_decide)
        try:
            actions.decide_appeal(
                appeal=item,
                actor=current_user,
                overturn=form.outcome.data == "overturn",
                reason=form.reason.data or "",
            )
        except actions.ModerationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for("moderation.appeal", appeal_id=appeal_id))
        db.session.commit()
        flash(_("The appeal is decided. The person was told."), "success")
        return redirect(url_for("moderation.appeals"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "moderation/appeal.html", appeal=item, form=form, may_decide=may_decide
    ), status


# --- Reporting (any logged-in person) -------------------------------------------------------


@report_bp.route("/<target_type>/<int:target_id>", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"])
def report(target_type: str, target_id: int) -> ResponseReturnValue:
    kind = _target_or_404(target_type)
    obj = kind.load(target_id)
    # Hidden things and private things are not reportable from a guessed URL: the person must
    # be able to see them (the domain's own page links here).
    if obj is None or kind.private or not kind.public(obj):
        abort(404)
    if targets.is_hidden(obj) and not current_user.is_moderator:
        abort(404)
    owner = kind.owner(obj)
    require(can_report(current_user, owner))
    form = ReportForm()
    back = safe_next(kind.public_url(obj) or url_for("main.home"), request.args.get("next") or "")
    if form.validate_on_submit():
        try:
            file_report(
                reporter=current_user,
                target_type=kind.name,
                target_id=obj.id,
                subject=owner,
                reason=ReportReason(form.reason.data),
                details=form.details.data or "",
                snapshot=kind.snapshot(obj),
            )
        except DuplicateReport:
            db.session.rollback()
            flash(
                _("You already reported this. The moderators will look at it; thank you."),
                "info",
            )
            return redirect(back)
        db.session.commit()
        flash(
            _("Thank you. The moderators will look at it and tell you when it is handled."),
            "success",
        )
        return redirect(back)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "moderation/report.html",
        form=form,
        kind=kind,
        title=kind.title(obj) if not kind.private else "",
        back=back,
    ), status

"""The organiser's decision emails: their texts per decision and language (edit, preview,
reset), and the jury's feedback chosen for an applicant. Rules in app/calls/decision_templates."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.calls import decision_templates as templates
from app.calls import queries, services
from app.calls.decision_forms import DecisionTemplateForm
from app.calls.eligibility import eligibility
from app.calls.loading import managed_call_or_404 as _managed_call_or_404
from app.calls.models import CallCategory, Decision, OpenCall, Submission
from app.extensions import db
from app.forms import ConfirmForm
from app.i18n import language_choices
from app.permissions import deny, require

bp = Blueprint("call_decisions", __name__)


@bp.app_context_processor
def decision_helpers() -> dict[str, Any]:
    return {
        "feedback_panel": feedback_panel,
        "applicant_feedback": templates.visible_feedback,
        "category_age_ok": category_age_ok,
    }


def feedback_panel(submission: Submission) -> dict[str, Any]:
    """What the organiser's feedback box shows for one application."""
    reviews = templates.feedback_choices(submission)
    shared = templates.shared_feedback(submission)
    return {
        "reviews": reviews,
        "shared": shared,
        "chosen": {s.review_id for s in shared},
        "changed": templates.changed_since_chosen(shared, reviews),
        "confirm": ConfirmForm(),
    }


def category_age_ok(call: OpenCall, category: CallCategory) -> bool:
    """Whether the viewer is young enough on this category's own deadline day."""
    if call.max_age is None or not current_user.is_authenticated:
        return True
    return eligibility(call, services.profile_of(current_user), category).ok


def _decision_or_404(value: str) -> Decision:
    decision = next((d for d in templates.EMAILED if d.value == value), None)
    require(decision is not None, status=404)
    assert decision is not None
    return decision


def _language_or_404(value: str) -> str:
    require(value in templates.languages(), status=404)
    return value


@bp.get("/calls/<slug>/decisions/templates")
@login_required
def template_list(slug: str) -> ResponseReturnValue:
    """Each decision's email in each language: the organiser's text or the default one."""
    call = _managed_call_or_404(slug)
    return render_template(
        "calls/decisions/templates.html",
        call=call,
        written=templates.templates_of(call),
        decisions=templates.EMAILED,
        languages=templates.languages(),
        language_names=_language_names(),
    )


def _language_names() -> dict[str, str]:
    return dict(language_choices())


@bp.route("/calls/<slug>/decisions/templates/<decision>/<lang>", methods=["GET", "POST"])
@login_required
def edit_template(slug: str, decision: str, lang: str) -> ResponseReturnValue:
    """Write, preview (for a real applicant, nothing sent) and save one email's text."""
    call = _managed_call_or_404(slug)
    chosen = _decision_or_404(decision)
    lang = _language_or_404(lang)
    saved = templates.template_for(call, chosen, lang)
    default_subject, default_body = templates.default_texts(chosen, lang)
    form = DecisionTemplateForm()
    if request.method == "GET":
        form.subject.data = saved.subject if saved else default_subject
        form.body.data = saved.body if saved else default_body
    preview = None
    status = 200
    if form.is_submitted():
        subject, body = form.subject.data or "", form.body.data or ""
        if not form.validate():
            status = 422
        else:
            try:
                if request.form.get("action") == "preview":
                    templates.check(subject.strip(), body.replace("\r\n", "\n").strip())
                    preview = templates.preview(
                        call, decision=chosen, locale=lang, subject=subject, body=body
                    )
                else:
                    templates.save_template(
                        call,
                        actor=current_user,
                        decision=chosen,
                        locale=lang,
                        subject=subject,
                        body=body,
                    )
                    db.session.commit()
                    flash(_("The email text was saved."), "success")
                    return redirect(
                        url_for(
                            "call_decisions.edit_template", slug=slug, decision=decision, lang=lang
                        )
                    )
            except templates.TemplateError as exc:
                db.session.rollback()
                getattr(form, exc.field).errors = list(exc.reasons)
                status = 422
    return render_template(
        "calls/decisions/edit.html",
        call=call,
        form=form,
        decision=chosen,
        lang=lang,
        language_name=_language_names().get(lang, lang),
        saved=saved,
        preview=preview,
        confirm=ConfirmForm(),
    ), status


@bp.post("/calls/<slug>/decisions/templates/<decision>/<lang>/reset")
@login_required
def reset_template(slug: str, decision: str, lang: str) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    chosen = _decision_or_404(decision)
    lang = _language_or_404(lang)
    require(ConfirmForm().validate_on_submit(), status=400)
    if templates.reset_template(call, actor=current_user, decision=chosen, locale=lang):
        db.session.commit()
        flash(_("Back to the default text."), "success")
    else:
        flash(_("This email already uses the default text."), "info")
    return redirect(
        url_for("call_decisions.edit_template", slug=slug, decision=decision, lang=lang)
    )


@bp.post("/calls/<slug>/submissions/<int:submission_id>/feedback")
@login_required
def share_feedback(slug: str, submission_id: int) -> ResponseReturnValue:
    """The jurors' comments that go to the applicant with the decision (none ticked: none)."""
    call = _managed_call_or_404(slug)
    submission = queries.load_submission(call, submission_id, juror=None)
    require(submission is not None, status=404)
    assert submission is not None
    require(ConfirmForm().validate_on_submit(), status=400)
    raw = request.form.getlist("review")
    require(all(v.isdigit() and len(v) < 12 for v in raw), status=400)
    page = url_for("calls.submission", slug=slug, submission_id=submission.id)
    try:
        count = templates.share_feedback(
            submission, actor=current_user, review_ids=[int(v) for v in raw]
        )
    except templates.NotThisSubmission:
        db.session.rollback()
        deny(404)
    except templates.FeedbackError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(page + "#feedback-title")
    db.session.commit()
    if count:
        flash(
            ngettext(
                "%(num)d juror comment goes to the applicant with the decision, unsigned.",
                "%(num)d juror comments go to the applicant with the decision, unsigned.",
                count,
            ),
            "success",
        )
    else:
        flash(_("No juror comment goes to the applicant."), "success")
    return redirect(page + "#feedback-title")

"""Open calls: the public list and page, feeds, the organiser's tools, applying and reviewing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_date, format_time, ngettext
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin, current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import AccountType, User
from app.accounts.services import find_by_email
from app.calls import (
    access,
    feeds,
    list_form,
    policies,
    queries,
    round_export,
    round_queries,
    round_views,
    services,
)
from app.calls.cards import call_card, closes_in
from app.calls.forms import (
    DECISION_LABELS,
    KIND_LABELS,
    QUESTION_LABELS,
    ApplicationForm,
    CallForm,
    CategoryForm,
    DecisionForm,
    JurorForm,
    QuestionForm,
    RevokeApprovalForm,
)
from app.calls.loading import call_or_404 as _call_or_404
from app.calls.loading import managed_call_or_404 as _managed_call_or_404
from app.calls.models import (
    AccessMode,
    CallCategory,
    CallKind,
    CallQuestion,
    CallStatus,
    Decision,
    Juror,
    OpenCall,
    QuestionKind,
    Submission,
    SubmissionStatus,
)
from app.calls.page_facts import call_page_facts
from app.commits import commit_keeping_loaded
from app.db_types import utcnow
from app.extensions import db, limiter
from app.forms import ConfirmForm, choices
from app.i18n import default_timezone
from app.markdown import render_markdown
from app.media.messages import reason_message
from app.media.pipeline import MAX_BYTES as MAX_UPLOAD_BYTES
from app.media.pipeline import ImageRejected
from app.media.views import register_resolver
from app.pagination import page_number, paginate
from app.permissions import deny, moderators_only, require
from app.portfolios.queries import covers_for
from app.profiles.queries import discipline_choices, known_disciplines
from app.urls import public_url

bp = Blueprint("calls", __name__)


@bp.app_context_processor
def calls_helpers() -> dict[str, Any]:
    return {
        **policies.POLICIES,
        "CallStatus": CallStatus,
        "SubmissionStatus": SubmissionStatus,
        "Decision": Decision,
        "kind_label": lambda k: KIND_LABELS.get(CallKind(k), k),
        "decision_label": lambda d: DECISION_LABELS.get(Decision(d), d),
        "question_label": lambda k: QUESTION_LABELS.get(QuestionKind(k), k),
        "closes_in": closes_in,
        "call_card": call_card,
        "render_markdown": render_markdown,
    }


# ---------- Loading ----------


def _jury_view(slug: str) -> tuple[OpenCall, set[int]]:
    call = queries.load_call(slug)
    require(call is not None, status=404)
    assert call is not None
    jurors = queries.juror_ids(call)
    require(policies.can_see_submissions(current_user, call, jurors), status=404)
    return call, jurors


def refusal_message(call: OpenCall, refusal: policies.ApplyRefusal) -> str:
    """Why this person cannot apply, in words, dates in the viewer's zone."""
    Refusal = policies.ApplyRefusal
    if refusal == Refusal.NOT_YET_OPEN and call.opens_at is not None:
        return _(
            "Applications open on %(date)s at %(time)s.",
            date=format_date(call.opens_at, "long"),
            time=format_time(call.opens_at, "short"),
        )
    if refusal == Refusal.CLOSED and call.is_public:
        closed = min(call.closed_at or call.deadline_at, call.deadline_at)
        return _(
            "Applications closed on %(date)s at %(time)s.",
            date=format_date(closed, "long"),
            time=format_time(closed, "short"),
        )
    messages = {
        Refusal.LOG_IN: _("Log in to apply."),
        Refusal.NOT_DESIGNER: _("Only designers apply to calls; organisers publish them."),
        Refusal.UNVERIFIED: _("Confirm your email address to apply: open the link we sent you."),
        Refusal.PENDING: _("You can apply once a moderator has approved your profile."),
        Refusal.NOT_MEMBER: _("Only approved members can apply to calls."),
        Refusal.JUROR: _("You are on this call’s jury, so you cannot apply to it."),
    }
    return messages.get(refusal, _("This call does not take applications."))


# ---------- Public ----------


def _flag(name: str) -> bool:
    return request.args.get(name) in ("1", "on", "true")


@bp.get("/calls")
def index() -> ResponseReturnValue:
    filters = queries.CallFilters(
        kind=request.args.get("kind", ""),
        discipline=request.args.get("discipline", ""),
        open_now=_flag("open"),
        closing_soon=_flag("soon"),
        eligible=_flag("eligible") and current_user.is_authenticated,
        no_fee=_flag("free"),
    )
    profile = services.profile_of(current_user) if filters.eligible else None
    page = queries.list_calls(
        filters, page=request.args.get("page", 1, type=int), viewer_profile=profile
    )
    locale = str(g.get("locale", current_app.config["BABEL_DEFAULT_LOCALE"]))
    return render_template(
        "calls/index.html",
        page=page,
        filters=filters,
        kind_options=list_form.kind_options(KIND_LABELS, filters.kind),
        discipline_options=list_form.discipline_options(
            known_disciplines(), locale, filters.discipline
        ),
        now=utcnow(),
    )


@bp.get("/calls/<slug>")
def detail(slug: str) -> ResponseReturnValue:
    call = _call_or_404(slug)
    submission = None
    verdict = None
    designer = current_user.is_authenticated and current_user.is_designer
    facts = call_page_facts(
        call, current_user.id if current_user.is_authenticated else None, designer=designer
    )
    if designer:
        submission = facts.submission
        verdict = services.eligibility(call, facts.profile)
    jurors = facts.jurors
    refusal = access.apply_refusal(
        current_user, call, jurors, has_application=submission is not None
    )
    # An invite-only call's "Apply" leads to the code; a nominated one's, to nominees only.
    # Someone who already applied keeps their application (no need to ask again).
    blocked = (
        access.mode_refusal(call, current_user)
        if refusal is None and call.access_mode != AccessMode.OPEN and submission is None
        else None
    )
    # Told to those who might have expected an "Apply" button; not to the call's own organiser.
    why_not = (
        refusal_message(call, refusal)
        if refusal not in (None, policies.ApplyRefusal.LOG_IN)
        and submission is None
        and not policies.can_manage_call(current_user, call)
        else None
    )
    return render_template(
        "calls/detail.html",
        call=call,
        has_results=facts.has_results,
        may_apply=refusal is None and blocked is None,
        why_not=why_not,
        access_blocked=blocked,
        is_juror=policies.is_juror(current_user, jurors),
        submission=submission,
        verdict=verdict,
        organisation=facts.organisation,
        now=utcnow(),
    )


# The public feed's entries: the newest calls, as many whatever the number published (readers
# poll it; older calls are on /calls).
FEED_ENTRIES = 20


@bp.get("/calls/feed.atom")
def feed() -> ResponseReturnValue:
    """The newest published calls; `?kind=` and `?discipline=` (a slug) narrow it."""
    kind = request.args.get("kind", "")
    discipline = request.args.get("discipline", "")
    calls = queries.feed_calls(FEED_ENTRIES, kind=kind, discipline=discipline)
    args = {k: v for k, v in (("kind", kind), ("discipline", discipline)) if v}
    body = feeds.atom_feed(
        feed_id=f"tag:{feeds.tag_domain()},2019:calls"
        + "".join(f":{k}={v}" for k, v in sorted(args.items())),
        title=_("Open calls — %(name)s", name=current_app.config["NETWORK_NAME"]),
        self_url=public_url("calls.feed", **args),
        calls=calls,
        with_results=queries.calls_with_results([c.id for c in calls]),
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/calls/deadlines.ics")
def deadlines() -> ResponseReturnValue:
    body = feeds.deadline_calendar(
        name=_("Open call deadlines"), calls=queries.feed_calls(limit=500, categories=True)
    )
    return Response(body, mimetype="text/calendar")


@bp.get("/organisers/<handle>")
def organiser(handle: str) -> ResponseReturnValue:
    """The organisation's public page: who they are, their open calls, their past calls."""
    person = db.session.scalar(
        select(User)
        .where(User.handle == handle, User.account_type == AccountType.ORGANISER)
        .options(selectinload(User.organiser_profile))
    )
    require(person is not None, status=404)
    assert person is not None
    require(policies.can_view_organiser(current_user, person), status=404)
    is_self = policies.is_own_page(current_user, person)
    number = page_number(request.args)
    past = paginate(
        queries.organiser_past_calls(person, include_archived=is_self),
        number=number,
        per_page=queries.ORGANISER_PAST_PER_PAGE,
    )
    open_calls = queries.organiser_open_calls(person, include_drafts=is_self) if number == 1 else []
    return render_template(
        "calls/organiser.html",
        person=person,
        profile=person.organiser_profile,
        open_calls=open_calls,
        past=past,
        is_self=is_self,
        now=utcnow(),
    )


# ---------- Organisers: the call ----------


def _call_data(form: CallForm) -> services.CallData:
    assert form.deadline_date.data is not None
    assert form.deadline_time.data is not None
    tz = form.timezone.data or default_timezone()
    opens_at = None
    if form.opens_on.data:
        opens_at = services.local_to_utc(form.opens_on.data, time(0, 0), tz)
    return services.CallData(
        kind=CallKind(form.kind.data),
        title=form.title.data or "",
        summary=form.summary.data or "",
        description=form.description.data or "",
        timezone=tz,
        deadline_at=services.local_to_utc(form.deadline_date.data, form.deadline_time.data, tz),
        opens_at=opens_at,
        no_entry_fee=form.fee.data != "fee",
        entry_fee=form.entry_fee.data or "",
        prizes=form.prizes.data or "",
        max_projects=form.max_projects.data or 1,
        max_age=form.max_age.data,
        allowed_countries=list(form.allowed_countries.data or []),
        blind_review=bool(form.blind_review.data),
        access_mode=AccessMode(form.access_mode.data or "open"),
        discipline_ids=list(form.disciplines.data or []),
    )


def _save_banner(call: OpenCall, form: CallForm) -> None:
    upload = form.banner.data
    data = None
    if upload and getattr(upload, "filename", ""):
        # One byte more than the pipeline accepts: enough to refuse, never the whole file.
        data = upload.read(MAX_UPLOAD_BYTES + 1)
    services.set_banner(
        call,
        actor=current_user,
        data=data,
        alt=form.banner_alt.data or "",
        remove=bool(form.remove_banner.data),
    )


@bp.route("/calls/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    require(policies.can_draft_call(current_user))
    form = CallForm(disciplines=discipline_choices())
    if form.validate_on_submit():
        try:
            call = services.create_call(owner=current_user, data=_call_data(form))
            _save_banner(call, form)
        except services.CallError as exc:
            db.session.rollback()
            form.entry_fee.errors = [*form.entry_fee.errors, str(exc)]
        except ImageRejected as exc:
            db.session.rollback()
            form.banner.errors = [reason_message(form.banner.data.filename, exc.reason)]
        else:
            db.session.commit()
            flash(
                _("Your call is saved as a draft. Add questions and jurors, then publish it."),
                "success",
            )
            return redirect(url_for("calls.manage", slug=call.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("calls/form.html", form=form, call=None), status


@bp.route("/calls/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    form = CallForm(
        disciplines=discipline_choices(), obj=None if request.method == "POST" else call
    )
    if request.method == "GET":
        local = services.utc_to_local(call.deadline_at, call.timezone)
        form.deadline_date.data = local.date()
        form.deadline_time.data = local.time().replace(second=0, microsecond=0)
        form.opens_on.data = (
            services.utc_to_local(call.opens_at, call.timezone).date() if call.opens_at else None
        )
        form.fee.data = "none" if call.no_entry_fee else "fee"
        form.allowed_countries.data = list(call.allowed_countries or [])
        form.disciplines.data = [d.id for d in call.disciplines]
        form.kind.data = call.kind.value
    if form.validate_on_submit():
        try:
            services.update_call(call, actor=current_user, data=_call_data(form))
            _save_banner(call, form)
        except services.CallError as exc:
            db.session.rollback()
            form.deadline_date.errors = [*form.deadline_date.errors, str(exc)]
        except ImageRejected as exc:
            db.session.rollback()
            form.banner.errors = [reason_message(form.banner.data.filename, exc.reason)]
        else:
            db.session.commit()
            flash(_("The call was saved."), "success")
            return redirect(url_for("calls.manage", slug=call.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("calls/form.html", form=form, call=call), status


@bp.get("/calls/<slug>/manage")
@login_required
def manage(slug: str) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    return _manage_page(call)


def _manage_page(
    call: OpenCall,
    question_form: QuestionForm | None = None,
    juror_form: JurorForm | None = None,
    status: int = 200,
    category_form: CategoryForm | None = None,
    category_edit: tuple[int, CategoryForm] | None = None,
) -> ResponseReturnValue:
    # Each category's edit form, filled from the row; a refused edit comes back as typed.
    edit_forms = {c.id: _category_form(c) for c in call.categories}
    if category_edit is not None:
        edit_forms[category_edit[0]] = category_edit[1]
    return render_template(
        "calls/manage.html",
        call=call,
        question_form=question_form or QuestionForm(formdata=None),
        juror_form=juror_form or JurorForm(formdata=None),
        category_form=category_form or CategoryForm(formdata=None),
        category_edit_forms=edit_forms,
        category_edit_open=category_edit[0] if category_edit else None,
        confirm=ConfirmForm(),
        jurors=queries.jurors_of(call),
        submitted=queries.submitted_count(call),
        locked=services.has_submissions(call),
        now=utcnow(),
    ), status


def _transition(slug: str, action: Any, done: str) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _manage_page(call, status=422)
    try:
        action(call, actor=current_user)
    except services.CallError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("calls.manage", slug=call.slug))
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("calls.manage", slug=call.slug))


@bp.post("/calls/<slug>/publish")
@login_required
def publish(slug: str) -> ResponseReturnValue:
    return _transition(slug, services.publish_call, _("The call is published."))


@bp.post("/calls/<slug>/close")
@login_required
def close(slug: str) -> ResponseReturnValue:
    return _transition(slug, services.close_call, _("The call is closed."))


@bp.post("/calls/<slug>/archive")
@login_required
def archive(slug: str) -> ResponseReturnValue:
    return _transition(slug, services.archive_call, _("The call is archived."))


@bp.post("/calls/<slug>/questions")
@login_required
def add_question(slug: str) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            services.add_question(
                call,
                actor=current_user,
                label=form.label.data or "",
                kind=QuestionKind(form.kind.data),
                required=bool(form.required.data),
                options=(form.options.data or "").splitlines(),
            )
        except services.CallError as exc:
            form.options.errors = [*form.options.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("The question was added."), "success")
            return redirect(url_for("calls.manage", slug=call.slug) + "#questions")
    return _manage_page(call, question_form=form, status=422)


@bp.post("/calls/<slug>/questions/<int:question_id>/delete")
@login_required
def remove_question(slug: str, question_id: int) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    question = _part_of_call_or_404(call, CallQuestion, question_id)
    require(ConfirmForm().validate_on_submit(), status=400)
    try:
        services.remove_question(question, actor=current_user)
    except services.CallError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The question was removed."), "success")
    return redirect(url_for("calls.manage", slug=call.slug) + "#questions")


def _category_data(form: CategoryForm, call: OpenCall) -> services.CategoryData:
    deadline = None
    if form.deadline_date.data is not None:
        deadline = services.local_to_utc(
            form.deadline_date.data, form.deadline_time.data or time(23, 59), call.timezone
        )
    return services.CategoryData(
        name=form.name.data or "",
        description=form.description.data or "",
        deadline_at=deadline,
        max_projects=form.max_projects.data,
    )


def _category_form(category: CallCategory) -> CategoryForm:
    """The edit form of one category, filled with what it holds (its deadline in the call's
    zone); a prefix of its own keeps the ids of the page's forms apart."""
    form = CategoryForm(formdata=None, prefix=f"category-{category.id}", obj=category)
    if category.deadline_at is not None:
        local = services.utc_to_local(category.deadline_at, category.call.timezone)
        form.deadline_date.data, form.deadline_time.data = local.date(), local.time()
    return form


@bp.post("/calls/<slug>/categories")
@login_required
def add_category(slug: str) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            services.add_category(call, actor=current_user, data=_category_data(form, call))
        except services.CallError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("The category was added."), "success")
            return redirect(url_for("calls.manage", slug=call.slug) + "#categories")
    return _manage_page(call, category_form=form, status=422)


@bp.post("/calls/<slug>/categories/<int:category_id>")
@login_required
def edit_category(slug: str, category_id: int) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    category = _part_of_call_or_404(call, CallCategory, category_id)
    form = CategoryForm(prefix=f"category-{category.id}")
    if form.validate_on_submit():
        try:
            services.update_category(category, actor=current_user, data=_category_data(form, call))
        except services.CallError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("The category was saved."), "success")
            return redirect(url_for("calls.manage", slug=call.slug) + f"#category-{category.id}")
    return _manage_page(call, category_edit=(category.id, form), status=422)


@bp.post("/calls/<slug>/categories/<int:category_id>/delete")
@login_required
def remove_category(slug: str, category_id: int) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    category = _part_of_call_or_404(call, CallCategory, category_id)
    require(ConfirmForm().validate_on_submit(), status=400)
    try:
        services.remove_category(category, actor=current_user)
    except services.CallError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The category was removed."), "success")
    return redirect(url_for("calls.manage", slug=call.slug) + "#categories")


@bp.post("/calls/<slug>/categories/<int:category_id>/jury")
@login_required
def category_jury(slug: str, category_id: int) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    category = _part_of_call_or_404(call, CallCategory, category_id)
    require(ConfirmForm().validate_on_submit(), status=400)
    wanted = [int(v) for v in request.form.getlist("jurors") if v.isdigit() and len(v) < 12]
    try:
        services.set_category_jury(category, actor=current_user, juror_ids=wanted)
    except services.CallError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The category's jury was saved."), "success")
    return redirect(url_for("calls.manage", slug=call.slug) + "#categories")


@bp.post("/calls/<slug>/jurors")
@login_required
@limiter.limit("60 per hour", key_func=lambda: f"jury-invite:{current_user.id}")
def invite_juror(slug: str) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    form = JurorForm()
    if form.validate_on_submit():
        try:
            juror = services.invite_juror(call, actor=current_user, invitee=form.invitee.data or "")
        except services.CallError as exc:
            db.session.rollback()
            form.invitee.errors = [*form.invitee.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("%(name)s is invited to the jury.", name=juror.invitee), "success")
            return redirect(url_for("calls.manage", slug=call.slug) + "#jury")
    return _manage_page(call, juror_form=form, status=422)


Part = TypeVar("Part", CallQuestion, CallCategory, Juror)


def _part_of_call_or_404(call: OpenCall, model: type[Part], part_id: int) -> Part:
    """A question, category or jury seat of this call; another call's (or none): 404."""
    part = db.session.get(model, part_id)
    require(part is not None and part.call_id == call.id, status=404)
    assert part is not None
    return part


@bp.post("/calls/<slug>/jurors/<int:juror_id>/delete")
@login_required
def remove_juror(slug: str, juror_id: int) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    juror = _part_of_call_or_404(call, Juror, juror_id)
    require(ConfirmForm().validate_on_submit(), status=400)
    services.remove_juror(juror, actor=current_user)
    db.session.commit()
    flash(_("The juror was removed from the jury."), "success")
    return redirect(url_for("calls.manage", slug=call.slug) + "#jury")


@bp.post("/calls/<slug>/jurors/<int:juror_id>/revoke")
@login_required
def revoke_invitation(slug: str, juror_id: int) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    juror = _part_of_call_or_404(call, Juror, juror_id)
    require(ConfirmForm().validate_on_submit(), status=400)
    try:
        services.revoke_invitation(juror, actor=current_user)
    except services.CallError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The invitation is withdrawn: its link no longer works."), "success")
    return redirect(url_for("calls.manage", slug=call.slug) + "#jury")


# ---------- Jury invitations: the invited person ----------


def _own_invitation_or_404(invitation_id: int) -> Juror:
    juror = queries.invitation_of(invitation_id, current_user)
    # 404: someone else's invitation is none of this person's business.
    require(juror is not None and policies.can_answer_invitation(current_user, juror), status=404)
    assert juror is not None
    return juror


@bp.get("/jury/invitations/<int:invitation_id>")
@login_required
def invitation(invitation_id: int) -> ResponseReturnValue:
    juror = _own_invitation_or_404(invitation_id)
    return render_template(
        "calls/invitation.html",
        juror=juror,
        call=juror.call,
        organisation=services.organisation_name(juror.call),
        state=juror.state(),
        confirm=ConfirmForm(),
        now=utcnow(),
    )


def _answer(invitation_id: int, *, accept: bool) -> ResponseReturnValue:
    juror = _own_invitation_or_404(invitation_id)
    require(ConfirmForm().validate_on_submit(), status=400)
    try:
        services.answer_invitation(juror, actor=current_user, accept=accept)
    except services.CallError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("calls.invitation", invitation_id=invitation_id))
    db.session.commit()
    if accept:
        flash(_("Welcome to the jury of “%(title)s”.", title=juror.call.title), "success")
        return redirect(url_for("calls.submissions", slug=juror.call.slug))
    flash(_("You declined the invitation. The organiser is told."), "info")
    return redirect(url_for("calls.invitation", invitation_id=invitation_id))


@bp.post("/jury/invitations/<int:invitation_id>/accept")
@login_required
def accept_invitation(invitation_id: int) -> ResponseReturnValue:
    return _answer(invitation_id, accept=True)


@bp.post("/jury/invitations/<int:invitation_id>/decline")
@login_required
def decline_invitation(invitation_id: int) -> ResponseReturnValue:
    return _answer(invitation_id, accept=False)


def _link_problem(message: str) -> ResponseReturnValue:
    return render_template("calls/invitation_problem.html", message=message), 400


@bp.get("/jury/join/<token>")
def join(token: str) -> ResponseReturnValue:
    # Only shows the invitation: accepting and declining are buttons (mail scanners open links).
    try:
        juror = services.read_invitation_link(token)
    except services.CallError as exc:
        return _link_problem(str(exc))
    has_account = current_user.is_authenticated or find_by_email(juror.email or "") is not None
    return render_template(
        "calls/join.html",
        juror=juror,
        call=juror.call,
        organisation=services.organisation_name(juror.call),
        token=token,
        has_account=has_account,
        same_person=current_user.is_authenticated and current_user.email == juror.email,
        confirm=ConfirmForm(),
    )


@bp.post("/jury/join/<token>/accept")
@login_required
def join_accept(token: str) -> ResponseReturnValue:
    require(ConfirmForm().validate_on_submit(), status=400)
    try:
        juror = services.accept_by_link(token, person=current_user)
    except services.CallError as exc:
        db.session.rollback()
        return _link_problem(str(exc))
    db.session.commit()
    flash(_("Welcome to the jury of “%(title)s”.", title=juror.call.title), "success")
    return redirect(url_for("calls.submissions", slug=juror.call.slug))


@bp.post("/jury/join/<token>/decline")
def join_decline(token: str) -> ResponseReturnValue:
    require(ConfirmForm().validate_on_submit(), status=400)
    try:
        services.decline_by_link(token)
    except services.CallError as exc:
        db.session.rollback()
        return _link_problem(str(exc))
    db.session.commit()
    flash(_("You declined the invitation. The organiser is told."), "info")
    return redirect(url_for("main.home"))


# ---------- Jury invitations: moderators ----------


@bp.get("/jury/approvals")
@moderators_only
def jury_approvals() -> ResponseReturnValue:
    return _approvals_page()


def _approvals_page(
    form: RevokeApprovalForm | None = None, failed: int | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "calls/jury_approvals.html",
        page=queries.approvals_by_invitation(page=page_number(request.args)),
        form=form or RevokeApprovalForm(formdata=None),
        failed=failed,
        now=utcnow(),
    ), status


@bp.post("/jury/approvals/<int:invitation_id>/revoke")
@moderators_only
def revoke_jury_approval(invitation_id: int) -> ResponseReturnValue:
    juror = db.session.get(Juror, invitation_id)
    require(juror is not None, status=404)
    assert juror is not None
    require(policies.can_review_jury_approvals(current_user))
    form = RevokeApprovalForm()
    if not form.validate_on_submit():
        return _approvals_page(form, invitation_id, 422)
    try:
        services.revoke_jury_approval(juror, actor=current_user, reason=form.reason.data or "")
    except services.CallError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("calls.jury_approvals"))
    db.session.commit()
    flash(_("The jury seat is revoked. The person and the organiser are told."), "success")
    return redirect(url_for("calls.jury_approvals"))


# ---------- Submissions: organiser and jurors ----------


@bp.get("/calls/<slug>/submissions")
@login_required
def submissions(slug: str) -> ResponseReturnValue:
    return round_views.table_view(slug=slug)  # authorises: the owner or a juror of the call


def _submissions_page(
    call: OpenCall, *, bulk_error: str = "", selected: Sequence[int] = (), status: int = 200
) -> ResponseReturnValue:
    return round_views.table_view(
        slug=call.slug, bulk_error=bulk_error, selected=selected, status=status
    )


@bp.post("/calls/<slug>/submissions/decide")
@login_required
def bulk_decide(slug: str) -> ResponseReturnValue:
    """One decision for the applications ticked in the table: all of them, or none."""
    call = _managed_call_or_404(slug)
    require(ConfirmForm().validate_on_submit(), status=400)
    raw = request.form.getlist("selected")
    require(all(v.isdigit() and len(v) < 12 for v in raw), status=400)
    ids = [int(v) for v in raw]
    value = request.form.get("decision", "")
    try:
        if value not in {d.value for d in services.BULK_DECISIONS}:
            raise services.CallError(_("Choose accept, decline or shortlist."))
        outcome = services.decide_many(call, ids, actor=current_user, decision=Decision(value))
    except services.NotOfThisCall:
        db.session.rollback()
        deny(404)
    except services.CallError as exc:
        db.session.rollback()
        return _submissions_page(call, bulk_error=str(exc), selected=ids, status=422)
    db.session.commit()
    label = DECISION_LABELS[Decision(value)]
    message = ngettext(
        "%(num)d application is now “%(decision)s”.",
        "%(num)d applications are now “%(decision)s”.",
        outcome.changed,
        decision=label,
    )
    if outcome.unchanged:
        message += " " + ngettext(
            "%(num)d already was.", "%(num)d already were.", outcome.unchanged
        )
    flash(message + " " + _("Applicants hear of it when you notify them."), "success")
    return redirect(url_for("calls.submissions", slug=slug))


@bp.get("/calls/<slug>/decisions/preview")
@login_required
def decision_preview(slug: str) -> ResponseReturnValue:
    """The decision emails as the applicants will read them; nothing is sent."""
    call = _managed_call_or_404(slug)
    return render_template(
        "calls/decision_preview.html",
        call=call,
        previews=services.preview_decision_emails(call),
    )


@bp.get("/calls/<slug>/submissions.csv")
@login_required
def export(slug: str) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    body = round_export.export_csv(call, round_queries.export_data(call))
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{call.slug}-submissions.csv"'},
    )


def _submission_page(
    call: OpenCall,
    submission: Submission,
    decision_form: DecisionForm | None = None,
    status: int = 200,
    review_error: str = "",
    typed: Any = None,
) -> ResponseReturnValue:
    owner = policies.can_manage_call(current_user, call)
    if decision_form is None:
        decision_form = DecisionForm(formdata=None)
        decision_form.decision.data = submission.decision.value
        decision_form.message.data = submission.decision_message
    answers = {a.question_id: a.value for a in submission.answers}
    return render_template(
        "calls/submission.html",
        call=call,
        submission=submission,
        owner=owner,
        sees_applicant=policies.sees_applicant(current_user, call),
        answers=answers,
        decision_form=decision_form,
        confirm=ConfirmForm(),
        decided=services.is_decided(submission),
        review_error=review_error,
        **round_views.review_context(call, submission, owner=owner, typed=typed),
    ), status


def _submission_or_404(call: OpenCall, submission_id: int) -> Submission:
    # A juror of a category with a jury of its own that they are not on gets a 404.
    owner = policies.can_manage_call(current_user, call)
    submission = queries.load_submission(
        call,
        submission_id,
        juror=None if owner else current_user,
        also=None if owner else round_views.visible_to_juror(call, current_user),
    )
    require(submission is not None, status=404)
    assert submission is not None
    return submission


@bp.get("/calls/<slug>/submissions/<int:submission_id>")
@login_required
def submission(slug: str, submission_id: int) -> ResponseReturnValue:
    call, _jurors = _jury_view(slug)  # authorises: the owner or one of the call's jurors
    return _submission_page(call, _submission_or_404(call, submission_id))


@bp.post("/calls/<slug>/submissions/<int:submission_id>/review")
@login_required
def review(slug: str, submission_id: int) -> ResponseReturnValue:
    call, jurors = _jury_view(slug)
    submission = _submission_or_404(call, submission_id)
    require(policies.can_review(current_user, submission, jurors))
    require(ConfirmForm().validate_on_submit(), status=400)
    error = round_views.save_review(call, submission, request.form)
    if error is None:
        db.session.commit()
        flash(_("Your review was saved."), "success")
        return redirect(
            url_for(
                "calls.submission",
                slug=slug,
                submission_id=submission.id,
                round=request.form.get("round", ""),
            )
        )
    return _submission_page(call, submission, review_error=error, typed=request.form, status=422)


@bp.post("/calls/<slug>/submissions/<int:submission_id>/conflict")
@login_required
def conflict(slug: str, submission_id: int) -> ResponseReturnValue:
    call, jurors = _jury_view(slug)
    submission = _submission_or_404(call, submission_id)
    require(policies.can_review(current_user, submission, jurors))
    require(ConfirmForm().validate_on_submit(), status=400)
    error, other = round_views.declare_conflict(call, submission)
    if error is not None:
        flash(error, "error")
    else:
        db.session.commit()
        flash(_("You are recused from this submission."), "success")
        if other is not None:
            flash(_("It was given to another juror."), "info")
    return redirect(url_for("calls.submissions", slug=slug, round=request.form.get("round", "")))


@bp.post("/calls/<slug>/submissions/<int:submission_id>/decision")
@login_required
def decide(slug: str, submission_id: int) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    submission = _submission_or_404(call, submission_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide(
                submission,
                actor=current_user,
                decision=Decision(form.decision.data),
                message=form.message.data or "",
                prize=form.prize.data or "",
            )
        except services.CallError as exc:
            form.decision.errors = [*form.decision.errors, str(exc)]
        else:
            db.session.commit()
            flash(
                _("The decision was saved. Applicants hear of it when you notify them."), "success"
            )
            return redirect(url_for("calls.submissions", slug=slug))
    return _submission_page(call, submission, decision_form=form, status=422)


@bp.post("/calls/<slug>/notify")
@login_required
def notify(slug: str) -> ResponseReturnValue:
    call = _managed_call_or_404(slug)
    require(ConfirmForm().validate_on_submit(), status=400)
    sent = services.notify_applicants(call, actor=current_user)
    db.session.commit()
    if sent:
        flash(
            ngettext("%(num)d applicant was notified.", "%(num)d applicants were notified.", sent),
            "success",
        )
    else:
        flash(_("Nobody was waiting for a decision email."), "info")
    return redirect(url_for("calls.submissions", slug=slug))


# ---------- Designers: applying ----------


def _answers_from_form(call: OpenCall) -> dict[int, str]:
    return {q.id: request.form.get(f"q-{q.id}", "").strip()[:5000] for q in call.questions}


def _picked_category(form: ApplicationForm) -> int | None:
    """The category id sent (the service checks it is one of the call's); None when absent."""
    value = (form.category.data or "").strip()
    if not value:
        return None
    return int(value) if value.isdigit() and len(value) < 12 else -1


@bp.route("/calls/<slug>/apply", methods=["GET", "POST"])
@login_required
def apply(slug: str) -> ResponseReturnValue:
    call = _call_or_404(slug)
    submission = services.submission_of(call, current_user) if current_user.is_designer else None
    jurors = queries.juror_ids(call)
    refusal = access.apply_refusal(
        current_user, call, jurors, has_application=submission is not None
    )
    if refusal is not None:
        return render_template(
            "calls/cannot_apply.html", call=call, reason=refusal_message(call, refusal)
        ), 403
    blocked = access.mode_refusal(call, current_user)  # invite-only and nominated calls
    if blocked is not None:
        if call.access_mode == AccessMode.INVITE_ONLY:
            return redirect(url_for("access.enter_code", slug=slug))
        return render_template("calls/cannot_apply.html", call=call, reason=blocked), 403
    projects = services.own_projects(current_user)
    profile = services.profile_of(current_user)
    verdict = services.eligibility(call, profile)
    form = ApplicationForm(obj=None if request.method == "POST" else submission)
    form.projects.choices = choices((str(p.id), p.title) for p in projects)
    if request.method == "GET" and submission is not None and submission.category_id:
        form.category.data = str(submission.category_id)
    answers = {a.question_id: a.value for a in submission.answers} if submission else {}
    if request.method == "GET" and submission is not None:
        form.projects.data = [p.id for p in submission.projects]
    error = None
    if request.method == "POST":
        answers = _answers_from_form(call)
        if form.validate_on_submit():
            try:
                saved = services.save_submission(
                    call,
                    applicant=current_user,
                    statement=form.statement.data or "",
                    answers=answers,
                    project_ids=form.projects.data or [],
                    submit="submit" in request.form,
                    results_consent=bool(form.results_consent.data),
                    category_id=_picked_category(form),
                    read=services.ApplicantReads(submission, projects, profile),
                )
                # Only a redirect follows: what the request loaded need not be read again.
                commit_keeping_loaded()
            except services.CallError as exc:
                db.session.rollback()
                error = str(exc)
            except IntegrityError:
                # Two clicks raced to create the one application allowed: the first one won.
                db.session.rollback()
                flash(_("Your application was already saved."), "info")
                return redirect(url_for("calls.apply", slug=slug))
            else:
                if saved.status == SubmissionStatus.SUBMITTED:
                    flash(
                        _("Your application is submitted. You can edit it until the deadline."),
                        "success",
                    )
                else:
                    flash(_("Your draft is saved. Submit it before the deadline."), "success")
                return redirect(url_for("calls.apply", slug=slug))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "calls/apply.html",
        call=call,
        form=form,
        submission=submission,
        projects=projects,
        covers=covers_for([p.id for p in projects]),  # one query for every project's cover
        answers=answers,
        verdict=verdict,
        error=error,
        confirm=ConfirmForm(),
        now=utcnow(),
        open=call.is_open(),
    ), status


def _may_change_application(call: OpenCall) -> bool:
    """Members, and a pending candidate approved by their nomination for this call (who applied
    as a member would: they withdraw and choose their results consent as one too)."""
    return bool(current_user.is_member or access.approved_candidate(call, current_user))


@bp.post("/calls/<slug>/withdraw")
@login_required
def withdraw(slug: str) -> ResponseReturnValue:
    call = _call_or_404(slug)
    require(_may_change_application(call))
    submission = services.submission_of(call, current_user)
    require(submission is not None, status=404)
    assert submission is not None
    require(ConfirmForm().validate_on_submit(), status=400)
    try:
        services.withdraw_submission(submission, actor=current_user)
    except services.CallError as exc:
        flash(str(exc), "error")
        return redirect(url_for("calls.apply", slug=slug))
    db.session.commit()
    flash(_("Your application was withdrawn."), "success")
    return redirect(url_for("calls.detail", slug=slug))


@bp.post("/calls/<slug>/results-consent")
@login_required
def results_consent(slug: str) -> ResponseReturnValue:
    """The applicant shows or keeps their selected work off the call's results page."""
    call = _call_or_404(slug)
    require(_may_change_application(call))
    submission = services.submission_of(call, current_user)
    require(submission is not None, status=404)
    assert submission is not None
    require(ConfirmForm().validate_on_submit(), status=400)
    consent = request.form.get("consent") == "1"
    services.set_results_consent(submission, actor=current_user, consent=consent)
    db.session.commit()
    if consent:
        flash(_("If your work is selected, it shows on the call's results page."), "success")
    else:
        flash(_("Your work is kept off the call's results page."), "success")
    return redirect(url_for("calls.apply", slug=slug))


@bp.get("/calls/<slug>/results")
def results(slug: str) -> ResponseReturnValue:
    """The accepted works of a call whose decisions were sent, with their designers' agreement."""
    call = _call_or_404(slug)
    require(services.has_results(call), status=404)
    return render_template(
        "calls/results.html",
        call=call,
        page=queries.results_page(call, number=page_number(request.args)),
    )


@bp.get("/me/applications")
@login_required
def my_submissions() -> ResponseReturnValue:
    """All the person's applications, page by page (their home shows the first few)."""
    return render_template(
        "calls/my_submissions.html",
        page=queries.my_submissions(current_user, number=page_number(request.args)),
        jury=queries.jury_calls(current_user),
        invitations=queries.invitations_waiting(current_user),
        credits=services.credits_for(current_user, include_hidden=True),
        confirm=ConfirmForm(),
        now=utcnow(),
    )


@bp.post("/submissions/<int:submission_id>/credit")
@login_required
def toggle_credit(submission_id: int) -> ResponseReturnValue:
    submission = db.session.get(Submission, submission_id)
    require(
        submission is not None and policies.owns_submission(current_user, submission), status=404
    )
    assert submission is not None
    require(ConfirmForm().validate_on_submit(), status=400)
    services.set_credit_hidden(submission, actor=current_user, hidden=not submission.credit_hidden)
    db.session.commit()
    if submission.credit_hidden:
        flash(_("The credit is hidden from your portfolio."), "success")
    else:
        flash(_("The credit shows on your portfolio."), "success")
    return redirect(url_for("calls.my_submissions"))


def _banner_visibility(key: str, viewer: Any) -> tuple[bool, bool] | None:
    """(may this viewer see the banner, is it public) — as the call itself."""
    calls = db.session.scalars(
        select(OpenCall).where(OpenCall.banner_key == key).options(joinedload(OpenCall.owner))
    ).all()
    if not calls:
        return None
    public = any(policies.can_view_call(AnonymousUserMixin(), c) for c in calls)
    return (public or any(policies.can_view_call(viewer, c) for c in calls), public)


register_resolver("b", _banner_visibility)

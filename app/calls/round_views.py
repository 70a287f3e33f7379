"""Review rounds: the organiser's round editor (settings, weighted criteria, opening with a
selection, closing, assignment and progress per juror), and the parts of the submissions
table and submission page that go through rounds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.calls import policies, queries, round_queries, rounds, services
from app.calls.forms import DECISION_LABELS
from app.calls.loading import managed_call_or_404 as _managed
from app.calls.models import OpenCall, Review, Submission
from app.calls.round_forms import OpenRoundForm, RoundForm
from app.calls.round_models import (
    AssignmentMode,
    ReviewRound,
    RoundAssignment,
    RoundEntry,
    RoundStatus,
)
from app.extensions import db
from app.forms import ConfirmForm
from app.pagination import page_number
from app.permissions import require

bp = Blueprint("call_rounds", __name__)


def _busy() -> str:
    return _("Someone saved the same thing at the same moment: look again, then retry.")


ROUND_STATUS_LABELS = {
    RoundStatus.DRAFT: _l("In preparation"),
    RoundStatus.OPEN: _l("Open"),
    RoundStatus.CLOSED: _l("Closed"),
}


@bp.app_context_processor
def round_helpers() -> dict[str, Any]:
    return {"round_status_label": lambda s: ROUND_STATUS_LABELS.get(RoundStatus(s), s)}


def _round_of(call: OpenCall, round_id: int) -> ReviewRound:
    item = db.session.scalar(
        select(ReviewRound)
        .where(ReviewRound.id == round_id, ReviewRound.call_id == call.id)
        .options(selectinload(ReviewRound.criteria))
    )
    require(item is not None, status=404)
    assert item is not None
    return item


def _round_data(form: RoundForm) -> rounds.RoundData:
    return rounds.RoundData(
        name=form.name.data or "",
        scale=int(form.scale.data or 5),
        show_earlier=bool(form.show_earlier.data),
        assignment=AssignmentMode(form.assignment.data or AssignmentMode.EVERYONE.value),
        jurors_per_submission=form.jurors_per_submission.data,
    )


def _filled(item: ReviewRound) -> RoundForm:
    form = RoundForm(formdata=None)
    form.name.data = item.name
    form.scale.data = str(item.scale)
    form.show_earlier.data = item.show_earlier
    form.assignment.data = item.assignment.value
    form.jurors_per_submission.data = item.jurors_per_submission
    return form


# ---------- The list of rounds ----------


@bp.get("/calls/<slug>/rounds")
@login_required
def index(slug: str) -> ResponseReturnValue:
    return _index_page(_managed(slug))


def _index_page(call: OpenCall, form: RoundForm | None = None, status: int = 200) -> Any:
    found = rounds.rounds_of(call)
    if form is None:
        form = RoundForm(formdata=None)
        if found:  # the call's scale: a new round starts on the last one's
            form.scale.data = str(found[-1].scale)
    return render_template("calls/rounds/index.html", call=call, rounds=found, form=form), status


@bp.post("/calls/<slug>/rounds")
@login_required
def add(slug: str) -> ResponseReturnValue:
    call = _managed(slug)
    form = RoundForm()
    if form.validate_on_submit():
        try:
            item = rounds.add_round(call, data=_round_data(form))
        except IntegrityError:  # the same name added twice at once
            db.session.rollback()
            form.name.errors = [*form.name.errors, _busy()]
        except rounds.RoundError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("The round was added: set its criteria, then open it."), "success")
            return redirect(url_for("call_rounds.edit", slug=slug, round_id=item.id))
    return _index_page(call, form, status=422)


# ---------- One round: settings, criteria, opening, assignment ----------


def _edit_page(
    call: OpenCall,
    item: ReviewRound,
    *,
    form: RoundForm | None = None,
    open_form: OpenRoundForm | None = None,
    criteria_error: str = "",
    typed: Sequence[tuple[str, str]] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    all_rounds = rounds.rounds_of(call)
    rows = list(typed) if typed is not None else [(c.name, str(c.weight)) for c in item.criteria]
    rows += [("", "")] * max(1, 4 - len(rows))
    return render_template(
        "calls/rounds/edit.html",
        call=call,
        item=item,
        form=form or _filled(item),
        open_form=open_form or OpenRoundForm(formdata=None),
        confirm=ConfirmForm(),
        criteria_rows=rows,
        criteria_error=criteria_error,
        scored=rounds.has_scores(item),
        previous=rounds.previous_round(all_rounds, item),
        progress=rounds.progress(item, call),
        other_open=next((r for r in all_rounds if r.is_open and r.id != item.id), None),
    ), status


@bp.get("/calls/<slug>/rounds/<int:round_id>")
@login_required
def edit(slug: str, round_id: int) -> ResponseReturnValue:
    call = _managed(slug)
    return _edit_page(call, _round_of(call, round_id))


@bp.post("/calls/<slug>/rounds/<int:round_id>")
@login_required
def update(slug: str, round_id: int) -> ResponseReturnValue:
    call = _managed(slug)
    item = _round_of(call, round_id)
    form = RoundForm()
    if form.validate_on_submit():
        try:
            rounds.update_round(item, call, data=_round_data(form))
        except rounds.RoundError as exc:
            db.session.rollback()
            item = _round_of(call, round_id)
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("The round was saved."), "success")
            return redirect(url_for("call_rounds.edit", slug=slug, round_id=item.id))
    return _edit_page(call, item, form=form, status=422)


@bp.post("/calls/<slug>/rounds/<int:round_id>/criteria")
@login_required
def criteria(slug: str, round_id: int) -> ResponseReturnValue:
    """The whole rubric at once: saved only if every row is right and the weights make 100 %."""
    call = _managed(slug)
    item = _round_of(call, round_id)
    require(ConfirmForm().validate_on_submit(), status=400)
    names = request.form.getlist("criterion_name")
    weights = request.form.getlist("criterion_weight")
    require(len(names) == len(weights) and len(names) <= 40, status=400)
    typed = list(zip(names, weights, strict=True))
    try:
        rounds.save_criteria(item, [rounds.CriterionRow(n, w) for n, w in typed])
    except rounds.RoundError as exc:
        db.session.rollback()
        item = _round_of(call, round_id)
        return _edit_page(call, item, criteria_error=str(exc), typed=typed, status=422)
    db.session.commit()
    flash(_("The criteria were saved."), "success")
    return redirect(url_for("call_rounds.edit", slug=slug, round_id=item.id))


@bp.post("/calls/<slug>/rounds/<int:round_id>/open")
@login_required
def open_(slug: str, round_id: int) -> ResponseReturnValue:
    call = _managed(slug)
    item = _round_of(call, round_id)
    form = OpenRoundForm()
    if form.validate_on_submit():
        entry = RoundEntry(form.entry.data or RoundEntry.ALL.value)
        threshold = form.threshold.data
        try:
            count = rounds.open_round(
                item,
                call,
                entry=entry,
                threshold=float(threshold) if isinstance(threshold, Decimal) else None,
            )
        except rounds.RoundError as exc:
            db.session.rollback()
            item = _round_of(call, round_id)
            form.entry.errors = [*form.entry.errors, str(exc)]
        else:
            db.session.commit()
            flash(
                ngettext(
                    "The round is open with %(num)d submission.",
                    "The round is open with %(num)d submissions.",
                    count,
                ),
                "success",
            )
            return redirect(url_for("call_rounds.edit", slug=slug, round_id=item.id))
    return _edit_page(call, item, open_form=form, status=422)


@bp.post("/calls/<slug>/rounds/<int:round_id>/close")
@login_required
def close(slug: str, round_id: int) -> ResponseReturnValue:
    call = _managed(slug)
    item = _round_of(call, round_id)
    require(ConfirmForm().validate_on_submit(), status=400)
    try:
        rounds.close_round(item)
    except rounds.RoundError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The round is closed: its scores stay as they are."), "success")
    return redirect(url_for("call_rounds.edit", slug=slug, round_id=round_id))


@bp.post("/calls/<slug>/rounds/<int:round_id>/assign")
@login_required
def assign_all(slug: str, round_id: int) -> ResponseReturnValue:
    call = _managed(slug)
    item = _round_of(call, round_id)
    require(ConfirmForm().validate_on_submit(), status=400)
    try:
        outcome = rounds.auto_assign(item, call)
    except rounds.RoundError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("call_rounds.edit", slug=slug, round_id=round_id))
    db.session.commit()
    flash(
        ngettext("%(num)d assignment added.", "%(num)d assignments added.", outcome.added),
        "success",
    )
    if outcome.short:
        flash(
            ngettext(
                "%(num)d submission has fewer jurors than asked: not enough jurors free of "
                "conflicts.",
                "%(num)d submissions have fewer jurors than asked: not enough jurors free of "
                "conflicts.",
                outcome.short,
            ),
            "error",
        )
    return redirect(url_for("call_rounds.edit", slug=slug, round_id=round_id))


def _digits(name: str) -> int:
    raw = request.form.get(name, "")
    require(raw.isdigit() and len(raw) < 12, status=400)
    return int(raw)


@bp.post("/calls/<slug>/rounds/<int:round_id>/assignments")
@login_required
def add_assignment(slug: str, round_id: int) -> ResponseReturnValue:
    call = _managed(slug)
    item = _round_of(call, round_id)
    require(ConfirmForm().validate_on_submit(), status=400)
    submission = queries.load_submission(call, _digits("submission_id"))
    require(submission is not None, status=404)
    assert submission is not None
    person = db.session.get(User, _digits("juror_id"))
    back = url_for("calls.submission", slug=slug, submission_id=submission.id, round=item.id)
    if person is None:
        flash(_("Choose a juror."), "error")
        return redirect(back)
    try:
        rounds.assign(item, call, submission, person)
    except IntegrityError:
        db.session.rollback()
        flash(_busy(), "error")
    except rounds.RoundError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("%(name)s now reviews this submission.", name=person.display_name), "success")
    return redirect(back)


@bp.post("/calls/<slug>/rounds/<int:round_id>/assignments/<int:assignment_id>/remove")
@login_required
def remove_assignment(slug: str, round_id: int, assignment_id: int) -> ResponseReturnValue:
    call = _managed(slug)
    item = _round_of(call, round_id)
    require(ConfirmForm().validate_on_submit(), status=400)
    found = db.session.scalar(
        select(RoundAssignment).where(
            RoundAssignment.id == assignment_id, RoundAssignment.round_id == item.id
        )
    )
    require(found is not None, status=404)
    assert found is not None
    back = url_for("calls.submission", slug=slug, submission_id=found.submission_id, round=item.id)
    try:
        rounds.unassign(found)
    except rounds.RoundError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The juror no longer reviews this submission."), "success")
    return redirect(back)


# ---------- The submissions table (organiser and jurors) ----------

JUROR_SORTS = ("submitted", "-submitted")
ROW_PLACEHOLDER = 9_007_199_254_740_991  # no submission has this number


def _picked_round(found: Sequence[ReviewRound], *, owner: bool) -> ReviewRound | None:
    """The round asked for (`?round=`; a juror never sees a draft one), else the current one."""
    raw = request.values.get("round", "")
    shown = [r for r in found if owner or r.status != RoundStatus.DRAFT]
    picked = next((r for r in shown if str(r.id) == raw), None)
    return picked or rounds.current_round(found) or (shown[-1] if shown else None)


def table_view(
    *, bulk_error: str = "", selected: Sequence[int] = (), status: int = 200, slug: str
) -> ResponseReturnValue:
    """The submissions table of a round: 50 a page, sorted and filtered in SQL."""
    found_call = round_queries.load_table_call(slug)
    require(found_call is not None, status=404)
    assert found_call is not None
    call, to_notify = found_call
    owner = policies.can_manage_call(current_user, call)
    if not owner:
        require(
            policies.can_see_submissions(current_user, call, queries.juror_ids(call)), status=404
        )
    found = round_queries.table_rounds(call)
    item = _picked_round(found, owner=owner)
    sort = request.args.get("sort", "-weighted" if owner else "submitted")
    if not owner and sort not in JUROR_SORTS:
        sort = "submitted"  # an order by the averages would tell a juror the others' scores
    decision = request.args.get("decision", "") if owner else ""
    category = request.args.get("category", "")
    category_id = next((c.id for c in call.categories if str(c.id) == category), None)
    page = round_queries.table_page(
        call,
        item,
        number=page_number(request.args),
        sort=sort,
        decision=decision,
        juror=None if owner else current_user,
        category_id=category_id,
    )
    return render_template(
        "calls/submissions.html",
        call=call,
        rows=page.items,
        page=page,
        rounds=[r for r in found if owner or r.status != RoundStatus.DRAFT],
        item=item,
        owner=owner,
        sees_applicant=policies.sees_applicant(current_user, call),
        sort=sort,
        decision=decision,
        category_id=category_id,
        confirm=ConfirmForm(),
        bulk_error=bulk_error,
        selected=set(selected),
        bulk_decisions=services.BULK_DECISIONS,
        to_notify=to_notify if owner else 0,
        # Each row's link: built once, the submission's number put in its place.
        row_link=url_for(
            "calls.submission",
            slug=call.slug,
            submission_id=ROW_PLACEHOLDER,
            round=item.id if item else None,
        ).split(str(ROW_PLACEHOLDER)),
        decision_labels={d: str(label) for d, label in DECISION_LABELS.items()},
        # The rows' wording, looked up once for the page: the number to put in each label,
        # and each project count the page has, rather than gettext and ngettext 50 times.
        row_number=ROW_PLACEHOLDER,
        project_counts={
            n: ngettext("%(num)d project", "%(num)d projects", n)
            for n in {row.project_count for row in page.items}
        },
    ), status


# ---------- The submission page: reviews by round ----------


def review_context(
    call: OpenCall,
    submission: Submission,
    *,
    owner: bool,
    typed: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """What the review part of a submission page shows: the round picked, the juror's own
    review (and the form, as typed after a refusal), the others' once they scored, the
    earlier rounds' if the organiser shows them, and for the organiser who reviews it."""
    found = rounds.rounds_of(call)
    item = _picked_round(found, owner=owner)
    if not owner:
        found = [r for r in found if r.status != RoundStatus.DRAFT]
    reviews = list(
        db.session.scalars(
            select(Review)
            .where(Review.submission_id == submission.id)
            .options(joinedload(Review.juror), selectinload(Review.scores))
            .order_by(Review.id)
        )
    )
    in_item = [r for r in reviews if item is not None and r.round_id == item.id]
    mine = next((r for r in in_item if r.juror_id == current_user.id), None)
    recused = any(r.conflict_of_interest and r.juror_id == current_user.id for r in reviews)
    scored = owner or (mine is not None and mine.score is not None)
    others = [r for r in in_item if r.juror_id != current_user.id] if scored else []
    earlier_ids = [
        r.id
        for r in found
        if item is not None
        and (r.position, r.id) < (item.position, item.id)
        and (owner or item.show_earlier)
    ]
    earlier = {rid: [r for r in reviews if r.round_id == rid] for rid in earlier_ids}
    values: dict[str, str] = {}
    if typed is not None:
        values = dict(typed)
    elif mine is not None:
        values["comment"] = mine.comment
        for s in mine.scores:
            values[f"score-{s.criterion_id}"] = str(s.score)
            values[f"comment-{s.criterion_id}"] = s.comment
    assigned: list[tuple[RoundAssignment, User]] = []
    jury: list[User] = []
    if owner and item is not None and item.assignment == AssignmentMode.PER_SUBMISSION:
        assigned = [
            (a, p)
            for a, p in db.session.execute(
                select(RoundAssignment, User)
                .join(User, User.id == RoundAssignment.juror_id)
                .where(
                    RoundAssignment.round_id == item.id,
                    RoundAssignment.submission_id == submission.id,
                )
                .order_by(RoundAssignment.id)
            )
        ]
        taken = {p.id for _a, p in assigned}
        jury = [u for u in rounds.round_jurors(call) if u.id not in taken]
    may_score = (
        not owner
        and item is not None
        and item.is_open
        and not recused
        and rounds.may_review(submission, current_user, item)
    )
    return {
        "rounds": found,
        "item": item,
        "mine": mine,
        "recused": recused,
        "others": others,
        "earlier": earlier,
        "values": values,
        "assigned": assigned,
        "jury": jury,
        "may_score": may_score,
    }


def scores_from(form: Mapping[str, str], item: ReviewRound) -> dict[int, rounds.CriterionInput]:
    """The criterion scores posted (`score-<id>`, `comment-<id>`); a round with a single
    criterion also takes a plain `score`."""
    found: dict[int, rounds.CriterionInput] = {}
    for criterion in item.criteria:
        raw = form.get(f"score-{criterion.id}", "")
        if not raw and len(item.criteria) == 1:
            raw = form.get("score", "")
        value = int(raw) if raw.isdigit() and len(raw) < 4 else None
        found[criterion.id] = rounds.CriterionInput(value, form.get(f"comment-{criterion.id}", ""))
    return found


def save_review(call: OpenCall, submission: Submission, form: Mapping[str, str]) -> str | None:
    """Save the juror's scores in the round posted; the refusal's text, or None when saved."""
    found = rounds.rounds_of(call)
    item = _picked_round(found, owner=False)
    if item is None:
        return _("No round is open for scores.")
    try:
        rounds.save_scores(
            submission,
            item,
            juror=current_user,
            scores=scores_from(form, item),
            comment=form.get("comment", ""),
        )
        db.session.flush()
    except rounds.RoundError as exc:
        db.session.rollback()
        return str(exc)
    except IntegrityError:  # the same review saved at the same moment: that one stands
        db.session.rollback()
        return _busy()
    return None


def declare_conflict(call: OpenCall, submission: Submission) -> tuple[str | None, User | None]:
    item = _picked_round(rounds.rounds_of(call), owner=False)
    if item is None:
        return _("No round is open for scores."), None
    try:
        other = rounds.declare_conflict(submission, item, call, juror=current_user)
        db.session.flush()
    except rounds.RoundError as exc:
        db.session.rollback()
        return str(exc), None
    except IntegrityError:
        db.session.rollback()
        return _busy(), None
    return None, other


def visible_to_juror(call: OpenCall, user: User) -> Any:
    return round_queries.juror_sees(round_queries.table_rounds(call), user)

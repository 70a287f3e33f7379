"""Review rounds: their rubric (weighted criteria), opening and closing them, scoring per
criterion, the averages per submission (raw and normalised per juror) and who reviews what."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, true
from sqlalchemy.orm import aliased, selectinload

from app.accounts.models import User
from app.calls import queries
from app.calls.models import (
    Decision,
    Juror,
    OpenCall,
    Review,
    Submission,
    SubmissionStatus,
    category_jurors,
)
from app.calls.round_models import (
    SCALES,
    AssignmentMode,
    CriterionScore,
    ReviewRound,
    RoundAssignment,
    RoundCriterion,
    RoundEntry,
    RoundStatus,
    RoundSubmission,
)
from app.db_types import utcnow
from app.extensions import db

NAME_MAX = 80
COMMENT_MAX = 5000
MAX_CRITERIA = 12
MAX_ROUNDS = 10


class RoundError(Exception):
    """A refusal to show the organiser or juror as it is (already translated)."""


# ---------- Rounds and their rubric ----------


def default_round(call: OpenCall) -> ReviewRound:
    """The round every call starts with: open, everyone reviews everything, "Overall" 100 %."""
    item = ReviewRound(
        call_id=call.id,
        position=0,
        name=_("Round 1"),
        status=RoundStatus.OPEN,
        opened_at=utcnow(),
    )
    item.criteria = [RoundCriterion(name=_("Overall"), weight=100, position=0)]
    db.session.add(item)
    db.session.flush()
    return item


def rounds_of(call: OpenCall) -> list[ReviewRound]:
    """The call's rounds in order, with their criteria (two queries)."""
    return list(
        db.session.scalars(
            select(ReviewRound)
            .where(ReviewRound.call_id == call.id)
            .options(selectinload(ReviewRound.criteria))
            .order_by(ReviewRound.position, ReviewRound.id)
        )
    )


def ensure_rounds(call: OpenCall) -> list[ReviewRound]:
    """The call's rounds; a call that has none (made before rounds) gets the default one."""
    found = rounds_of(call)
    return found or [default_round(call)]


def current_round(rounds: Sequence[ReviewRound]) -> ReviewRound | None:
    """The round jurors work in: the last open one, else the last closed one."""
    for status in (RoundStatus.OPEN, RoundStatus.CLOSED):
        found = [r for r in rounds if r.status == status]
        if found:
            return found[-1]
    return None


def previous_round(rounds: Sequence[ReviewRound], item: ReviewRound) -> ReviewRound | None:
    earlier = [r for r in rounds if (r.position, r.id) < (item.position, item.id)]
    return earlier[-1] if earlier else None


def has_scores(item: ReviewRound) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where(Review.round_id == item.id, Review.score.is_not(None)))
        )
    )


@dataclass
class RoundData:
    name: str
    scale: int = 5
    show_earlier: bool = False
    assignment: AssignmentMode = AssignmentMode.EVERYONE
    jurors_per_submission: int | None = None


def _check_round(call: OpenCall, data: RoundData, round_id: int | None = None) -> None:
    name = data.name.strip()
    if not name:
        raise RoundError(_("Give the round a name."))
    if len(name) > NAME_MAX:
        raise RoundError(_("The round's name is too long."))
    if data.scale not in SCALES:
        raise RoundError(_("Choose a scale of 1–5 or 1–10."))
    if data.assignment == AssignmentMode.PER_SUBMISSION and not (
        data.jurors_per_submission and 1 <= data.jurors_per_submission <= 20
    ):
        raise RoundError(_("Say how many jurors review each submission (1 to 20)."))
    same = select(ReviewRound.id).where(
        ReviewRound.call_id == call.id, func.lower(ReviewRound.name) == name.lower()
    )
    if round_id is not None:
        same = same.where(ReviewRound.id != round_id)
    if db.session.scalar(same) is not None:
        raise RoundError(_("The call already has a round of that name."))


def add_round(call: OpenCall, *, data: RoundData) -> ReviewRound:
    """A new draft round after the others, with one criterion "Overall" to start from."""
    existing = rounds_of(call)
    if len(existing) >= MAX_ROUNDS:
        raise RoundError(_("A call has at most %(num)d rounds.", num=MAX_ROUNDS))
    _check_round(call, data)
    item = ReviewRound(
        call_id=call.id,
        position=(max((r.position for r in existing), default=-1) + 1),
        name=data.name.strip(),
        scale=data.scale,
        show_earlier=data.show_earlier,
        assignment=data.assignment,
        jurors_per_submission=data.jurors_per_submission
        if data.assignment == AssignmentMode.PER_SUBMISSION
        else None,
        status=RoundStatus.DRAFT,
    )
    item.criteria = [RoundCriterion(name=_("Overall"), weight=100, position=0)]
    db.session.add(item)
    db.session.flush()
    return item


def update_round(item: ReviewRound, call: OpenCall, *, data: RoundData) -> None:
    """Rename, rescale (only before any score), show earlier scores, change assignment."""
    _check_round(call, data, item.id)
    if data.scale != item.scale and has_scores(item):
        raise RoundError(_("Jurors have scored this round: its scale can no longer change."))
    item.name = data.name.strip()
    item.scale = data.scale
    item.show_earlier = data.show_earlier
    item.assignment = data.assignment
    item.jurors_per_submission = (
        data.jurors_per_submission if data.assignment == AssignmentMode.PER_SUBMISSION else None
    )
    db.session.flush()


@dataclass
class CriterionRow:
    name: str
    weight: str


def parse_criteria(rows: Iterable[CriterionRow]) -> list[tuple[str, int]]:
    """The rubric typed by the organiser: blank rows skipped; every weight a whole percentage;
    the weights adding to 100; names unique. Raises RoundError with what is wrong."""
    found: list[tuple[str, int]] = []
    for row in rows:
        name, weight = row.name.strip(), row.weight.strip()
        if not name and not weight:
            continue
        if not name:
            raise RoundError(_("Each criterion needs a name."))
        if len(name) > NAME_MAX:
            raise RoundError(_("A criterion's name is too long."))
        if not weight.isdigit() or not 1 <= int(weight) <= 100:
            raise RoundError(
                _("The weight of “%(name)s” must be a whole number from 1 to 100.", name=name)
            )
        found.append((name, int(weight)))
    if not found:
        raise RoundError(_("A round needs at least one criterion."))
    if len(found) > MAX_CRITERIA:
        raise RoundError(_("A round has at most %(num)d criteria.", num=MAX_CRITERIA))
    names = [n.lower() for n, _w in found]
    if len(set(names)) != len(names):
        raise RoundError(_("Two criteria have the same name."))
    total = sum(w for _n, w in found)
    if total != 100:
        raise RoundError(_("The weights add up to %(total)d %%, not 100 %%.", total=total))
    return found


def save_criteria(item: ReviewRound, rows: Iterable[CriterionRow]) -> None:
    """Replace the round's rubric at once (nothing half-saved); only before any score."""
    criteria = parse_criteria(rows)
    if has_scores(item):
        raise RoundError(_("Jurors have scored this round: its criteria can no longer change."))
    item.criteria.clear()
    db.session.flush()
    item.criteria.extend(
        RoundCriterion(name=name, weight=weight, position=i)
        for i, (name, weight) in enumerate(criteria)
    )
    db.session.flush()


# ---------- Which submissions are in a round ----------


def _submitted(call: OpenCall) -> ColumnElement[bool]:
    return and_(Submission.call_id == call.id, Submission.status == SubmissionStatus.SUBMITTED)


def in_round(item: ReviewRound) -> ColumnElement[bool]:
    """The submissions of a round: all submitted ones, or those chosen when it opened."""
    if item.entry == RoundEntry.ALL:
        return true()
    entered = aliased(RoundSubmission)  # the table joins RoundSubmission for its averages
    return exists().where(
        entered.round_id == item.id,
        entered.submission_id == Submission.id,
        entered.entered.is_(True),
    )


def open_round(
    item: ReviewRound,
    call: OpenCall,
    *,
    entry: RoundEntry,
    threshold: float | None = None,
) -> int:
    """Open a draft round with the submissions chosen (all, shortlisted, or a weighted average
    of the previous round at least `threshold`), or reopen a closed one as it was. Returns how
    many submissions are in it."""
    rounds = rounds_of(call)
    other = next((r for r in rounds if r.is_open and r.id != item.id), None)
    if other is not None:
        raise RoundError(_("Close “%(name)s” first: one round is open at a time.", name=other.name))
    if item.status == RoundStatus.OPEN:
        raise RoundError(_("This round is already open."))
    if not item.criteria:
        raise RoundError(_("A round needs at least one criterion."))
    if item.weights_total != 100:
        raise RoundError(
            _("The weights add up to %(total)d %%, not 100 %%.", total=item.weights_total)
        )
    if item.status == RoundStatus.DRAFT:
        _choose_entries(item, rounds, call, entry, threshold)
    item.status = RoundStatus.OPEN
    item.opened_at = utcnow()
    item.closed_at = None
    db.session.flush()
    if item.assignment == AssignmentMode.PER_SUBMISSION:
        auto_assign(item, call)
    return len(
        list(db.session.scalars(select(Submission.id).where(_submitted(call), in_round(item))))
    )


def _choose_entries(
    item: ReviewRound,
    rounds: Sequence[ReviewRound],
    call: OpenCall,
    entry: RoundEntry,
    threshold: float | None,
) -> None:
    query = select(Submission.id).where(_submitted(call))
    if entry == RoundEntry.SHORTLISTED:
        query = query.where(Submission.decision.in_([Decision.SHORTLISTED, Decision.ACCEPTED]))
    elif entry == RoundEntry.ABOVE:
        before = previous_round(rounds, item)
        if before is None:
            raise RoundError(_("The first round has no earlier scores to select on."))
        if threshold is None or not 1 <= threshold <= before.scale:
            raise RoundError(
                _("Give a minimum weighted average from 1 to %(scale)d.", scale=before.scale)
            )
        query = query.join(
            RoundSubmission,
            and_(
                RoundSubmission.submission_id == Submission.id,
                RoundSubmission.round_id == before.id,
            ),
        ).where(RoundSubmission.weighted >= threshold - 1e-9)
    item.entry = entry
    item.threshold = threshold if entry == RoundEntry.ABOVE else None
    if entry == RoundEntry.ALL:
        return
    chosen = list(db.session.scalars(query))
    if not chosen:
        raise RoundError(_("No submission meets this choice: the round would be empty."))
    db.session.execute(delete(RoundSubmission).where(RoundSubmission.round_id == item.id))
    db.session.add_all(
        RoundSubmission(round_id=item.id, submission_id=sid, entered=True) for sid in chosen
    )


def close_round(item: ReviewRound) -> None:
    if item.status != RoundStatus.OPEN:
        raise RoundError(_("Only an open round can be closed."))
    item.status = RoundStatus.CLOSED
    item.closed_at = utcnow()
    db.session.flush()


# ---------- Scores: per criterion, weighted, normalised ----------


def weighted_score(criteria: Sequence[RoundCriterion], scores: Mapping[int, int]) -> float:
    """Σ weight × score / Σ weight, on the round's scale."""
    total = sum(c.weight for c in criteria)
    return sum(c.weight * scores[c.id] for c in criteria) / total


@dataclass
class Averages:
    count: int
    weighted: float
    normalised: float


def normalise(scores: Sequence[tuple[int, int, float]]) -> dict[int, Averages]:
    """(juror, submission, weighted score) of one round → the averages of each submission.

    Each juror's scores become z-scores (their own mean and standard deviation), put back on
    the round's scale with the mean and spread of all the round's scores, so a harsh and a
    lenient juror count alike. A juror with fewer than two scores, or all the same, keeps raw
    scores. Population standard deviation throughout."""
    if not scores:
        return {}
    values = [s for _j, _s, s in scores]
    mean_all = sum(values) / len(values)
    spread_all = math.sqrt(sum((v - mean_all) ** 2 for v in values) / len(values))
    by_juror: dict[int, list[float]] = defaultdict(list)
    for juror, _sub, score in scores:
        by_juror[juror].append(score)
    stats: dict[int, tuple[float, float] | None] = {}
    for juror, own in by_juror.items():
        mean = sum(own) / len(own)
        spread = math.sqrt(sum((v - mean) ** 2 for v in own) / len(own))
        stats[juror] = (mean, spread) if len(own) >= 2 and spread > 1e-12 else None
    raw: dict[int, list[float]] = defaultdict(list)
    norm: dict[int, list[float]] = defaultdict(list)
    for juror, sub, score in scores:
        raw[sub].append(score)
        stat = stats[juror]
        norm[sub].append(
            score if stat is None else mean_all + (score - stat[0]) / stat[1] * spread_all
        )
    return {
        sub: Averages(len(raw[sub]), sum(raw[sub]) / len(raw[sub]), sum(norm[sub]) / len(norm[sub]))
        for sub in raw
    }


def recompute(item: ReviewRound) -> None:
    """Store every submission's averages in the round (two queries and one batch of writes):
    the table sorts on them in SQL."""
    scored = db.session.execute(
        select(Review.juror_id, Review.submission_id, Review.score).where(
            Review.round_id == item.id,
            Review.score.is_not(None),
            Review.conflict_of_interest.is_(False),
        )
    ).all()
    averages = normalise([(j, s, float(v)) for j, s, v in scored if v is not None])
    rows = {
        r.submission_id: r
        for r in db.session.scalars(
            select(RoundSubmission).where(RoundSubmission.round_id == item.id)
        )
    }
    for sub, avg in averages.items():
        row = rows.get(sub)
        if row is None:
            row = RoundSubmission(round_id=item.id, submission_id=sub, entered=False)
            db.session.add(row)
        row.review_count, row.weighted, row.normalised = avg.count, avg.weighted, avg.normalised
    for sub, row in rows.items():
        if sub not in averages:
            row.review_count, row.weighted, row.normalised = 0, None, None
    db.session.flush()


def conflicted(submission_id: int, juror_id: int) -> bool:
    """Whether the juror declared a conflict on the submission (in any round)."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Review.submission_id == submission_id,
                    Review.juror_id == juror_id,
                    Review.conflict_of_interest.is_(True),
                )
            )
        )
    )


def reviews_in(submission: Submission, juror: User, item: ReviewRound) -> Review | None:
    return db.session.scalar(
        select(Review)
        .where(
            Review.round_id == item.id,
            Review.submission_id == submission.id,
            Review.juror_id == juror.id,
        )
        .options(selectinload(Review.scores))
    )


def may_review(submission: Submission, juror: User, item: ReviewRound) -> bool:
    """The submission is in the round and (in a round with assignment) assigned to the juror."""
    query = select(Submission.id).where(Submission.id == submission.id, in_round(item))
    if item.assignment == AssignmentMode.PER_SUBMISSION:
        query = query.where(assigned_to(item, juror))
    return db.session.scalar(query) is not None


def assigned_to(item: ReviewRound, juror: User) -> ColumnElement[bool]:
    return exists().where(
        RoundAssignment.round_id == item.id,
        RoundAssignment.submission_id == Submission.id,
        RoundAssignment.juror_id == juror.id,
    )


@dataclass
class CriterionInput:
    score: int | None
    comment: str


def save_scores(
    submission: Submission,
    item: ReviewRound,
    *,
    juror: User,
    scores: Mapping[int, CriterionInput],
    comment: str,
) -> Review:
    """A juror's scores (1..scale) on every criterion of an open round, a comment per criterion
    and one overall; editable while the round is open and the submission undecided."""
    if submission.decision in (Decision.ACCEPTED, Decision.DECLINED):
        raise RoundError(_("The organiser has decided: reviews are closed."))
    if not item.is_open:
        raise RoundError(_("This round is not open for scores."))
    if not may_review(submission, juror, item):
        raise RoundError(_("This submission is not assigned to you in this round."))
    if conflicted(submission.id, juror.id):
        raise RoundError(_("You declared a conflict of interest on this submission."))
    given: dict[int, int] = {}
    for criterion in item.criteria:
        found = scores.get(criterion.id)
        if found is None or found.score is None or not 1 <= found.score <= item.scale:
            raise RoundError(
                _(
                    "Score “%(name)s” from 1 to %(scale)d.",
                    name=criterion.name,
                    scale=item.scale,
                )
            )
        if len(found.comment) > COMMENT_MAX or len(comment) > COMMENT_MAX:
            raise RoundError(_("A comment is too long."))
        given[criterion.id] = found.score
    review = reviews_in(submission, juror, item)
    if review is None:
        review = Review(submission_id=submission.id, juror_id=juror.id, round_id=item.id)
        db.session.add(review)
    by_criterion = {s.criterion_id: s for s in review.scores}
    for criterion in item.criteria:
        row = by_criterion.get(criterion.id)
        if row is None:
            row = CriterionScore(criterion_id=criterion.id)
            review.scores.append(row)
        row.score = given[criterion.id]
        row.comment = scores[criterion.id].comment.strip()
    review.score = weighted_score(item.criteria, given)
    review.comment = comment.strip()
    db.session.flush()
    recompute(item)
    return review


def declare_conflict(
    submission: Submission, item: ReviewRound, call: OpenCall, *, juror: User
) -> User | None:
    """Recuse oneself from a submission (before scoring it in this round). In a round with
    assignment the submission goes to another juror when the review is blind (returned)."""
    review = reviews_in(submission, juror, item)
    if review is not None and review.score is not None:
        raise RoundError(_("Declare a conflict before scoring, not after."))
    if review is None:
        review = Review(submission_id=submission.id, juror_id=juror.id, round_id=item.id)
        db.session.add(review)
    review.conflict_of_interest = True
    db.session.flush()
    if item.assignment != AssignmentMode.PER_SUBMISSION:
        return None
    db.session.execute(
        delete(RoundAssignment).where(
            RoundAssignment.round_id == item.id,
            RoundAssignment.submission_id == submission.id,
            RoundAssignment.juror_id == juror.id,
        )
    )
    if not call.blind_review:
        return None
    return _reassign(item, call, submission)


# ---------- Assignment ----------


def round_jurors(call: OpenCall) -> list[User]:
    """The people who may review the call: accepted seats (as `queries.juror_ids`)."""
    ids = queries.juror_ids(call)
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))


def _eligible(submission_ids: Sequence[int]) -> dict[int, set[int] | None]:
    """Per submission, the user ids of its category's own jury (None: the whole jury)."""
    rows = db.session.execute(
        select(Submission.id, Juror.user_id)
        .join(category_jurors, category_jurors.c.category_id == Submission.category_id)
        .join(Juror, Juror.id == category_jurors.c.juror_id)
        .where(Submission.id.in_(submission_ids))
    ).all()
    found: dict[int, set[int] | None] = {sid: None for sid in submission_ids}
    for sid, uid in rows:
        own = found[sid]
        if own is None:
            own = found[sid] = set()
        if uid is not None:
            own.add(uid)
    return found


def _conflicts(submission_ids: Sequence[int]) -> set[tuple[int, int]]:
    return {
        (s, j)
        for s, j in db.session.execute(
            select(Review.submission_id, Review.juror_id).where(
                Review.submission_id.in_(submission_ids), Review.conflict_of_interest.is_(True)
            )
        )
    }


@dataclass
class AssignOutcome:
    added: int
    short: int  # submissions left with fewer jurors than asked (not enough free jurors)


def auto_assign(item: ReviewRound, call: OpenCall) -> AssignOutcome:
    """Give every submission of the round up to N jurors, the least loaded first, never one
    with a declared conflict nor one off the submission's category jury; keeps what is there."""
    if item.assignment != AssignmentMode.PER_SUBMISSION or not item.jurors_per_submission:
        raise RoundError(_("This round has every juror review every submission."))
    wanted = item.jurors_per_submission
    jurors = [u.id for u in round_jurors(call)]
    subs = list(
        db.session.scalars(
            select(Submission.id)
            .where(_submitted(call), in_round(item))
            .order_by(Submission.submitted_at, Submission.id)
        )
    )
    existing: dict[int, set[int]] = defaultdict(set)
    load: dict[int, int] = dict.fromkeys(jurors, 0)
    for sid, uid in db.session.execute(
        select(RoundAssignment.submission_id, RoundAssignment.juror_id).where(
            RoundAssignment.round_id == item.id
        )
    ):
        existing[sid].add(uid)
        load[uid] = load.get(uid, 0) + 1
    eligible = _eligible(subs)
    conflicts = _conflicts(subs)
    added = short = 0
    for sid in subs:
        have = existing[sid]
        pool = [
            j
            for j in jurors
            if j not in have
            and (sid, j) not in conflicts
            and (eligible[sid] is None or j in (eligible[sid] or set()))
        ]
        pool.sort(key=lambda j: (load[j], j))
        for j in pool[: max(0, wanted - len(have))]:
            db.session.add(RoundAssignment(round_id=item.id, submission_id=sid, juror_id=j))
            have.add(j)
            load[j] += 1
            added += 1
        if len(have) < wanted:
            short += 1
    db.session.flush()
    return AssignOutcome(added, short)


def _reassign(item: ReviewRound, call: OpenCall, submission: Submission) -> User | None:
    """Give a submission one more juror (after a recusal), the least loaded who may take it."""
    outcome_before = db.session.scalar(
        select(func.count()).where(
            RoundAssignment.round_id == item.id, RoundAssignment.submission_id == submission.id
        )
    )
    auto_assign(item, call)
    after = db.session.scalars(
        select(RoundAssignment.juror_id)
        .where(RoundAssignment.round_id == item.id, RoundAssignment.submission_id == submission.id)
        .order_by(RoundAssignment.id.desc())
    ).all()
    if len(after) <= (outcome_before or 0):
        return None
    return db.session.get(User, after[0])


def assign(item: ReviewRound, call: OpenCall, submission: Submission, juror: User) -> None:
    """Add a juror on a submission by hand; refused for a declared conflict or an outsider."""
    if juror.id not in {u.id for u in round_jurors(call)}:
        raise RoundError(_("%(name)s does not sit on this call's jury.", name=juror.display_name))
    allowed = _eligible([submission.id])[submission.id]
    if allowed is not None and juror.id not in allowed:
        raise RoundError(_("%(name)s is not on this category's jury.", name=juror.display_name))
    if conflicted(submission.id, juror.id):
        raise RoundError(
            _(
                "%(name)s declared a conflict of interest on this submission: "
                "choose another juror.",
                name=juror.display_name,
            )
        )
    if (
        db.session.scalar(
            select(Submission.id).where(Submission.id == submission.id, in_round(item))
        )
        is None
    ):
        raise RoundError(_("This submission is not in the round."))
    already = db.session.scalar(
        select(RoundAssignment.id).where(
            RoundAssignment.round_id == item.id,
            RoundAssignment.submission_id == submission.id,
            RoundAssignment.juror_id == juror.id,
        )
    )
    if already is not None:
        raise RoundError(_("%(name)s already reviews this submission.", name=juror.display_name))
    db.session.add(
        RoundAssignment(round_id=item.id, submission_id=submission.id, juror_id=juror.id)
    )
    db.session.flush()


def unassign(assignment: RoundAssignment) -> None:
    """Take a juror off a submission, unless they have scored it in the round."""
    scored = db.session.scalar(
        select(Review.id).where(
            Review.round_id == assignment.round_id,
            Review.submission_id == assignment.submission_id,
            Review.juror_id == assignment.juror_id,
            Review.score.is_not(None),
        )
    )
    if scored is not None:
        raise RoundError(_("This juror has scored the submission: their review stays."))
    db.session.delete(assignment)
    db.session.flush()


@dataclass
class Progress:
    juror: User
    assigned: int
    scored: int
    recused: int


def progress(item: ReviewRound, call: OpenCall) -> list[Progress]:
    """Per juror of the round: submissions assigned (or in the round, for everyone-reviews),
    scored and recused in it (four queries whatever the numbers)."""
    jurors = round_jurors(call)
    if item.assignment == AssignmentMode.PER_SUBMISSION:
        assigned = dict(
            db.session.execute(
                select(RoundAssignment.juror_id, func.count())
                .where(RoundAssignment.round_id == item.id)
                .group_by(RoundAssignment.juror_id)
            ).all()
        )
    else:
        everyone = int(
            db.session.scalar(
                select(func.count(Submission.id)).where(_submitted(call), in_round(item))
            )
            or 0
        )
        assigned = {u.id: everyone for u in jurors}
    counts = db.session.execute(
        select(
            Review.juror_id,
            func.count(Review.score),
            func.sum(func.cast(Review.conflict_of_interest, db.Integer)),
        )
        .where(Review.round_id == item.id)
        .group_by(Review.juror_id)
    ).all()
    scored = {j: (int(n or 0), int(c or 0)) for j, n, c in counts}
    return [Progress(u, int(assigned.get(u.id, 0)), *scored.get(u.id, (0, 0))) for u in jurors]


def assignments_of(
    item: ReviewRound, submission_ids: Sequence[int]
) -> dict[int, list[RoundAssignment]]:
    found: dict[int, list[RoundAssignment]] = defaultdict(list)
    if not submission_ids:
        return found
    for a in db.session.scalars(
        select(RoundAssignment)
        .where(
            RoundAssignment.round_id == item.id, RoundAssignment.submission_id.in_(submission_ids)
        )
        .order_by(RoundAssignment.id)
    ):
        found[a.submission_id].append(a)
    return found


def visible_round_ids(rounds: Sequence[ReviewRound]) -> list[int]:
    return [r.id for r in rounds if r.status != RoundStatus.DRAFT]


def open_work(user: User) -> ColumnElement[bool]:
    """SQL: the submission (of a call joined or correlated) waits for this juror in its call's
    open round: in the round, assigned to them when the round assigns, not yet scored nor
    recused there, and no conflict declared on it. Without loading any round."""
    item = aliased(ReviewRound)
    entered = aliased(RoundSubmission)
    given = aliased(Review)
    in_it = or_(
        item.entry == RoundEntry.ALL,
        exists()
        .where(
            entered.round_id == item.id,
            entered.submission_id == Submission.id,
            entered.entered.is_(True),
        )
        .correlate_except(entered),
    )
    theirs = or_(
        item.assignment == AssignmentMode.EVERYONE,
        exists()
        .where(
            RoundAssignment.round_id == item.id,
            RoundAssignment.submission_id == Submission.id,
            RoundAssignment.juror_id == user.id,
        )
        .correlate_except(RoundAssignment),
    )
    done = (
        exists()
        .where(
            given.submission_id == Submission.id,
            given.juror_id == user.id,
            or_(given.round_id == item.id, given.conflict_of_interest.is_(True)),
            or_(given.score.is_not(None), given.conflict_of_interest.is_(True)),
        )
        .correlate_except(given)
    )
    return exists().where(
        item.call_id == Submission.call_id,
        item.status == RoundStatus.OPEN,
        in_it,
        theirs,
        ~done,
    )

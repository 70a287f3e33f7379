"""Jury's part of "own your data": a juror's own reviews, per call, round and criterion.

What the juror wrote and scored is theirs; the applications they reviewed are someone else's,
so each is named by its number only (as on the jury's pages), never by its applicant."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.accounts.owndata import ExportPart, when
from app.calls.models import Review, Submission
from app.calls.round_models import CriterionScore, ReviewRound
from app.extensions import db


def export_reviews(user: User) -> ExportPart:
    """Each review the person gave as a juror: the call, the round, the application's number,
    their weighted score, overall comment or recusal, and each criterion's score and comment."""
    reviews = db.session.scalars(
        select(Review)
        .where(Review.juror_id == user.id)
        .options(
            joinedload(Review.submission).joinedload(Submission.call),
            joinedload(Review.round).selectinload(ReviewRound.criteria),
            selectinload(Review.scores),
        )
        .order_by(Review.round_id, Review.submission_id, Review.id)
    ).all()
    return ExportPart(
        "reviews",
        [
            {
                "call": r.submission.call.title,
                "call_url": r.submission.call.path,
                "round": r.round.name,
                "scale": r.round.scale,
                "application": r.submission_id,
                "recused": r.conflict_of_interest,
                "score": r.score,
                "comment": r.comment,
                "criteria": _criteria(r),
                "updated_at": when(r.updated_at),
            }
            for r in reviews
        ],
    )


def _criteria(review: Review) -> list[dict[str, object]]:
    given: dict[int, CriterionScore] = {s.criterion_id: s for s in review.scores}
    return [
        {
            "criterion": c.name,
            "weight": c.weight,
            "score": given[c.id].score,
            "comment": given[c.id].comment,
        }
        for c in sorted(review.round.criteria, key=lambda c: c.position)
        if c.id in given
    ]

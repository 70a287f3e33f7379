"""The submissions CSV: answers, projects, every juror's score, and per round each
criterion's mean score with the weighted and normalised averages. Formula-injection safe."""

from __future__ import annotations

import csv
import io

from app.calls.models import OpenCall
from app.calls.round_queries import ExportData
from app.calls.rounds import current_round
from app.calls.services import csv_safe
from app.urls import public_url


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def export_csv(call: OpenCall, data: ExportData) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    questions = list(call.questions)
    per_round: list[str] = []
    for item in data.rounds:
        per_round += [f"{item.name}: {c.name} ({c.weight}%)" for c in item.criteria]
        per_round += [f"{item.name}: weighted", f"{item.name}: normalised"]
    writer.writerow(
        [
            csv_safe(c)
            for c in [
                "id",
                "applicant",
                "handle",
                "email",
                "submitted_at",
                "decision",
                "reviews",
                "average",
                "scores",
                "statement",
                "projects",
                "category",
                *per_round,
                *[q.label for q in questions],
            ]
        ]
    )
    names = {item.id: item.name for item in data.rounds}
    latest = current_round(data.rounds)
    current = latest.id if latest is not None else -1
    for row in data.rows:
        s = row.submission
        answers = {a.question_id: a.value for a in s.answers}
        links = " ".join(
            public_url("portfolios.project", handle=s.applicant.handle, slug=p.slug)
            for p in s.projects
        )
        reviews = data.reviews.get(s.id, [])
        scores = "; ".join(
            f"{names.get(r.round_id, '')} {r.juror.handle}: {r.score:.2f}"
            + (f" ({r.comment})" if r.comment else "")
            for r in reviews
            if r.score is not None
        )
        cells: list[object] = []
        for item in data.rounds:
            for c in item.criteria:
                mean = data.criteria.get((c.id, s.id))
                cells.append(_number(mean))
            weighted, normalised = data.averages.get((item.id, s.id), (None, None))
            cells += [_number(weighted), _number(normalised)]
        row_cells = [
            s.id,
            s.applicant.display_name,
            s.applicant.handle,
            s.applicant.email,
            s.submitted_at.isoformat() if s.submitted_at else "",
            s.decision.value,
            len(reviews),
            _number(data.averages.get((current, s.id), (None, None))[0]),
            scores,
            s.statement,
            links,
            s.category.name if s.category is not None else "",
            *cells,
            *[answers.get(q.id, "") for q in questions],
        ]
        writer.writerow([csv_safe(c) for c in row_cells])
    return out.getvalue()

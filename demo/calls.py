"""Demo calls: open, closing-soon and closed, one modelled on the Hanoi Creative Design Festival."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.calls import rounds
from app.calls.decision_models import DecisionTemplate, SharedFeedback
from app.calls.models import (
    CallKind,
    CallQuestion,
    CallStatus,
    Decision,
    JurorStatus,
    OpenCall,
    QuestionKind,
    Submission,
    SubmissionStatus,
)
from app.calls.round_models import AssignmentMode, RoundAssignment, RoundEntry
from app.calls.services import local_to_utc
from app.db_types import utcnow
from app.extensions import db
from app.portfolios.models import Project
from app.profiles.models import Discipline
from app.text import slugify
from demo import access, build

PROJECT_TITLES = [
    "Nhận diện thương hiệu Phở Thìn",
    "Bộ poster Hồ Gươm bốn mùa",
    "Đèn lồng tre cho phố cổ",
    "Typeface “Hàng Mã”",
    "Bao bì trà Shan Tuyết",
    "Áo dài lụa in kỹ thuật số",
    "Ghế mây tái chế",
    "Sách tranh “Ngõ nhỏ Hà Nội”",
    "Ứng dụng đặt vé xe buýt",
    "Triển lãm ánh sáng Long Biên",
]

FESTIVAL_DESCRIPTION = """\
Lễ hội Thiết kế Sáng tạo Hà Nội invites **young designers of the region** to show a project
at the festival's *Young Designers Showcase*, in the heritage houses of the Old Quarter.

## What we look for

- work that starts from Hà Nội's streets, crafts and everyday life;
- graphic, product, fashion, spatial or digital design;
- a clear story, told in a few images.

## Selection

A jury of designers and curators reviews every application **blind**. Selected designers are
announced four weeks after the deadline.

More about the festival: [Hanoi Creative Design Festival](https://example.org/hcdf).
"""


def _at(days: int, tz: str = "Asia/Ho_Chi_Minh") -> datetime:
    """23:59 on a day `days` from today, in the call's zone."""
    local_day = (utcnow() + timedelta(days=days)).date()
    return local_to_utc(local_day, time(23, 59), tz)


def _projects_for(user: User, rng: Any) -> list[Project]:
    found = list(
        db.session.scalars(
            select(Project).where(Project.owner_id == user.id, Project.is_published.is_(True))
        )
    )
    if found:
        return found
    return [
        build.project(
            user, title=t, slug=slugify(t, 60), description="Dự án cá nhân, 2024.", year=2024
        )
        for t in rng.sample(PROJECT_TITLES, k=2)
    ]


def load(context: dict[str, Any]) -> dict[str, int]:
    """Create calls with questions, juries, submissions and reviews."""
    rng = context["rng"]
    organisers: list[User] = context["organisers"]
    designers: list[User] = context["designers"]
    now = utcnow()
    disciplines = {d.slug: d for d in db.session.scalars(select(Discipline))}
    pick = list(disciplines.values())

    def call(owner: User, **kw: Any) -> OpenCall:
        item = build.call(
            owner,
            published_at=now - timedelta(days=kw.pop("published_days_ago", 10)),
            disciplines=rng.sample(pick, k=min(3, len(pick))),
            **kw,
        )
        return item

    hcdc = organisers[0]
    other = organisers[1] if len(organisers) > 1 else hcdc
    third = organisers[-1]
    festival = call(
        hcdc,
        kind=CallKind.FESTIVAL,
        title="Hanoi Creative Design Festival 2025 — Young Designers Showcase",
        summary="Show one project at the festival in the Old Quarter's heritage houses.",
        description=FESTIVAL_DESCRIPTION,
        deadline_at=_at(18),
        no_entry_fee=True,
        prizes=(
            "- Exhibition space at the festival\n- A printed catalogue\n"
            "- 10.000.000 ₫ travel grant for five designers"
        ),
        max_projects=3,
        max_age=34,
        allowed_countries=["VN", "TH", "ID", "PH", "MY", "SG", "KH", "LA", "MM", "BN"],
        blind_review=True,
    )
    db.session.add_all(
        [
            CallQuestion(
                call_id=festival.id,
                position=0,
                label="Which neighbourhood of Hà Nội inspired your work?",
                kind=QuestionKind.SHORT_TEXT,
                required=True,
            ),
            CallQuestion(
                call_id=festival.id,
                position=1,
                label="Can you be in Hà Nội during the festival?",
                kind=QuestionKind.YES_NO,
                required=True,
            ),
        ]
    )
    tracks = [
        build.category(
            festival,
            "Poster",
            description="One poster series: print, screen or street. **Series of up to 5.**",
            max_projects=1,
        ),
        build.category(
            festival,
            "Product",
            description="An object in use: furniture, lighting, packaging, craft.",
            deadline_at=festival.deadline_at - timedelta(days=7),
        ),
    ]
    soon = call(
        other,
        kind=CallKind.COMPETITION,
        title="Giải thưởng Thiết kế Áo dài Đương đại",
        summary="A contemporary áo dài for everyday city life: sketches and one finished piece.",
        description="Designs are judged on wearability, craft and a story rooted in Vietnam.",
        deadline_at=_at(2),
        no_entry_fee=False,
        entry_fee="200.000 ₫",
        prizes="First prize: 30.000.000 ₫ and a showcase at Vietnam Design Week.",
        max_projects=2,
    )
    closed = call(
        hcdc,
        kind=CallKind.RESIDENCY,
        title="Lantern Light Residency — Hội An",
        summary="Four weeks with the lantern makers of Hội An, housing and materials included.",
        description="Residents work with artisans on a new lantern for the Mid-Autumn festival.",
        deadline_at=_at(-12),
        published_days_ago=60,
        no_entry_fee=True,
        max_projects=3,
        max_age=30,
    )
    call(
        third,
        kind=CallKind.EXHIBITION,
        title="Lyon ↔ Hà Nội: Cities of Design exchange",
        summary="Ten designers from each city exhibit side by side in Lyon and Hà Nội.",
        description="An exchange between two UNESCO Cities of Design.",
        deadline_at=_at(40, "Europe/Paris"),
        timezone="Europe/Paris",
        no_entry_fee=True,
        max_projects=4,
    )
    job = call(
        other,
        kind=CallKind.JOB,
        title="Graphic designer for Vietnam Design Week",
        summary="A six-month contract to design the festival's identity and signage.",
        description="Based in Hà Nội, from March. Vietnamese and English.",
        deadline_at=_at(9),
        no_entry_fee=True,
        max_projects=5,
    )
    call(
        hcdc,
        kind=CallKind.GRANT,
        title="Craft villages grant 2026",
        summary="Seed money for designers working with a craft village.",
        description="Draft: details to come.",
        deadline_at=_at(70),
        status=CallStatus.DRAFT,
    )

    jurors = designers[-3:]
    for c in (festival, closed, soon):
        for j in jurors[:2]:
            build.juror(c, j)
    # A third juror has not answered the festival's invitation yet; one declined "soon".
    build.juror(festival, jurors[2], status=JurorStatus.INVITED)
    build.juror(soon, jurors[2], status=JurorStatus.DECLINED, answered_at=now)

    applicants = designers[1:12]
    submissions = reviews = 0
    for target, count in ((festival, 8), (soon, 5), (closed, 6), (job, 3)):
        for i, person in enumerate(applicants[:count]):
            projects = _projects_for(person, rng)
            is_draft = target is soon and i == count - 1
            submitted_at = min(now, target.deadline_at) - timedelta(days=rng.randint(1, 9))
            sub = build.submission(
                target,
                person,
                projects=projects[
                    : 1 if target is festival and i % 2 == 0 else target.max_projects
                ],
                statement=rng.choice(
                    [
                        "Tôi muốn kể câu chuyện về phố cổ bằng ánh sáng và giấy dó.",
                        "Dự án của tôi kết hợp thủ công truyền thống với công nghệ số.",
                        "I design with the craftspeople of my street, and I would love to show it.",
                    ]
                ),
                status=SubmissionStatus.DRAFT if is_draft else SubmissionStatus.SUBMITTED,
                submitted_at=submitted_at,
                created_at=submitted_at - timedelta(days=1),
                category_id=tracks[i % 2].id if target is festival else None,
            )
            submissions += 1
            if is_draft or target is job:
                continue
            for j in [] if target is festival else jurors[:2]:  # the festival: by rounds
                build.review(
                    sub,
                    j,
                    score=rng.randint(2, 5),
                    comment=rng.choice(
                        ["Rất thuyết phục.", "Good craft, weaker story.", "Bold and clear.", ""]
                    ),
                )
                reviews += 1
            if target is closed:
                # Decisions sent: three works accepted, two of them with a prize, and all but
                # one applicant agreed to the public results page.
                sub.decision = Decision.ACCEPTED if i < 3 else Decision.DECLINED
                sub.decided_at = target.deadline_at + timedelta(days=5)
                sub.notified_at = sub.decided_at
                sub.results_consent = i != 2
                sub.results_consent_at = submitted_at if i != 2 else None
                sub.prize = ("Giải Nhất", "Giải Khuyến Khích", "")[i] if i < 3 else ""
            elif target is festival and i < 2:
                sub.decision = Decision.SHORTLISTED
    db.session.flush()
    reviews += _festival_rounds(festival, [*jurors[:2], designers[-4]], rng)
    _decision_emails(closed)
    # An under-35 award by nomination (a university nominates) and an invite-only masterclass.
    extra = access.load(
        owner=hcdc,
        partner=organisers[2] if len(organisers) > 2 else third,
        designers=designers,
        now=now,
        at=_at,
        call=call,
    )
    return {"calls": 8, "submissions": submissions + 1, "reviews": reviews, **extra}


def _festival_rounds(festival: OpenCall, jury: list[User], rng: Any) -> int:
    """The festival's two rounds: "Shortlist" by 2 of 3 jurors per submission on three
    weighted criteria, closed; "Final" on the shortlisted works, earlier scores shown."""
    build.juror(festival, jury[2])
    rubric = [
        rounds.CriterionRow(n, w)
        for n, w in (("Originality", "40"), ("Craft", "30"), ("Relevance", "30"))
    ]
    shortlist = rounds.rounds_of(festival)[0]
    rounds.update_round(
        shortlist,
        festival,
        data=rounds.RoundData(
            name="Shortlist", assignment=AssignmentMode.PER_SUBMISSION, jurors_per_submission=2
        ),
    )
    rounds.save_criteria(shortlist, rubric)
    rounds.auto_assign(shortlist, festival)
    comments = ["Rất thuyết phục.", "Good craft, weaker story.", "Bold and clear.", ""]
    count = 0
    by_id = {u.id: u for u in jury}
    for sub_id, juror_id in db.session.execute(
        select(RoundAssignment.submission_id, RoundAssignment.juror_id)
        .where(RoundAssignment.round_id == shortlist.id)
        .order_by(RoundAssignment.id)
    ).all():
        sub = db.session.get(Submission, sub_id)
        assert sub is not None
        build.review(
            sub,
            by_id[juror_id],
            round=shortlist,
            scores=[rng.randint(2, 5) for _ in range(3)],
            comment=rng.choice(comments),
        )
        count += 1
    rounds.close_round(shortlist)
    final = rounds.add_round(festival, data=rounds.RoundData(name="Final", show_earlier=True))
    rounds.save_criteria(final, rubric)
    rounds.open_round(final, festival, entry=RoundEntry.SHORTLISTED)
    first = db.session.scalars(
        select(Submission)
        .where(Submission.call_id == festival.id, Submission.decision == Decision.SHORTLISTED)
        .order_by(Submission.id)
    ).first()
    if first is not None:
        build.review(first, jury[0], round=final, scores=[5, 4, 4], comment="Xứng đáng giải.")
        count += 1
    return count


def _decision_emails(call: OpenCall) -> None:
    """The closed call's acceptance in the organiser's words (Vietnamese), and the jury's
    comments passed on, unsigned, to those declined."""
    db.session.add(
        DecisionTemplate(
            call_id=call.id,
            decision=Decision.ACCEPTED,
            locale="vi",
            subject="Chúc mừng {name}: {call}",
            body=(
                "Ban tổ chức vui mừng báo tin: hồ sơ của bạn gửi “{call}” đã được chọn.\n\n"
                "Chúng tôi sẽ liên hệ trong tuần này về lịch lưu trú tại Hội An."
            ),
        )
    )
    declined = db.session.scalars(
        select(Submission).where(
            Submission.call_id == call.id, Submission.decision == Decision.DECLINED
        )
    )
    for sub in declined:
        said = [r for r in sorted(sub.reviews, key=lambda r: r.id) if r.comment]
        for position, review in enumerate(said, start=1):
            db.session.add(
                SharedFeedback(
                    submission_id=sub.id,
                    review_id=review.id,
                    position=position,
                    text=review.comment,
                )
            )
    db.session.flush()

"""Bulk data for the benchmark: N designers and what they make, fast (core inserts in batches).

Each domain adds a step to STEPS. Steps receive the shared context and insert with
`insert(table)` on lists of dicts, never one ORM object at a time.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text

from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.accounts.passwords import hash_password
from app.calls import rounds
from app.calls.models import (
    Answer,
    CallQuestion,
    Juror,
    OpenCall,
    Review,
    Submission,
    submission_projects,
)  # fmt: skip
from app.calls.round_models import CriterionScore
from app.extensions import db
from app.markdown import plain_text
from app.media.services import store_image
from app.messaging.models import Conversation, Message, Participant
from app.moderation.models import Report
from app.portfolios.models import Project, ProjectImage, project_disciplines
from app.profiles.models import DesignerProfile, Discipline, OrganiserProfile, designer_disciplines
from app.search.models import SearchDocument
from app.search.services import fold_words
from app.text import slugify
from demo import build
from demo.artworks import KINDS, draw
from demo.people import CROWD_CITIES as CITIES
from demo.people import FAMILY_NAMES as FAMILY
from demo.people import GIVEN_NAMES as GIVEN
from demo.portfolios import PROJECTS

PASSWORD = "bench-pass-2019"
BATCH = 5000

Context = dict[str, Any]


def batched(
    rows: Iterator[dict[str, Any]] | list[dict[str, Any]], size: int = BATCH
) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def bulk(table: Any, rows: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> None:
    for chunk in batched(rows):
        db.session.execute(insert(table), chunk)


def people(ctx: Context) -> None:
    """Designers (with profiles and disciplines), organisers, a moderator and an admin."""
    n: int = ctx["designers"]
    rng = random.Random(2019)
    now = datetime.now(UTC)
    pw = hash_password(PASSWORD)
    disciplines = list(db.session.scalars(select(Discipline.id)))

    def user_rows() -> Iterator[dict[str, Any]]:
        for i in range(n):
            created = now - timedelta(minutes=i * 7)
            yield build.account_columns(
                email=f"d{i}@bench.example.org", handle=f"designer-{i}",
                display_name=f"{FAMILY[i % 12]} {GIVEN[(i // 12) % 12]} {i}", password_hash=pw,
                created_at=created, email_verified_at=created, approved_at=created,
                last_active_at=now - timedelta(minutes=rng.randint(0, 10**6)),
            )  # fmt: skip
        for i in range(max(n // 100, 5)):
            yield build.account_columns(
                email=f"o{i}@bench.example.org", handle=f"organiser-{i}", display_name=f"Studio {i}",
                password_hash=pw, account_type=AccountType.ORGANISER, created_at=now,
                email_verified_at=now, approved_at=now, last_active_at=now,
            )  # fmt: skip
        for role in (StaffRole.MODERATOR, StaffRole.ADMIN):
            yield build.account_columns(
                email=f"{role}@bench.example.org", handle=f"bench-{role}", display_name=role.title(),
                password_hash=pw, staff_role=role, created_at=now, email_verified_at=now,
                approved_at=now, last_active_at=now,
            )  # fmt: skip

    bulk(User.__table__, user_rows())
    ids = dict(db.session.execute(select(User.handle, User.id)).all())
    designer_ids = [ids[f"designer-{i}"] for i in range(n)]
    ctx["designer_ids"] = designer_ids
    ctx["organiser_ids"] = [ids[h] for h in ids if h.startswith("organiser-")]
    ctx["user_ids"] = ids

    def profile_rows() -> Iterator[dict[str, Any]]:
        for i, uid in enumerate(designer_ids):
            city, country = CITIES[i % len(CITIES)]
            yield {
                "user_id": uid, "bio": "Designer in " + city, "city": city, "country": country,
                "birth_date": date(1990 + i % 15, 1 + i % 12, 1 + i % 28),
                "available_for_work": i % 3 == 0, "links": [],
            }  # fmt: skip
        for role in ("moderator", "admin"):
            yield {
                "user_id": ids[f"bench-{role}"], "bio": "", "city": "Hà Nội", "country": "VN",
                "birth_date": None, "available_for_work": False, "links": [],
            }  # fmt: skip

    bulk(DesignerProfile.__table__, profile_rows())
    bulk(
        OrganiserProfile.__table__,
        [
            {"user_id": uid, "organisation": f"Studio {k}", "website": "", "description": "", "city": "Hà Nội",
             "country": "VN", "verified_at": now}
            for k, uid in enumerate(ctx["organiser_ids"])
        ],
    )  # fmt: skip
    profile_ids = db.session.execute(select(DesignerProfile.id)).scalars().all()
    bulk(
        designer_disciplines,
        (
            {"profile_id": pid, "discipline_id": did}
            for pid in profile_ids
            for did in {
                disciplines[pid % len(disciplines)],
                disciplines[(pid * 7) % len(disciplines)],
            }
        ),
    )


def _image_pool(size: int = 6) -> list[Any]:
    """A few real artworks stored once in MEDIA_ROOT (content-hash keys), shared by every row."""

    kinds = list(KINDS)
    return [
        store_image(draw(kinds[i % len(kinds)], i % 3, seed=2019 + i, size=(800, 600))[0], kind="p")
        for i in range(size)
    ]


def projects(ctx: Context) -> None:
    """Three published projects per designer, three images each, and their search documents."""

    pool = _image_pool()
    ctx["image_key"] = f"{pool[0].key}/{pool[0].widths[0]}.webp"
    now = datetime.now(UTC).replace(microsecond=0)
    designer_ids: list[int] = ctx["designer_ids"]
    n = len(designer_ids)
    disciplines = list(db.session.scalars(select(Discipline)))
    words = {
        k: (title, plain_text(desc), " ".join(tags), fold_words(title))
        for k, (title, desc, tags, _kinds) in enumerate(PROJECTS)
    }

    def project_rows() -> Iterator[dict[str, Any]]:
        for i, uid in enumerate(designer_ids):
            city = CITIES[i % len(CITIES)][0]
            for j in range(3):
                title, desc, _tags, _ = words[(i + j * 3) % len(PROJECTS)]
                yield {
                    "owner_id": uid, "slug": slugify(title, 70), "title": title,
                    "description": f"{desc}\n\nDự án thực hiện tại {city}.", "year": 2020 + (i + j) % 6,
                    "is_published": True, "hidden_at": None, "created_at": now - timedelta(days=j * 40 + i % 30),
                    "updated_at": now, "published_at": now - timedelta(minutes=i * 7 + j * 60 * 24 * 40),
                    "tags": PROJECTS[(i + j * 3) % len(PROJECTS)][2], "credits": "",
                    "appreciation_count": (i * 7 + j) % 60,
                }  # fmt: skip

    bulk(Project.__table__, project_rows())
    rows = db.session.execute(
        select(Project.id, Project.owner_id, Project.title, Project.slug).order_by(Project.id)
    ).all()
    ctx["projects"] = len(rows)
    middle = n // 2
    ctx["portfolio"] = f"designer-{middle}"
    ctx["project_path"] = f"/designers/designer-{middle}/projects/" + slugify(
        PROJECTS[middle % len(PROJECTS)][0], 70
    )

    def image_rows() -> Iterator[dict[str, Any]]:
        for k, (pid, *_rest) in enumerate(rows):
            for position in range(3):
                img = pool[(k + position) % len(pool)]
                yield {
                    "project_id": pid, "position": position, "alt_text": "Tác phẩm đồ hoạ", "caption": "",
                    "width": img.width, "height": img.height, "storage_key": img.key,
                    "widths": img.widths, "is_cover": position == 0, "created_at": now,
                }  # fmt: skip

    bulk(ProjectImage.__table__, image_rows())
    bulk(
        project_disciplines,
        ({"project_id": pid, "discipline_id": disciplines[pid % len(disciplines)].id} for pid, *_ in rows),
    )  # fmt: skip

    handles = {uid: f"designer-{i}" for i, uid in enumerate(designer_ids)}
    names = {
        uid: f"{FAMILY[i % 12]} {GIVEN[(i // 12) % 12]} {i}" for i, uid in enumerate(designer_ids)
    }
    folded_names = {uid: fold_words(name) for uid, name in names.items()}
    folded_cities = {c: fold_words(c) for c, _ in CITIES}
    by_title = {w[0]: w for w in words.values()}

    def documents() -> Iterator[dict[str, Any]]:
        for i, uid in enumerate(designer_ids):
            city = CITIES[i % len(CITIES)][0]
            d = disciplines[i % len(disciplines)]
            yield {
                "kind": "designer", "object_id": uid, "title": names[uid], "summary": f"{city} · Designer in {city}",
                "url": f"/designers/{handles[uid]}", "image_url": None, "owner_id": uid, "is_public": True,
                "search_text": f"{folded_names[uid]} {handles[uid]} {folded_cities[city]} designer in "
                f"{folded_cities[city]} {fold_words(*d.names.values())}",
                "updated_at": now,
            }  # fmt: skip
        for k, (pid, owner, title, slug) in enumerate(rows):
            _t, desc, tags, folded_title = by_title[title]
            cover = pool[k % len(pool)]
            yield {
                "kind": "project", "object_id": pid, "title": title, "summary": desc[:200],
                "url": f"/designers/{handles[owner]}/projects/{slug}",
                "image_url": f"/media/{cover.key}/{min(w for w in cover.widths if w >= 400)}.webp",
                "owner_id": owner, "is_public": True,
                "search_text": f"{folded_title} {fold_words(desc, tags)} {folded_names[owner]}",
                "updated_at": now,
            }  # fmt: skip

    # PostgreSQL: building the GIN index once after the load is much faster than row by row;
    # the stored tsvector it indexes is a generated column (migration 0025), filled by each
    # insert. SQLite: the FTS5 table is fed by the triggers of migration 0005 as rows arrive.
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        db.session.execute(text("DROP INDEX IF EXISTS ix_search_documents_fts"))
    bulk(SearchDocument.__table__, documents())
    if postgres:
        db.session.execute(
            text(
                "CREATE INDEX ix_search_documents_fts ON search_documents USING gin (search_vector)"
            )
        )
    ctx["search_documents"] = n + len(rows)


def calls(ctx: Context) -> None:
    """A published call per organiser; organiser-0's first call has 500 submissions, reviewed."""

    now = datetime.now(UTC).replace(microsecond=0)
    organisers: list[int] = ctx["organiser_ids"]
    kinds = ["competition", "residency", "exhibition", "festival", "grant", "commission", "job"]

    def call_rows() -> Iterator[dict[str, Any]]:
        for k, oid in enumerate(organisers):
            for j in range(2):
                number = k * 2 + j
                yield {
                    "owner_id": oid, "slug": f"bench-call-{number}", "kind": kinds[number % len(kinds)],
                    "title": f"Cuộc thi thiết kế áp phích Hà Nội {number}",
                    "summary": "Young designers of the region show a poster for the festival.",
                    "description": "Gửi **ba** tác phẩm. Ban giám khảo chấm điểm ẩn danh.",
                    "timezone": "Asia/Ho_Chi_Minh", "opens_at": now - timedelta(days=30),
                    "deadline_at": now + timedelta(days=1 + number % 90) if j == 0 else now - timedelta(days=1 + number % 90),
                    "no_entry_fee": True, "entry_fee": "", "prizes": "", "max_projects": 3, "max_age": None,
                    "allowed_countries": [], "blind_review": False, "status": "published",
                    "published_at": now - timedelta(days=30, minutes=number), "closed_at": None,
                    "archived_at": None, "hidden_at": None, "created_at": now - timedelta(days=31), "updated_at": now,
                }  # fmt: skip

    bulk(OpenCall.__table__, call_rows())
    call_id = db.session.scalar(select(OpenCall.id).where(OpenCall.slug == "bench-call-0"))
    ctx["call_slug"] = "bench-call-0"
    bulk(
        CallQuestion.__table__,
        [
            {"call_id": call_id, "position": 0, "label": "Vì sao bạn ứng tuyển?", "kind": "long_text",
             "required": True, "options": []},
            {"call_id": call_id, "position": 1, "label": "Portfolio website", "kind": "url",
             "required": False, "options": []},
        ],
    )  # fmt: skip
    questions = list(
        db.session.scalars(select(CallQuestion.id).where(CallQuestion.call_id == call_id))
    )
    designer_ids: list[int] = ctx["designer_ids"]
    jurors = designer_ids[-3:]
    bulk(
        Juror.__table__, [{"call_id": call_id, "user_id": uid, "invited_at": now} for uid in jurors]
    )
    applicants = designer_ids[1:501]
    decisions = ["pending", "pending", "shortlisted", "accepted", "declined"]
    bulk(
        Submission.__table__,
        (
            {"call_id": call_id, "applicant_id": uid, "statement": "Tôi muốn giới thiệu bộ áp phích mới.",
             "status": "submitted", "decision": decisions[k % 5], "decision_message": "", "decided_at": None,
             "notified_at": None, "submitted_at": now - timedelta(minutes=k * 13), "reminder_sent_at": None,
             "credit_hidden": False, "created_at": now - timedelta(days=2), "updated_at": now}
            for k, uid in enumerate(applicants)
        ),
    )  # fmt: skip
    subs = db.session.execute(
        select(Submission.id, Submission.applicant_id).where(Submission.call_id == call_id)
    ).all()
    first_project = dict(
        db.session.execute(
            select(Project.owner_id, func.min(Project.id))
            .where(Project.owner_id.in_(applicants))
            .group_by(Project.owner_id)
        ).all()
    )
    bulk(
        submission_projects,
        ({"submission_id": sid, "project_id": first_project[uid]} for sid, uid in subs if uid in first_project),
    )  # fmt: skip
    bulk(
        Answer.__table__,
        ({"submission_id": sid, "question_id": q, "value": "Vì Hà Nội là thành phố sáng tạo."}
         for sid, _ in subs for q in questions),
    )  # fmt: skip
    # Reviewed in the call's first round (one criterion, "Overall" 100 %), as the app does.
    call = db.session.get(OpenCall, call_id)
    assert call is not None
    review_round = rounds.default_round(call)
    overall = review_round.criteria[0].id
    bulk(
        Review.__table__,
        ({"submission_id": sid, "juror_id": jurors[(k + r) % 3], "round_id": review_round.id,
          "score": 1 + (k + r) % 5, "comment": "Ý tưởng rõ ràng.", "conflict_of_interest": False,
          "updated_at": now}
         for k, (sid, _) in enumerate(subs) for r in range(2)),
    )  # fmt: skip
    bulk(
        CriterionScore.__table__,
        (
            {"review_id": rid, "criterion_id": overall, "score": int(score), "comment": ""}
            for rid, score in db.session.execute(
                select(Review.id, Review.score).where(Review.round_id == review_round.id)
            )
        ),
    )
    rounds.recompute(review_round)


def conversations(ctx: Context) -> None:
    """designer-0 talks with 40 people (one conversation of 10,000 messages); others talk too."""

    now = datetime.now(UTC).replace(microsecond=0)
    ids: list[int] = ctx["designer_ids"]
    n = len(ids)
    pairs = [(ids[0], ids[k]) for k in range(1, 41)]
    pairs += [
        (ids[k], ids[(k * 7 + 1) % n])
        for k in range(41, 41 + n // 20)
        if ids[k] != ids[(k * 7 + 1) % n]
    ]
    sizes = [10_000] + [3] * 39 + [4] * (len(pairs) - 40)

    def conversation_rows() -> Iterator[dict[str, Any]]:
        for k, (a, b) in enumerate(pairs):
            lo, hi = sorted((a, b))
            yield {
                "public_id": f"bench{k:011d}", "pair_key": f"{lo}:{hi}:bench:{k}", "topic_type": None,
                "topic_id": None, "topic_label": None, "created_by_id": a,
                "created_at": now - timedelta(days=60), "last_message_at": now - timedelta(minutes=k),
                "last_message_id": None,
            }  # fmt: skip

    bulk(Conversation.__table__, conversation_rows())
    conv_ids = list(db.session.scalars(select(Conversation.id).order_by(Conversation.id)))
    ctx["conversation"] = "bench00000000000"

    def message_rows() -> Iterator[dict[str, Any]]:
        for k, (cid, (a, b), size) in enumerate(zip(conv_ids, pairs, sizes, strict=True)):
            end = now - timedelta(minutes=k)
            for m in range(size):
                yield {
                    "conversation_id": cid, "sender_id": a if m % 2 == 0 else b,
                    "body": f"Chào bạn, mình gửi bản phác thảo số {m} nhé. Hẹn gặp ở Hà Nội!",
                    "idempotency_key": None, "created_at": end - timedelta(minutes=(size - m) * 3),
                    "hidden_at": None,
                }  # fmt: skip

    bulk(Message.__table__, message_rows())
    db.session.execute(
        text(
            "UPDATE conversations SET last_message_id = "
            "(SELECT max(id) FROM messages WHERE messages.conversation_id = conversations.id)"
        )
    )
    last = dict(db.session.execute(select(Conversation.id, Conversation.last_message_id)).all())
    bulk(
        Participant.__table__,
        (
            {"conversation_id": cid, "user_id": uid, "unread_count": 0, "last_read_message_id": last[cid],
             "last_read_at": now, "unread_since": None, "notified_through_id": last[cid]}
            for cid, pair in zip(conv_ids, pairs, strict=True) for uid in pair
        ),
    )  # fmt: skip


def reports(ctx: Context) -> None:
    """Open and handled reports on projects and profiles, and a few people waiting for approval."""

    now = datetime.now(UTC).replace(microsecond=0)
    ids: list[int] = ctx["designer_ids"]
    n = len(ids)
    count = max(n // 100, 20)
    projects = db.session.execute(
        select(Project.id, Project.owner_id).order_by(Project.id).limit(count)
    ).all()
    reasons = ["spam", "harassment", "plagiarism", "inappropriate", "scam", "other"]
    bulk(
        Report.__table__,
        (
            {"reporter_id": ids[(k * 13 + 5) % n], "target_type": "project", "target_id": pid,
             "subject_id": owner, "reason": reasons[k % 6], "details": "Có vẻ sao chép.", "snapshot": "",
             "status": "open" if k % 3 else "resolved", "created_at": now - timedelta(hours=k),
             "handled_at": None, "handled_by_id": None}
            for k, (pid, owner) in enumerate(projects)
        ),
    )  # fmt: skip
    pw = hash_password(PASSWORD)
    bulk(
        User.__table__,
        (
            build.account_columns(
                email=f"p{i}@bench.example.org", handle=f"pending-{i}", display_name=f"Lê Hà {i}",
                password_hash=pw, status=UserStatus.PENDING, created_at=now - timedelta(hours=i),
                email_verified_at=now, last_active_at=now,
            )
            for i in range(20)
        ),
    )  # fmt: skip


STEPS: list[Callable[[Context], None]] = [people, projects, calls, conversations, reports]


def generate(designers: int) -> Context:
    """Fill the (empty, migrated) database of the current app; commits once at the end."""
    ctx: Context = {"designers": designers}
    for step in STEPS:
        step(ctx)
        db.session.flush()
    db.session.commit()
    return ctx

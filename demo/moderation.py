"""Demo moderation: people waiting in both queues, open reports, a log with history, appeals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.models import AccountType, User, UserStatus
from app.accounts.passwords import hash_password
from app.db_types import utcnow
from app.extensions import db
from app.moderation.models import ActionKind, Appeal, RejectionTemplate, ReportReason
from app.portfolios.models import Project
from app.text import slugify
from demo import build
from demo.people import DEMO_PASSWORD

TEMPLATES = [
    (
        "Hồ sơ còn trống",
        "Hồ sơ của bạn chưa có dự án nào. Hãy thêm ít nhất hai dự án của chính bạn rồi "
        "viết cho chúng tôi: chúng tôi sẽ xem lại ngay.",
    ),
    (
        "Not your own work",
        "Some of the projects you posted appear to be by other designers. Post only your own "
        "work, crediting the people you worked with.",
    ),
    (
        "Organisation not verifiable",
        "We could not find the organisation on the web. Add a website or a public page we can "
        "check, and write to us.",
    ),
]

PENDING_DESIGNERS = [
    ("Lê Minh Châu", "Huế", "Tốt nghiệp Đại học Nghệ thuật Huế, vẽ minh hoạ sách thiếu nhi."),
    ("Nguyễn Bảo Trâm", "Hà Nội", "Thiết kế trang sức từ bạc và gốm Bát Tràng."),
    ("Putu Ayu Wulandari", "Denpasar", "Textile designer working with endek weavers."),
]

PENDING_ORGANISERS = [
    (
        "Phan Thanh Hải",
        "Xưởng Sáng tạo Hội An",
        "https://example.org/xuong-hoi-an",
        "Hội An",
        "Xưởng làm đèn lồng và không gian triển lãm cho nhà thiết kế trẻ.",
    ),
    (
        "Claire Dubois",
        "Biennale Design Jeunes Saint-Étienne",
        "https://example.org/biennale-jeunes",
        "Saint-Étienne",
        "Un appel annuel pour les designers de moins de 30 ans des villes créatives.",
    ),
]

REPORT_DETAILS = {
    ReportReason.SPAM: "Tài khoản này gửi cùng một quảng cáo in ấn trong nhiều dự án.",
    ReportReason.PLAGIARISM: "This poster is mine, from my 2022 graduation show.",
    ReportReason.INAPPROPRIATE: "Ảnh bìa không phù hợp với trang chủ.",
}


def load(context: dict[str, Any]) -> dict[str, int]:
    """Add the demo's moderation state (deterministic, from the shared rng)."""
    rng = context["rng"]
    designers: list[User] = context["designers"]
    moderator: User = context["moderator"]
    admin: User = context["admin"]
    now = utcnow()

    for position, (title, body) in enumerate(TEMPLATES):
        db.session.add(RejectionTemplate(title=title, body=body, position=position))

    pw = hash_password(DEMO_PASSWORD)
    pending = list(context.get("pending", []))
    for i, (name, city, bio) in enumerate(PENDING_DESIGNERS):
        user = build.person(
            email=f"pending-{i + 2}@example.org",
            handle=slugify(name, 26),
            display_name=name,
            password_hash=pw,
            status=UserStatus.PENDING,
            created_at=now - timedelta(days=1 + i * 3),
            profile={"bio": bio, "city": city, "country": "VN"},
        )
        pending.append(user)
    for i, (name, org, site, city, description) in enumerate(PENDING_ORGANISERS):
        build.person(
            email=f"new-organiser-{i + 1}@example.org",
            handle=slugify(name, 26),
            display_name=name,
            password_hash=pw,
            account_type=AccountType.ORGANISER,
            status=UserStatus.PENDING,
            created_at=now - timedelta(days=4 + i),
            profile={
                "organisation": org,
                "website": site,
                "city": city,
                "country": "FR" if "Étienne" in city else "VN",
                "description": description,
            },
        )

    # A history: approvals of the first members, a warning, a suspension that was appealed.
    log = 0
    for i, user in enumerate(designers[:8]):
        build.logged_action(
            ActionKind.APPROVE,
            actor=moderator,
            subject=user,
            created_at=now - timedelta(days=300 - i * 9),
        )
        log += 1
    warned = designers[5]
    build.logged_action(
        ActionKind.WARN,
        actor=moderator,
        subject=warned,
        reason="Xin đừng gửi cùng một tin nhắn mời chào cho nhiều thành viên.",
        created_at=now - timedelta(days=12),
    )
    suspended = designers[-1]
    suspended.status = UserStatus.SUSPENDED
    suspended.status_reason = "Repeated insults in messages after a warning."
    suspended.suspended_until = now + timedelta(days=6)
    suspension = build.logged_action(
        ActionKind.SUSPEND,
        actor=admin,
        subject=suspended,
        reason=suspended.status_reason,
        created_at=now - timedelta(days=1),
        days=7,
    )
    db.session.add(
        Appeal(
            action_id=suspension.id,
            user_id=suspended.id,
            text="I am sorry. I was angry after a jury decision; it will not happen again.",
            created_at=now - timedelta(hours=20),
        )
    )
    log += 2

    # Open reports: several people on one project (or profile), one each on others.
    projects = list(db.session.scalars(select(Project).order_by(Project.id).limit(3)))
    targets: list[tuple[str, int, User]] = [("project", p.id, p.owner) for p in projects]
    targets += [("profile", u.id, u) for u in designers[10:12]]
    reports = 0
    for n, (kind, target_id, owner) in enumerate(targets):
        reporters = [u for u in designers[:10] if u.id != owner.id][: 3 if n == 0 else 1]
        for reporter in reporters:
            reason = rng.choice(list(REPORT_DETAILS))
            build.report(
                reporter,
                target_type=kind,
                target_id=target_id,
                subject=owner,
                reason=reason,
                details=REPORT_DETAILS[reason],
                snapshot=owner.display_name,
                created_at=now - timedelta(hours=rng.randint(2, 90)),
            )
            reports += 1
    db.session.flush()
    context["pending"] = pending
    return {"pending": len(pending) + len(PENDING_ORGANISERS), "reports": reports, "log": log}

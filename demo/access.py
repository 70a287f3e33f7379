"""Demo calls not open to all: an under-35 award for the designers of the UNESCO Creative
Cities, for which a university and a Lyon studio nominate candidates, and an invite-only
masterclass whose organiser handed out access codes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from app.accounts.models import AccountType, User
from app.calls import access, nominations
from app.calls.models import AccessMode, CallKind, OpenCall, SubmissionStatus
from app.calls.services import own_projects
from demo import artworks, build

AWARD_DESCRIPTION = """\
The **Creative Cities Young Designer Award** honours designers under 35 from the UNESCO
Creative Cities of Design and Crafts of the region.

## How candidates are chosen

Candidates are **nominated**: each partner university or design centre puts forward up to
three designers it has seen grow. Nominated designers then complete their application here.

## The award

- 50.000.000 ₫ and a month's residency in Lyon
- a solo show at the Hanoi Creative Design Festival
"""

UNIVERSITY_ABOUT = (
    "Khoa Thiết kế của **Đại học Kiến trúc Hà Nội** đào tạo nhà thiết kế nội thất, đồ họa và "
    "sản phẩm từ năm 1969.\n\n- Xưởng gốm và mộc\n- Triển lãm tốt nghiệp mỗi tháng Sáu"
)


def load(
    *,
    owner: User,
    partner: User,
    designers: list[User],
    now: datetime,
    at: Any,
    call: Any,
) -> dict[str, int]:
    """The award (nominated) and the masterclass (invite-only); `call` builds a call as the
    other demo calls are built, `at(days)` is a deadline that many days away."""
    university = build.person(
        email="khoa.thietke@hau.example.org",
        handle="dai-hoc-kien-truc-ha-noi",
        display_name="TS. Trần Minh Đức",
        password_hash=owner.password_hash,
        created_at=now - timedelta(days=300),
        last_active_at=now - timedelta(hours=5),
        account_type=AccountType.ORGANISER,
        profile={
            "organisation": "Đại học Kiến trúc Hà Nội — Khoa Thiết kế",
            "website": "https://example.org/hau",
            "city": "Hà Nội",
            "country": "VN",
            "description": UNIVERSITY_ABOUT,
        },
    )
    logo, _alt_vi, _alt_en = artworks.draw("arches", 5, seed=1969, size=(480, 480))
    assert university.organiser_profile is not None
    build.give_logo(university.organiser_profile, logo, "Vòm gạch đỏ, biểu tượng của Khoa")

    award: OpenCall = call(
        owner,
        kind=CallKind.COMPETITION,
        title="Creative Cities Young Designer Award 2026 (under 35)",
        summary="Nominated by partner universities and design centres: designers under 35.",
        description=AWARD_DESCRIPTION,
        deadline_at=at(25),
        no_entry_fee=True,
        prizes="- 50.000.000 ₫\n- A month's residency in Lyon",
        max_projects=3,
        max_age=34,
        access_mode=AccessMode.NOMINATED,
    )
    seat = nominations.add_nominator(award, actor=owner, who=f"@{university.handle}", quota=3)
    nominations.add_nominator(award, actor=owner, who=f"@{partner.handle}", quota=2)
    first, second = designers[2], designers[5]
    for person in (first, second):
        nominations.nominate(seat, actor=university, candidate=f"@{person.handle}")
    nominations.nominate(seat, actor=university, candidate="sinh.vien.tot.nghiep@example.org")
    build.submission(
        award,
        first,
        projects=own_projects(first)[:2],
        statement="Tôi thiết kế đồ gốm cùng các nghệ nhân Bát Tràng, cho bữa cơm hằng ngày.",
        status=SubmissionStatus.SUBMITTED,
        submitted_at=now - timedelta(days=2),
    )

    masterclass: OpenCall = call(
        partner,
        kind=CallKind.RESIDENCY,
        title="Masterclass: Lacquer and light with Lyon's ateliers",
        summary="Ten places, by invitation: a week of lacquer and lighting workshops.",
        description="Participants receive an **access code** from their school or studio.",
        deadline_at=at(30),
        no_entry_fee=True,
        max_projects=2,
        access_mode=AccessMode.INVITE_ONLY,
    )
    codes = access.create_codes(
        masterclass, actor=partner, count=5, uses=1, label="Trường Mỹ thuật Công nghiệp"
    )
    access.create_codes(masterclass, actor=partner, count=1, uses=10, label="Xưởng sơn mài")
    access.redeem_code(masterclass, person=designers[3], text=codes[0].code)
    return {"nominations": 3, "access codes": len(codes) + 1}

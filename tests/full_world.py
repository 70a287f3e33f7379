"""The full world: one of everything, filled the way people fill things in (avatars, banners,
Markdown in every text, long Vietnamese names, several languages, a call with a juror,
applications and a review, conversations, reports, an appeal, a pending, a suspended and a
deleted neighbour). Used by the crawl (tests/test_crawl.py) and the `full_world` fixture."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.accounts.owndata import delete_account
from app.calls import services as calls_services
from app.calls.models import CallStatus, Decision
from app.db_types import utcnow
from app.extensions import db
from app.messaging import services as messaging_services
from app.moderation.models import ActionKind, Appeal
from app.opportunities import services as opportunities
from app.opportunities.services import AlertData
from app.social import services as social_services
from app.social.models import FeatureKind
from tests.calls.access_world import add_access
from tests.calls.factories import (
    make_call,
    make_full_call,
    make_juror,
    make_review,
    make_submission,
)
from tests.factories import (
    MARKDOWN_PROJECT,
    PASSWORD,
    give_avatar,
    make_full_designer,
    make_full_organiser,
    make_user,
)
from tests.moderation.factories import make_action, make_report
from tests.portfolios.factories import make_project


@dataclass
class FullWorld:
    users: dict[str, User]


def build_world() -> FullWorld:
    """One of everything, filled the way people fill things in."""
    designer = make_user(
        handle="mai-nguyen", display_name="Nguyễn Thị Mai", city="Hà Nội", country="VN"
    )
    give_avatar(designer)
    lantern = make_project(designer, title="Đèn lồng Hội An", images=2, stored=True)
    full = make_full_designer(handle="thao-nguyen-hoang", projects=2, images=2)
    organiser = make_full_organiser(handle="hcdc")
    juror = make_full_designer(
        handle="juror-lan", display_name="Đặng Ngọc Lan", projects=1, images=1, locale="en"
    )
    pending = make_user(
        handle="pending-bich", status=UserStatus.PENDING, bio="Sinh viên **năm cuối**."
    )
    suspended = make_user(handle="suspended-tung", status=UserStatus.SUSPENDED)
    moderator = make_user(handle="mod-khang", staff_role=StaffRole.MODERATOR)
    admin = make_user(handle="admin-hanh", staff_role=StaffRole.ADMIN)
    admin.locale = "fr"

    # An open call with a banner, every kind of question, a juror, applications and reviews.
    call = make_full_call(owner=organiser)
    make_call(owner=organiser, title="Bản nháp: Tuần lễ thiết kế", status=CallStatus.DRAFT)
    make_juror(call=call, user=juror)
    applied = make_submission(call=call, applicant=full, statement=MARKDOWN_PROJECT)
    make_submission(call=call, applicant=designer)
    make_review(submission=applied, juror=juror, score=4, comment="Rất **tốt**.")
    other_organiser = make_user(handle="bkk-week", account_type=AccountType.ORGANISER)
    bangkok = make_call(owner=other_organiser, title="Bangkok Design Week open call")
    # A call whose decisions were sent: Thảo agreed to its results page and won a prize.
    hue = make_call(owner=other_organiser, title="Giải thưởng Festival Huế")
    make_submission(
        call=hue,
        applicant=full,
        decision=Decision.ACCEPTED,
        decided_at=utcnow(),
        notified_at=utcnow(),
        results_consent=True,
        prize="Giải Nhất — <b>Áp phích</b>",
    )
    # Jury invitations: Lan has one to answer; an address without an account has a link; a
    # newcomer sits on the jury on the strength of the organisation's invitation (pending).
    calls_services.invite_juror(bangkok, actor=other_organiser, invitee="@juror-lan")
    calls_services.invite_juror(call, actor=organiser, invitee="Giám.Khảo@example.org")
    newcomer = make_user(
        handle="khach-moi", display_name="Vũ Thị Khách Mời", status=UserStatus.PENDING
    )
    make_juror(call=call, user=newcomer, approved_by_invitation_at=utcnow())
    add_access(owner=other_organiser, nominator=organiser, candidate=designer, pending=newcomer)

    # Conversations: the organiser wrote to both designers; the designer answered.
    for recipient in (designer, full):
        messaging_services.start_conversation(
            sender=organiser, recipient=recipient, text="Chào bạn, cảm ơn bạn đã nộp hồ sơ!"
        )
    messaging_services.start_conversation(
        sender=designer, recipient=juror, text="Chị Lan ơi, **cảm ơn** chị!"
    )

    # Moderation: a report on a project, a warning with its appeal, a pending person.
    reported = make_project(full, title="Áp phích bị báo cáo", images=1, stored=True)
    make_report(organiser, target_id=reported.id, subject=full, snapshot="Áp phích bị báo cáo")
    make_report(designer, target_type="profile", target_id=full.id, subject=full)
    make_action(designer, kind=ActionKind.WARN, actor=moderator)
    appealed = make_action(full, kind=ActionKind.WARN, actor=admin)
    db.session.add(Appeal(action_id=appealed.id, user_id=full.id, text="Xin xem lại ạ."))
    make_action(full, kind=ActionKind.WARN, actor=moderator)  # not appealed yet

    # Following and staff picks: Mai follows Thảo and the organisation, Thảo follows Mai; a
    # moderator features Mai's lantern project and Thảo for a week.
    for follower, followee in ((designer, full), (designer, organiser), (full, designer)):
        social_services.follow(actor=follower, person=followee)
    for kind, person, project in (("project", designer, lantern), ("designer", full, None)):
        social_services.feature(
            actor=moderator,
            kind=FeatureKind(kind),
            person=person,
            project=project,
            starts_at=utcnow() - timedelta(days=1),
            ends_at=utcnow() + timedelta(days=6),
            note="Lựa chọn của tuần",
        )

    # Neighbours: someone deleted their account after writing to Mai.
    gone = make_user(handle="phi-van-long", display_name="Phí Văn Long")
    messaging_services.start_conversation(sender=gone, recipient=designer, text="Tạm biệt!")
    delete_account(user=gone, password=PASSWORD)

    # Opportunities: Mai saved the open call; both designers keep an alert for new calls.
    opportunities.save_call(designer, call)
    for person in (designer, full):
        opportunities.create_alert(person, AlertData(kind="competition", no_fee=True))
    db.session.commit()
    return FullWorld(
        users={
            "pending": pending,
            "suspended": suspended,
            "designer": designer,
            "designer_full": full,
            "organiser": organiser,
            "juror": juror,
            "moderator": moderator,
            "admin": admin,
        }
    )

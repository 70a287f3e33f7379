"""Each moderation action: its effect, exactly one log line, and who is told."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import AccountType, StaffRole, User, UserStatus
from app.accounts.services import lift_expired_suspension
from app.calls import nominations
from app.calls import services as calls_services
from app.calls.access_models import Nomination, Nominator
from app.calls.models import JurorStatus
from app.db_types import utcnow
from app.extensions import db
from app.moderation import actions, targets
from app.moderation.models import (
    ActionKind,
    AppealStatus,
    ModerationAction,
    RejectionTemplate,
    ReportStatus,
)
from app.notifications.models import Notification
from app.profiles.models import Discipline
from app.profiles.services import save_discipline
from app.social import services as social_services
from app.social.models import FeatureKind
from tests.calls.factories import make_call, make_juror
from tests.factories import make_user
from tests.moderation.factories import make_action, make_project, make_report


@pytest.fixture(autouse=True)
def _request(app: Flask) -> Any:
    # Services translate what they tell people, as they do inside a request or a CLI command.
    with app.test_request_context():
        yield


def log_lines() -> list[ModerationAction]:
    return list(db.session.scalars(select(ModerationAction).order_by(ModerationAction.id)))


def _approve(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    person = make_user(status=UserStatus.PENDING)
    return ActionKind.APPROVE, lambda: (
        actions.approve(person=person, actor=mod),
        person.status == UserStatus.ACTIVE,
    )


def _reject(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    person = make_user(status=UserStatus.PENDING)
    return ActionKind.REJECT, lambda: (
        actions.reject(person=person, actor=mod, reason="Chưa có dự án nào."),
        person.status == UserStatus.REJECTED and person.status_reason == "Chưa có dự án nào.",
    )


def _hide(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    project = make_project(make_user())
    kind = targets.TARGETS["project"]
    return ActionKind.HIDE, lambda: (
        actions.hide_content(target=kind, obj=project, actor=mod, reason="Stolen work."),
        project.hidden_at is not None,
    )


def _restore(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    person = make_user()
    person.hidden_at = utcnow()
    kind = targets.TARGETS["profile"]
    return ActionKind.RESTORE, lambda: (
        actions.restore_content(target=kind, obj=person, actor=mod, reason="Fixed."),
        person.hidden_at is None,
    )


def _warn(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    person = make_user()
    return ActionKind.WARN, lambda: (
        actions.warn(person=person, actor=mod, reason="Be kind."),
        db.session.scalar(select(Notification.text).where(Notification.user_id == person.id))
        == "A moderator sent you a warning.",
    )


def _suspend(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    person = make_user()
    return ActionKind.SUSPEND, lambda: (
        actions.suspend(person=person, actor=mod, days=7, reason="Spam."),
        person.status == UserStatus.SUSPENDED
        and person.suspended_until is not None
        and person.suspended_until > utcnow() + timedelta(days=6),
    )


def _lift(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    person = make_user(status=UserStatus.SUSPENDED)
    person.approved_at = utcnow() - timedelta(days=100)  # a member before the suspension
    return ActionKind.LIFT_SUSPENSION, lambda: (
        actions.lift_suspension(person=person, actor=mod, reason="Appeal heard."),
        person.status == UserStatus.ACTIVE and person.suspended_until is None,
    )


def _resolve(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    project = make_project(make_user())
    report = make_report(make_user(), target_id=project.id, subject=project.owner)
    return ActionKind.RESOLVE_REPORT, lambda: (
        actions.resolve_reports(target_type="project", target_id=project.id, actor=mod),
        report.status == ReportStatus.RESOLVED and report.handled_by_id == mod.id,
    )


def _dismiss(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    project = make_project(make_user())
    report = make_report(make_user(), target_id=project.id, subject=project.owner)
    return ActionKind.DISMISS_REPORT, lambda: (
        actions.dismiss_reports(target_type="project", target_id=project.id, actor=mod),
        report.status == ReportStatus.DISMISSED,
    )


def _grant(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    person = make_user()
    return ActionKind.GRANT_ROLE, lambda: (
        actions.set_staff_role(person=person, role=StaffRole.MODERATOR, actor=mod),
        person.staff_role == StaffRole.MODERATOR,
    )


def _revoke(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    person = make_user(staff_role=StaffRole.MODERATOR)
    return ActionKind.REVOKE_ROLE, lambda: (
        actions.set_staff_role(person=person, role=StaffRole.NONE, actor=mod),
        person.staff_role == StaffRole.NONE,
    )


def _appeal(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    person = make_user()
    appeal = actions.file_appeal(
        action=make_action(person), person=person, text="Tôi không hiểu vì sao."
    )
    return ActionKind.APPEAL_DECIDED, lambda: (
        actions.decide_appeal(appeal=appeal, actor=mod, overturn=False, reason="It stands."),
        appeal.status == AppealStatus.UPHELD,
    )


def _discipline(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    def act() -> Any:
        d = save_discipline(
            discipline=None,
            actor=mod,
            slug="lacquer",
            names={"en": "Lacquer", "vi": "Sơn mài", "fr": "Laque"},
            position=99,
        )
        return d, db.session.get(Discipline, d.id).name("vi") == "Sơn mài"  # type: ignore[union-attr]

    return ActionKind.EDIT_DISCIPLINE, act


def _template(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    def act() -> Any:
        t = actions.save_rejection_template(
            template=None, actor=mod, title="Empty", body="Add a project first.", position=0
        )
        return t, db.session.get(RejectionTemplate, t.id) is not None

    return ActionKind.EDIT_REJECTION_TEMPLATE, act


def _revoke_jury(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    call = make_call(owner=make_user(account_type=AccountType.ORGANISER))
    person = make_user(status=UserStatus.PENDING)
    juror = make_juror(call=call, user=person, approved_by_invitation_at=utcnow())
    return ActionKind.REVOKE_JURY_APPROVAL, lambda: (
        calls_services.revoke_jury_approval(juror, actor=mod, reason="Không rõ danh tính."),
        juror.status == JurorStatus.REVOKED,
    )


def _feature(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    person = make_user()
    now = utcnow()

    def act() -> Any:
        pick = social_services.feature(
            actor=mod,
            kind=FeatureKind.DESIGNER,
            person=person,
            project=None,
            starts_at=now,
            ends_at=now + timedelta(days=7),
            note="Nhà thiết kế của tuần.",
        )
        return pick, social_services.staff_picks()[0].person.id == person.id

    return ActionKind.FEATURE, act


def _end_feature(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    person = make_user()
    now = utcnow()
    pick = social_services.feature(
        actor=mod,
        kind=FeatureKind.DESIGNER,
        person=person,
        project=None,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=7),
        note="",
    )
    return ActionKind.END_FEATURE, lambda: (
        social_services.end_feature(actor=mod, row=pick),
        social_services.staff_picks() == [],
    )


def _revoke_nomination(mod: User) -> tuple[ActionKind, Callable[[], Any]]:
    call = make_call(owner=make_user(account_type=AccountType.ORGANISER))
    university = make_user(account_type=AccountType.ORGANISER)
    seat = Nominator(call_id=call.id, user_id=university.id, quota=2, used=1)
    db.session.add(seat)
    db.session.flush()
    nomination = Nomination(
        call_id=call.id,
        nominator_id=seat.id,
        user_id=make_user(status=UserStatus.PENDING).id,
        approved_at=utcnow(),
    )
    db.session.add(nomination)
    return ActionKind.REVOKE_NOMINATION_APPROVAL, lambda: (
        nominations.revoke_approval(nomination, actor=mod, reason="Không rõ danh tính."),
        nomination.approved_at is None,
    )


ACTIONS = [
    _approve,
    _reject,
    _hide,
    _restore,
    _warn,
    _suspend,
    _lift,
    _resolve,
    _dismiss,
    _grant,
    _revoke,
    _appeal,
    _discipline,
    _template,
    _revoke_jury,
    _feature,
    _end_feature,
    _revoke_nomination,
]


@pytest.mark.parametrize("arrange", ACTIONS, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.usefixtures("app")
def test_each_action_has_its_effect_and_one_log_line(
    admin: User, arrange: Callable[[User], tuple[ActionKind, Callable[[], Any]]]
) -> None:
    kind, act = arrange(admin)
    db.session.flush()
    before = len(log_lines())

    _result, effect = act()
    db.session.commit()

    lines = log_lines()
    assert len(lines) == before + 1
    assert lines[-1].kind == kind
    assert lines[-1].actor_id == admin.id
    assert effect


def test_every_action_kind_a_moderator_takes_is_walked() -> None:
    not_from_moderators = {
        ActionKind.VERIFY_ORGANISER,  # verifying is approving an organiser
        ActionKind.CREATE_ADMIN,  # command line
        ActionKind.DELETE_ACCOUNT,  # the person themselves
        ActionKind.JURY_APPROVAL,  # a verified organisation's invitation, when it is accepted
        ActionKind.NOMINATION_APPROVAL,  # a verified organisation's nomination of a pending person
    }
    assert len(ACTIONS) == len(set(ActionKind) - not_from_moderators)


@pytest.mark.usefixtures("app")
def test_overturning_an_appeal_reverses_the_suspension(moderator: User) -> None:
    person = make_user()
    suspension = actions.suspend(person=person, actor=make_user(), days=None, reason="Spam.")
    appeal = actions.file_appeal(action=suspension, person=person, text="It was my friend.")
    db.session.commit()

    actions.decide_appeal(appeal=appeal, actor=moderator, overturn=True, reason="Believable.")
    db.session.commit()

    assert person.status == UserStatus.ACTIVE
    kinds = [a.kind for a in log_lines()][-2:]
    assert kinds == [ActionKind.LIFT_SUSPENSION, ActionKind.APPEAL_DECIDED]


@pytest.mark.usefixtures("app")
def test_one_appeal_per_action() -> None:
    person = make_user()
    action = make_action(person)
    actions.file_appeal(action=action, person=person, text="Please look again.")
    with pytest.raises(actions.DuplicateAppeal):
        actions.file_appeal(action=action, person=person, text="Again!")


@pytest.mark.usefixtures("app")
def test_nobody_appeals_someone_elses_decision() -> None:
    action = make_action(make_user())
    with pytest.raises(actions.ModerationError):
        actions.file_appeal(action=action, person=make_user(), text="Not mine.")


@pytest.mark.usefixtures("app")
def test_the_last_admin_cannot_be_demoted(admin: User) -> None:
    with pytest.raises(actions.ModerationError, match="at least one admin"):
        actions.set_staff_role(person=admin, role=StaffRole.MODERATOR, actor=admin)
    assert admin.staff_role == StaffRole.ADMIN


@pytest.mark.usefixtures("app")
def test_an_admin_can_step_down_when_another_remains(admin: User) -> None:
    other = make_user(staff_role=StaffRole.ADMIN)
    actions.set_staff_role(person=admin, role=StaffRole.NONE, actor=other)
    assert admin.staff_role == StaffRole.NONE


@pytest.mark.usefixtures("app")
def test_suspension_ends_by_itself_when_its_time_has_passed(moderator: User) -> None:
    person = make_user()
    with time_machine.travel("2026-03-01 09:00Z", tick=False):
        actions.suspend(person=person, actor=moderator, days=1, reason="Cool down.")
        db.session.commit()
    with time_machine.travel("2026-03-01 23:00Z", tick=False):
        lift_expired_suspension(person)
        assert person.status == UserStatus.SUSPENDED
    with time_machine.travel("2026-03-02 09:01Z", tick=False):
        lift_expired_suspension(person)
        assert person.status == UserStatus.ACTIVE
        assert person.suspended_until is None


@pytest.mark.usefixtures("app", "outbox")
def test_resolving_tells_every_reporter(moderator: User) -> None:
    project = make_project(make_user())
    reporters = [make_user(), make_user()]
    for reporter in reporters:
        make_report(reporter, target_id=project.id, subject=project.owner)
    db.session.commit()

    actions.resolve_reports(target_type="project", target_id=project.id, actor=moderator)
    db.session.commit()

    for reporter in reporters:
        text = db.session.scalar(
            select(Notification.text).where(Notification.user_id == reporter.id)
        )
        assert text is not None
        assert "took action" in text
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(ModerationAction)
            .where(ModerationAction.kind == ActionKind.RESOLVE_REPORT)
        )
        == 1
    )


@pytest.mark.usefixtures("designer")
def test_suspend_and_lift_from_the_command_line(app: Flask, designer: User) -> None:
    runner = app.test_cli_runner()

    suspended = runner.invoke(
        args=["users", "suspend", "mai-nguyen", "--days", "7", "--reason", "Spam."]
    )
    db.session.expire_all()
    assert suspended.exit_code == 0, suspended.output
    assert db.session.get(User, designer.id).status == UserStatus.SUSPENDED  # type: ignore[union-attr]

    lifted = runner.invoke(args=["users", "lift", "mai-nguyen"])
    db.session.expire_all()
    assert lifted.exit_code == 0, lifted.output
    assert db.session.get(User, designer.id).status == UserStatus.ACTIVE  # type: ignore[union-attr]
    kinds = [a.kind for a in log_lines()]
    assert kinds == [ActionKind.SUSPEND, ActionKind.LIFT_SUSPENSION]

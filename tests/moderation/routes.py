"""Permission expectations for moderation, admin, reporting and appeal routes."""

from __future__ import annotations

from app.accounts.models import UserStatus
from app.extensions import db
from app.moderation.actions import appeal_token
from app.moderation.models import ActionKind, Appeal, RejectionTemplate
from tests.factories import make_user
from tests.moderation.factories import make_action, make_project, make_report
from tests.permissions import LOGIN, Route, World, everyone, logged_in


def setup(world: World) -> None:
    member = world.users["member"]
    target = make_user(handle="w-target")
    pending = make_user(handle="w-mod-applicant", status=UserStatus.PENDING)
    project = make_project(target)
    make_report(world.users["organiser"], target_id=project.id, subject=target)
    action = make_action(member, kind=ActionKind.WARN)
    other_action = make_action(target, kind=ActionKind.WARN)
    appeal = Appeal(action_id=other_action.id, user_id=target.id, text="Xin xem lại.")
    template = RejectionTemplate(title="Empty", body="Your portfolio is empty.")
    db.session.add_all([appeal, template])
    db.session.flush()
    world.objects.update(
        mod_target=target,
        mod_pending=pending,
        mod_project=project,
        mod_action=action,
        mod_appeal=appeal,
        mod_template=template,
        mod_template_id=template.id,
    )


def staff(status: int, admin: int | None = None) -> dict[str, int]:
    """Moderators and admins get `status`; other people 403; anonymous and suspended log in."""
    return logged_in(403, moderator=status, admin=status if admin is None else admin)


def admins(status: int) -> dict[str, int]:
    return logged_in(403, admin=status)


def _o(world: World, key: str) -> int:
    return int(world.objects[key].id)


ROUTES = [
    Route("moderation.dashboard", "GET", "/moderation", staff(200)),
    Route("moderation.members", "GET", "/moderation/members", staff(200)),
    Route("moderation.organisers", "GET", "/moderation/organisers", staff(200)),
    Route(
        "moderation.person",
        "GET",
        lambda w: f"/moderation/people/{_o(w, 'mod_target')}",
        staff(200),
    ),
    Route(
        "moderation.approve",
        "POST",
        lambda w: f"/moderation/people/{_o(w, 'mod_pending')}/approve",
        staff(302),
    ),
    Route(
        "moderation.reject",
        "POST",
        lambda w: f"/moderation/people/{_o(w, 'mod_pending')}/reject",
        staff(422),
    ),
    Route(
        "moderation.warn",
        "POST",
        lambda w: f"/moderation/people/{_o(w, 'mod_target')}/warn",
        staff(422),
    ),
    Route(
        "moderation.suspend",
        "POST",
        lambda w: f"/moderation/people/{_o(w, 'mod_target')}/suspend",
        staff(422),
    ),
    Route(
        "moderation.lift",
        "POST",
        lambda w: f"/moderation/people/{_o(w, 'mod_target')}/lift",
        # Not suspended: the moderator is told so and sent back to the person's page.
        staff(302),
    ),
    Route("moderation.reports", "GET", "/moderation/reports", staff(200)),
    Route(
        "moderation.target",
        "GET",
        lambda w: f"/moderation/targets/project/{_o(w, 'mod_project')}",
        staff(200),
    ),
    Route(
        "moderation.hide",
        "POST",
        lambda w: f"/moderation/targets/project/{_o(w, 'mod_project')}/hide",
        staff(422),
    ),
    Route(
        "moderation.restore",
        "POST",
        lambda w: f"/moderation/targets/project/{_o(w, 'mod_project')}/restore",
        staff(422),
    ),
    Route(
        "moderation.resolve",
        "POST",
        lambda w: f"/moderation/targets/project/{_o(w, 'mod_project')}/resolve",
        staff(422),
    ),
    Route(
        "moderation.dismiss",
        "POST",
        lambda w: f"/moderation/targets/project/{_o(w, 'mod_project')}/dismiss",
        staff(302),
    ),
    Route("moderation.log", "GET", "/moderation/log", staff(200)),
    Route("moderation.appeals", "GET", "/moderation/appeals", staff(200)),
    Route(
        "moderation.appeal",
        "GET",
        lambda w: f"/moderation/appeals/{_o(w, 'mod_appeal')}",
        staff(200),
    ),
    Route(
        "moderation.appeal",
        "POST",
        lambda w: f"/moderation/appeals/{_o(w, 'mod_appeal')}",
        staff(422),
    ),
    # Reporting: anyone logged in, except on their own content.
    Route(
        "report.report",
        "GET",
        lambda w: f"/report/project/{_o(w, 'mod_project')}",
        logged_in(200),
    ),
    Route(
        "report.report",
        "POST",
        lambda w: f"/report/project/{_o(w, 'mod_project')}",
        logged_in(422),
    ),
    # A person's own pages.
    Route("account.moderation", "GET", "/account/moderation", logged_in(200)),
    Route(
        "account.appeal",
        "GET",
        lambda w: f"/account/moderation/{_o(w, 'mod_action')}/appeal",
        logged_in(404, member=200),
    ),
    Route(
        "account.appeal",
        "POST",
        lambda w: f"/account/moderation/{_o(w, 'mod_action')}/appeal",
        logged_in(404, member=422),
    ),
    Route(
        "account.appeal_with_token",
        "GET",
        lambda w: f"/account/appeal/{appeal_token(w.users['member'], w.objects['mod_action'])}",
        everyone(200),
    ),
    Route(
        "account.appeal_with_token",
        "POST",
        lambda w: f"/account/appeal/{appeal_token(w.users['member'], w.objects['mod_action'])}",
        everyone(422),
    ),
    # Administration.
    Route("admin.staff", "GET", "/admin/staff", admins(200)),
    Route("admin.grant", "POST", "/admin/staff", admins(422)),
    Route(
        "admin.set_role",
        "POST",
        lambda w: f"/admin/staff/{w.users['member'].id}",
        admins(302),
    ),
    Route("admin.reasons", "GET", "/admin/reasons", admins(200)),
    Route("admin.add_reason", "POST", "/admin/reasons", admins(422)),
    Route(
        "admin.edit_reason",
        "POST",
        lambda w: f"/admin/reasons/{_o(w, 'mod_template')}",
        admins(422),
    ),
    Route(
        "admin.delete_reason",
        "POST",
        lambda w: f"/admin/reasons/{w.objects['mod_template_id']}/delete",
        admins(302),
    ),
    Route("admin.statistics", "GET", "/admin/stats", admins(200)),
]

assert LOGIN == 302

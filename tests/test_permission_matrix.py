from __future__ import annotations

import pytest
from flask import Flask

from app.accounts.models import AccountType, StaffRole, UserStatus
from app.extensions import db
from tests.conftest import Client
from tests.factories import make_user
from tests.permissions import ROLES, Route, World, all_routes, domain_modules

ROUTES = all_routes()
# Endpoints that are not pages of the app.
IGNORED = {"static"}


def build_world() -> World:
    users = {
        "pending": make_user(handle="w-pending", status=UserStatus.PENDING),
        "member": make_user(handle="w-member"),
        "organiser": make_user(handle="w-organiser", account_type=AccountType.ORGANISER),
        "juror": make_user(handle="w-juror"),
        "moderator": make_user(handle="w-moderator", staff_role=StaffRole.MODERATOR),
        "admin": make_user(handle="w-admin", staff_role=StaffRole.ADMIN),
        "suspended": make_user(handle="w-suspended", status=UserStatus.SUSPENDED),
    }
    world = World(users=users)
    for module in domain_modules():
        setup = getattr(module, "setup", None)
        if setup is not None:
            setup(world)
    db.session.commit()
    return world


def test_every_route_has_an_expectation(app: Flask) -> None:
    listed = {(r.endpoint, r.method) for r in ROUTES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in IGNORED:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in listed:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without a permission expectation:\n" + "\n".join(missing)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.endpoint}")
@pytest.mark.usefixtures("make_app")
def test_route_answers_each_role_as_expected(app: Flask, route: Route) -> None:
    world = build_world()
    expected = route.statuses()
    got: dict[str, int] = {}
    for role in ROLES:
        app.test_client_class = Client
        client: Client = app.test_client()  # type: ignore[assignment]
        if role == "suspended":
            # A suspended person whose session was started before the suspension.
            world.users[role].status = UserStatus.ACTIVE
            db.session.commit()
            client.login_as(world.users[role])
            world.users[role].status = UserStatus.SUSPENDED
            db.session.commit()
        elif role != "anonymous":
            client.login_as(world.users[role])
        path = route.path(world)
        if route.method == "GET":
            response = client.get(path)
        else:
            data = route.data(world) if route.data else {}
            response = client.post_form(path, data)
        got[role] = response.status_code
        db.session.rollback()
    assert got == expected, f"{route.method} {route.path(world)}"

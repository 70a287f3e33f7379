"""Permission expectations for portfolios, media and search routes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.permissions import LOGIN, Route, World, everyone, logged_in
from tests.portfolios.factories import make_project


def setup(world: World) -> None:
    member = world.users["member"]
    project = make_project(member, title="Lacquer screens", stored=True)
    # Plain values: the delete route removes the project while later roles still build URLs.
    world.objects["project"] = {
        "id": project.id,
        "slug": project.slug,
        "image": project.images[0].url(400),
    }
    world.objects["draft"] = make_project(world.users["pending"], title="Draft", published=False)


def _project(world: World) -> dict[str, Any]:
    project: dict[str, Any] = world.objects["project"]
    return project


def _own(path: str) -> Callable[[World], str]:
    return lambda w: f"/me/projects/{_project(w)['id']}{path}"


# Only the owner (the member) reaches their project's editor; everyone else gets 404.
OWNER_ONLY = {
    "anonymous": LOGIN,
    "pending": 404,
    "organiser": 404,
    "juror": 404,
    "moderator": 404,
    "admin": 404,
    "suspended": LOGIN,
}
DESIGNERS = logged_in(200, organiser=403)

ROUTES = [
    Route("portfolios.directory", "GET", "/designers", everyone(200)),
    Route("portfolios.portfolio", "GET", "/designers/w-member", everyone(200)),
    Route(
        "portfolios.project",
        "GET",
        lambda w: f"/designers/w-member/projects/{_project(w)['slug']}",
        everyone(200),
    ),
    Route(
        "portfolios.appreciate",
        "POST",
        lambda w: f"/designers/w-member/projects/{_project(w)['slug']}/appreciate",
        logged_in(302, pending=403, member=403),
    ),
    Route("portfolios.edit_profile", "GET", "/me/profile", DESIGNERS),
    Route(
        "portfolios.edit_profile",
        "POST",
        "/me/profile",
        logged_in(422, organiser=403),
        data=lambda _w: {"display_name": ""},
    ),
    Route("portfolios.my_projects", "GET", "/me/projects", DESIGNERS),
    Route("portfolios.new_project", "GET", "/me/projects/new", DESIGNERS),
    Route("portfolios.new_project", "POST", "/me/projects/new", logged_in(422, organiser=403)),
    Route("portfolios.edit_project", "GET", _own(""), {**OWNER_ONLY, "member": 200}),
    Route(
        "portfolios.edit_project",
        "POST",
        _own(""),
        {**OWNER_ONLY, "member": 422},
        data=lambda _w: {"title": ""},
    ),
    Route("portfolios.upload_images", "POST", _own("/images"), {**OWNER_ONLY, "member": 422}),
    Route(
        "portfolios.manage_images",
        "POST",
        _own("/images/manage"),
        {**OWNER_ONLY, "member": 302},
    ),
    Route("portfolios.publish_project", "POST", _own("/publish"), {**OWNER_ONLY, "member": 302}),
    Route(
        "portfolios.unpublish_project",
        "POST",
        _own("/unpublish"),
        {**OWNER_ONLY, "member": 302},
    ),
    Route("portfolios.delete_project", "POST", _own("/delete"), {**OWNER_ONLY, "member": 302}),
    Route("media.serve", "GET", lambda w: _project(w)["image"], everyone(200)),
    Route("search.results", "GET", "/search?q=lacquer", everyone(200)),
]

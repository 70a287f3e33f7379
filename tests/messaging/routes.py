"""Permission expectations for the messaging routes: only participants see a conversation."""

from __future__ import annotations

from app.messaging import services
from tests.factories import make_user
from tests.permissions import Route, World, everyone, logged_in


def setup(world: World) -> None:
    target = make_user(handle="w-msg-target", display_name="Target Person")
    sent = services.start_conversation(
        sender=world.users["organiser"],
        recipient=world.users["member"],
        text="Chào bạn, cảm ơn bạn đã nộp hồ sơ.",
    )
    world.objects["msg_target"] = target
    world.objects["msg_conversation"] = sent.conversation
    world.objects["msg_message"] = sent.message


def _conv(world: World) -> str:
    return f"/messages/{world.objects['msg_conversation'].public_id}"


def _report(world: World) -> str:
    return f"{_conv(world)}/report/{world.objects['msg_message'].id}"


# Participants (the member and the organiser) get the page; every other role gets 404.
PARTICIPANTS = logged_in(404, member=200, organiser=200)


ROUTES = [
    Route("messaging.inbox", "GET", "/messages", logged_in(200)),
    Route("messaging.settings", "GET", "/messages/settings", logged_in(200)),
    Route(
        "messaging.settings",
        "POST",
        "/messages/settings",
        logged_in(302),
        data=lambda _w: {"digest": "digest"},
    ),
    Route("messaging.new", "GET", "/messages/new/w-msg-target", logged_in(200, pending=403)),
    Route("messaging.new", "POST", "/messages/new/w-msg-target", logged_in(422, pending=403)),
    Route("messaging.conversation", "GET", _conv, PARTICIPANTS),
    Route("messaging.reply", "POST", _conv, logged_in(404, member=422, organiser=422)),
    Route("messaging.poll", "GET", lambda w: f"{_conv(w)}/poll", PARTICIPANTS),
    # Only the member may report: the organiser wrote the message.
    Route("messaging.report", "GET", _report, logged_in(404, member=200)),
    Route("messaging.report", "POST", _report, logged_in(404, member=422)),
    Route("messaging.block", "POST", "/messages/block/w-msg-target", everyone(302)),
    Route("messaging.unblock", "POST", "/messages/unblock/w-msg-target", everyone(302)),
]

"""Open calls in the application: pages, command group, archive and deletion parts, calls as
moderated content and in the search."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.accounts import invitations
from app.accounts.models import User
from app.accounts.owndata import add_parts
from app.calls import (
    access,
    access_owndata,
    access_views,
    cli,
    decision_views,
    nominations,
    owndata,
    queries,
    review_owndata,
    round_views,
    search,
    services,
    views,
)
from app.calls.models import CallStatus, OpenCall
from app.media.deferred import register_slot
from app.moderation import targets
from app.notifications import subjects
from app.portfolios.queries import register_designer_fact
from app.search.services import register_reindexer


def _call_owner(call: OpenCall) -> User:
    return call.owner


def _read_invitation(token: str) -> invitations.Invitation:
    try:
        email, lead = services.invitation_for_signup(token)
    except services.CallError as exc:
        raise invitations.InvitationError(str(exc)) from None
    welcome = _("Welcome! Your address is confirmed and you are on the jury.")
    return invitations.Invitation(email=email, lead=lead, welcome=welcome)


def _join_jury(token: str, user: User) -> str:
    """Seat the person who just signed up from a jury invitation; they land on the applications."""
    try:
        juror = services.accept_by_link(token, person=user)
    except services.CallError as exc:
        raise invitations.InvitationError(str(exc)) from None
    return url_for("calls.submissions", slug=juror.call.slug)


def _read_nomination(token: str) -> invitations.Invitation:
    try:
        email, lead = nominations.signup_lead(token)
    except access.AccessError as exc:
        raise invitations.InvitationError(str(exc)) from None
    welcome = _("Welcome! Your address is confirmed: complete your application.")
    return invitations.Invitation(email=email, lead=lead, welcome=welcome)


def _join_nomination(token: str, user: User) -> str:
    """The nominated person just signed up from their link: on to the application."""
    try:
        nomination = nominations.join_by_link(token, person=user)
    except access.AccessError as exc:
        raise invitations.InvitationError(str(exc)) from None
    return url_for("calls.apply", slug=nomination.call.slug)


def register(app: Flask) -> None:
    # Whether a portfolio has credits to list, read with the designer's row: most have none,
    # and their page then needs no statement for them.
    register_designer_fact("has_credits", services.has_credits)
    app.register_blueprint(views.bp)
    app.register_blueprint(decision_views.bp)
    app.register_blueprint(access_views.bp)
    app.register_blueprint(cli.bp)
    app.register_blueprint(round_views.bp)
    add_parts(exporters=[owndata.export_submissions], erasers=[owndata.erase_calls])
    # A new banner is resized after the response, by a background job.
    register_slot(services.BANNER_SLOT)
    add_parts(exporters=[access_owndata.export_nominations], erasers=[access_owndata.erase_access])
    add_parts(exporters=[review_owndata.export_reviews])
    targets.register(
        targets.TargetType(
            "call",
            OpenCall,
            owner=_call_owner,
            title=lambda call: call.title,
            public_url=lambda call: call.path,
            load_options=(joinedload(OpenCall.owner),),
            snapshot=lambda call: f"{call.title}\n\n{call.summary}\n\n{call.description}"[:10000],
            public=lambda call: call.status != CallStatus.DRAFT,
            on_visibility_change=search.reindex_call,
        )
    )
    register_reindexer("call", search.reindex_all_calls)
    subjects.register(app, "calls", queries.call_exists)
    invitations.register(app, read=_read_invitation, redeem=_join_jury)
    invitations.register(
        app, read=_read_nomination, redeem=_join_nomination, prefix=nominations.TOKEN_PREFIX
    )

"""The inbox, conversations, starting one, blocking, reporting, polling and settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts.models import User, UserStatus
from app.calls.models import OpenCall
from app.calls.queries import applicant_topic
from app.commits import commit_keeping_loaded
from app.db_types import utcnow
from app.extensions import db
from app.forms import ConfirmForm
from app.i18n import clock, day, local_time, viewer_locale
from app.mail.models import Delivery
from app.messaging import limits, services
from app.messaging.forms import DigestForm, MessageForm, ReportForm
from app.messaging.models import Conversation, Message, Participant
from app.messaging.policies import (
    can_block,
    can_message,
    can_report_message,
    can_send_messages,
    can_show_message_button,
    can_view_conversation,
    is_blocked_between,
)
from app.messaging.text import first_line, render
from app.moderation.models import ReportReason
from app.moderation.services import DuplicateReport
from app.navigation import nav_count
from app.pagination import Page, page_number
from app.permissions import require
from app.urls import safe_next

bp = Blueprint("messaging", __name__, url_prefix="/messages")

INBOX_PAGE = 20
MESSAGES_PAGE = 30


@bp.app_template_global()
def unread_messages_count() -> int:
    """The unread badge of the navigation (app.navigation: one query for every badge)."""
    return nav_count("unread_messages")


@bp.app_context_processor
def messaging_policies() -> dict[str, Any]:
    return {
        "can_send_messages": can_send_messages,
        "can_show_message_button": can_show_message_button,
        "can_block": can_block,
    }


@bp.app_template_global()
def has_blocked(other: User) -> bool:
    """Whether the viewer blocked this person (for the block/unblock button)."""
    return bool(current_user.is_authenticated and services.has_blocked(current_user, other))


@bp.app_template_filter("message_time")
def message_time(value: datetime) -> str:
    """The time alone for today's messages, the date otherwise (viewer's zone and language)."""
    local = local_time(value)
    today = g.get("_messaging_today")
    if today is None:
        today = g._messaging_today = local_time(utcnow()).date()
    if local.date() == today:
        return clock(local)
    return day(local.date(), "medium", viewer_locale())


@bp.app_template_filter("message_text")
def message_text_filter(body: str) -> Any:
    return render(body)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _load(public_id: str) -> tuple[Conversation, Participant, Participant, User]:
    found = services.load_for_participant(public_id, current_user)
    require(can_view_conversation(current_user, found[1] if found else None), status=404)
    assert found is not None
    return found


def _active_member_or_404(handle: str) -> User:
    user = db.session.scalar(select(User).where(User.handle == handle))
    if user is None or user.status != UserStatus.ACTIVE or user.id == current_user.id:
        abort(404)
    return user


@bp.get("")
@login_required
def inbox() -> ResponseReturnValue:
    number = page_number(request.args)
    rows = services.inbox_rows(current_user, page=number, per_page=INBOX_PAGE)
    page = Page(
        items=rows[:INBOX_PAGE], number=number, per_page=INBOX_PAGE, has_next=len(rows) > INBOX_PAGE
    )
    return render_template(
        "messaging/inbox.html", rows=page.items, page=page, first_line=first_line
    )


def _conversation_page(
    conversation: Conversation,
    me: Participant,
    other_side: Participant,
    other: User,
    *,
    form: MessageForm,
    status: int = 200,
    limit_error: str | None = None,
) -> ResponseReturnValue:
    before = request.args.get("before", type=int)
    messages, has_earlier = services.messages_page(conversation, before=before, limit=MESSAGES_PAGE)
    blocked = is_blocked_between(current_user, other)
    i_blocked = blocked and services.has_blocked(current_user, other)
    marked = before is None and services.mark_read(participant=me, conversation=conversation)
    html = render_template(
        "messaging/conversation.html",
        conversation=conversation,
        me=me,
        other=other,
        other_side=other_side,
        messages=messages,
        has_earlier=has_earlier,
        earlier_before=messages[0].id if messages else None,
        before=before,
        form=form,
        may_reply=can_message(current_user, other, blocked=blocked),
        blocked=blocked,
        i_blocked=i_blocked,
        limit_error=limit_error,
        confirm=ConfirmForm(),
    )
    if marked:
        # Committed after rendering, so that the rendered objects are not expired and reloaded.
        db.session.commit()
    return html, status


@bp.get("/<public_id>")
@login_required
def conversation(public_id: str) -> ResponseReturnValue:
    conv, me, other_side, other = _load(public_id)
    return _conversation_page(conv, me, other_side, other, form=MessageForm(formdata=None))


def _limit_message(kind: str) -> str:
    if kind == "conversation":
        return _(
            "You have started many conversations in the last hour. Your message is kept below: "
            "please send it a little later."
        )
    return _(
        "You are sending messages very quickly. Your message is kept below: "
        "wait a minute, then send it again."
    )


@bp.post("/<public_id>")
@login_required
def reply(public_id: str) -> ResponseReturnValue:
    conv, me, other_side, other = _load(public_id)
    form = MessageForm()
    if not form.validate_on_submit():
        if _wants_json():
            return jsonify(errors=form.errors), 422
        return _conversation_page(conv, me, other_side, other, form=form, status=422)
    if not limits.allowed("message", current_user):
        if _wants_json():
            return jsonify(errors={"body": [_limit_message("message")]}), 429
        return _conversation_page(
            conv,
            me,
            other_side,
            other,
            form=form,
            status=429,
            limit_error=_limit_message("message"),
        )
    try:
        sent = services.send_message(
            sender=current_user,
            conversation=conv,
            recipient=other,
            text=form.body.data or "",
            idempotency_key=form.token.data or None,
        )
    except services.MessagingError as exc:
        db.session.rollback()
        if _wants_json():
            return jsonify(errors={"body": [str(exc.reason)]}), 403
        form.body.errors = [*form.body.errors, str(exc.reason)]
        return _conversation_page(conv, me, other_side, other, form=form, status=403)
    # The message, the conversation and the sender stay loaded: counting the send against the
    # limits and the redirect (or the JSON answer) read them again for free.
    commit_keeping_loaded()
    if sent.created:
        limits.record("message", current_user)
    if _wants_json():
        return jsonify(
            html=render_template(
                "messaging/_messages.html", messages=[sent.message], other=other, conversation=conv
            ),
            last_id=sent.message.id,
            token=MessageForm(formdata=None).token.data,
        )
    return redirect(url_for("messaging.conversation", public_id=public_id) + f"#m{sent.message.id}")


@bp.get("/<public_id>/poll")
@login_required
def poll(public_id: str) -> ResponseReturnValue:
    conv, me, _other_side, other = _load(public_id)
    after = request.args.get("after", 0, type=int) or 0
    messages = services.messages_after(conv, after)
    marked = bool(messages) and services.mark_read(participant=me, conversation=conv)
    response = jsonify(
        html=render_template(
            "messaging/_messages.html", messages=messages, other=other, conversation=conv
        )
        if messages
        else "",
        last_id=messages[-1].id if messages else after,
        unread=unread_messages_count(),
    )
    if marked:
        db.session.commit()
    return response


@bp.route("/new/<handle>", methods=["GET", "POST"])
@login_required
def new(handle: str) -> ResponseReturnValue:
    recipient = _active_member_or_404(handle)
    if not can_send_messages(current_user):
        return render_template("messaging/cannot.html", recipient=recipient, pending=True), 403
    blocked = is_blocked_between(current_user, recipient)
    if not can_message(current_user, recipient, blocked=blocked):
        return render_template("messaging/cannot.html", recipient=recipient, pending=False), 403
    topic = _call_topic(recipient)
    existing = services.find_conversation(current_user, recipient)
    if existing is not None and request.method == "GET" and topic is None:
        return redirect(url_for("messaging.conversation", public_id=existing.public_id))
    form = MessageForm()
    limit_error = None
    if form.validate_on_submit():
        kind = "message" if existing else "conversation"
        if not limits.allowed(kind, current_user) or not limits.allowed("message", current_user):
            limit_error = _limit_message(kind)
            return render_template(
                "messaging/new.html",
                form=form,
                recipient=recipient,
                limit_error=limit_error,
                topic=topic,
            ), 429
        try:
            sent = services.start_conversation(
                sender=current_user,
                recipient=recipient,
                text=form.body.data or "",
                idempotency_key=form.token.data or None,
                topic_type="call" if topic else None,
                topic_id=topic.id if topic else None,
                topic_label=topic.title if topic else None,
                blocked=blocked,
            )
        except services.MessagingError as exc:
            db.session.rollback()
            form.body.errors = [*form.body.errors, str(exc.reason)]
            return render_template(
                "messaging/new.html", form=form, recipient=recipient, topic=topic
            ), 403
        commit_keeping_loaded()
        if sent.created:
            limits.record(kind, current_user)
            limits.record("message", current_user)
            flash(_("Your message was sent to %(name)s.", name=recipient.display_name), "success")
        return redirect(url_for("messaging.conversation", public_id=sent.conversation.public_id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "messaging/new.html", form=form, recipient=recipient, topic=topic
    ), status


def _call_topic(recipient: User) -> OpenCall | None:
    """With ?call=<slug>, the call an organiser writes to one of its applicants about."""
    slug = request.args.get("call", "")
    if not slug:
        return None
    return applicant_topic(current_user, recipient, slug)


@bp.post("/block/<handle>")
@login_required
def block(handle: str) -> ResponseReturnValue:
    other = db.session.scalar(select(User).where(User.handle == handle))
    if other is None or not can_block(current_user, other):
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.block(actor=current_user, other=other)
        db.session.commit()
        flash(
            _(
                "You blocked %(name)s. Neither of you can send the other messages now.",
                name=other.display_name,
            ),
            "success",
        )
    return redirect(safe_next(url_for("messaging.inbox")))


@bp.post("/unblock/<handle>")
@login_required
def unblock(handle: str) -> ResponseReturnValue:
    other = db.session.scalar(select(User).where(User.handle == handle))
    if other is None or not can_block(current_user, other):
        abort(404)
    if ConfirmForm().validate_on_submit() and services.unblock(actor=current_user, other=other):
        db.session.commit()
        flash(_("You unblocked %(name)s.", name=other.display_name), "success")
    return redirect(safe_next(url_for("messaging.settings")))


def _message_or_404(conv: Conversation, message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None or message.conversation_id != conv.id:
        abort(404)
    return message


@bp.route("/<public_id>/report/<int:message_id>", methods=["GET", "POST"])
@login_required
def report(public_id: str, message_id: int) -> ResponseReturnValue:
    conv, _me, _other_side, other = _load(public_id)
    message = _message_or_404(conv, message_id)
    require(can_report_message(current_user, message), status=404)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            services.report_message(
                reporter=current_user,
                message=message,
                reason=ReportReason(form.reason.data),
                details=form.details.data or "",
            )
            db.session.commit()
            flash(_("Thank you. The moderators will look at this message."), "success")
        except DuplicateReport:
            db.session.rollback()
            flash(_("You already reported this message; the moderators have it."), "info")
        return redirect(url_for("messaging.conversation", public_id=public_id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "messaging/report.html", form=form, conversation=conv, message=message, other=other
    ), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> ResponseReturnValue:
    form = DigestForm(data={"digest": services.digest_choice(current_user).value})
    if form.validate_on_submit():
        services.set_digest(user=current_user, choice=Delivery(form.digest.data))
        db.session.commit()
        flash(_("Your email settings are saved."), "success")
        return redirect(url_for("messaging.settings"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "messaging/settings.html",
        form=form,
        blocked=services.blocked_by(current_user),
        confirm=ConfirmForm(),
    ), status

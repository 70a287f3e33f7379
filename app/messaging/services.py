"""Starting conversations, sending, reading, blocking, reporting and the email digests."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as ngettext  # the lazy one, named so it is extracted
from sqlalchemy import and_, case, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from app.accounts.models import User, UserStatus
from app.db_types import utcnow
from app.extensions import db
from app.mail.models import Delivery, EmailCategory, EmailPreference
from app.mail.services import delivery_for, once_key, queue_email, set_delivery
from app.messaging import text as message_text
from app.messaging.models import (
    Block,
    Conversation,
    Message,
    MessagingSettings,
    Participant,
)
from app.messaging.policies import can_message, is_blocked_between
from app.moderation.models import Report, ReportReason
from app.moderation.services import file_report
from app.pagination import keyset_page
from app.savepoints import savepoint
from app.urls import public_url

# The two sides of a conversation, aliased once: aliasing a table builds a proxy of each of its
# columns, which per query cost more than running the query (~3 ms of a conversation page).
_ME = aliased(Participant, name="me")
_OTHER = aliased(Participant, name="other_side")

# A digest waits until the conversation has been quiet this long (people often send in bursts).
DIGEST_QUIET = timedelta(minutes=10)
# "Within the hour": even a conversation that never goes quiet is mailed after this long.
DIGEST_HOURLY_MAX_WAIT = timedelta(hours=1)


class MessagingError(Exception):
    """A message could not be sent; `reason` is what the person is told."""

    def __init__(self, reason: Any) -> None:
        # A lazy string: translated when shown, so services work outside requests (commands).
        super().__init__(reason)
        self.reason = reason


class InvalidText(MessagingError):
    pass


class CannotMessage(MessagingError):
    pass


@dataclass
class Sent:
    message: Message
    conversation: Conversation
    # False when the same form was already sent (a double click): nothing new was stored.
    created: bool


def check_text(raw: str) -> str:
    """The cleaned text, or InvalidText saying what is wrong with it."""
    body = message_text.clean(raw or "")
    if not body:
        raise InvalidText(_l("Write a message before sending it."))
    if len(body) > message_text.MAX_LENGTH:
        raise InvalidText(
            _l(
                "A message can have at most %(max)d characters; this one has %(count)d.",
                max=message_text.MAX_LENGTH,
                count=len(body),
            )
        )
    return body


def pair_key(a: User, b: User, topic_type: str | None = None, topic_id: int | None = None) -> str:
    low, high = sorted((a.id, b.id))
    key = f"{low}:{high}"
    if topic_type:
        key += f":{topic_type}:{topic_id or 0}"
    return key


def find_conversation(
    a: User, b: User, *, topic_type: str | None = None, topic_id: int | None = None
) -> Conversation | None:
    """The conversation between two people (about a topic, if given), if there is one."""
    return db.session.scalar(
        select(Conversation).where(Conversation.pair_key == pair_key(a, b, topic_type, topic_id))
    )


def _ensure_sendable(sender: User, recipient: User, blocked: bool | None = None) -> None:
    """Refuse with the reason; `blocked`: whether either blocked the other, when the caller
    has just read it in this transaction (read here otherwise)."""
    if blocked is None:
        blocked = is_blocked_between(sender, recipient)
    if blocked or not can_message(sender, recipient, blocked=False):
        if not sender.is_member:
            raise CannotMessage(
                _l("You can send messages once a moderator has approved your profile.")
            )
        if not sender.email_verified:
            raise CannotMessage(
                _l("Confirm your email address to send messages: open the link we sent you.")
            )
        raise CannotMessage(_l("You cannot message this member."))


def _previous_send(sender: User, key: str | None) -> Message | None:
    if not key:
        return None
    return db.session.scalar(
        select(Message).where(Message.sender_id == sender.id, Message.idempotency_key == key)
    )


def start_conversation(
    *,
    sender: User,
    recipient: User,
    text: str,
    topic_type: str | None = None,
    topic_id: int | None = None,
    topic_label: str | None = None,
    idempotency_key: str | None = None,
    blocked: bool | None = None,
) -> Sent:
    """Send a first message to a member, in their existing conversation about the same topic
    if there is one (flushes, never commits). `blocked`: as the page has just read it."""
    body = check_text(text)
    previous = _previous_send(sender, idempotency_key)
    if previous is not None:
        return Sent(previous, db.session.get_one(Conversation, previous.conversation_id), False)
    _ensure_sendable(sender, recipient, blocked)
    conversation = find_conversation(sender, recipient, topic_type=topic_type, topic_id=topic_id)
    if conversation is None:
        conversation = Conversation(
            pair_key=pair_key(sender, recipient, topic_type, topic_id),
            topic_type=topic_type,
            topic_id=topic_id,
            topic_label=(topic_label or "")[:200] or None,
            created_by_id=sender.id,
            last_message_at=utcnow(),
        )
        try:
            # Both people may start the same conversation at once: the unique pair key decides.
            with savepoint():
                db.session.add(conversation)
                db.session.flush()
                db.session.add_all(
                    [
                        Participant(conversation_id=conversation.id, user_id=sender.id),
                        Participant(conversation_id=conversation.id, user_id=recipient.id),
                    ]
                )
                db.session.flush()
        except IntegrityError:
            conversation = find_conversation(
                sender, recipient, topic_type=topic_type, topic_id=topic_id
            )
            assert conversation is not None
    return _store(sender=sender, conversation=conversation, body=body, key=idempotency_key)


def send_message(
    *,
    sender: User,
    conversation: Conversation,
    recipient: User,
    text: str,
    idempotency_key: str | None = None,
) -> Sent:
    """Reply in a conversation: the message, the conversation's activity and the other
    person's unread state change together (flushes, never commits)."""
    body = check_text(text)
    previous = _previous_send(sender, idempotency_key)
    if previous is not None:
        return Sent(previous, conversation, False)
    _ensure_sendable(sender, recipient)
    return _store(sender=sender, conversation=conversation, body=body, key=idempotency_key)


def _store(*, sender: User, conversation: Conversation, body: str, key: str | None) -> Sent:
    now = utcnow()
    message = Message(
        conversation_id=conversation.id,
        sender_id=sender.id,
        body=body,
        idempotency_key=key,
        created_at=now,
    )
    try:
        with savepoint():
            db.session.add(message)
            db.session.flush()
    except IntegrityError:
        # The same form arrived twice at the same moment: the first one won.
        previous = _previous_send(sender, key)
        if previous is None:
            raise
        return Sent(previous, conversation, False)
    conversation.last_message_at = now
    conversation.last_message_id = message.id
    # Counters change in SQL (not read-modify-write) so that concurrent sends add up.
    db.session.execute(
        update(Participant)
        .where(Participant.conversation_id == conversation.id, Participant.user_id != sender.id)
        .values(
            unread_count=Participant.unread_count + 1,
            unread_since=case(
                (Participant.unread_since.is_(None), now), else_=Participant.unread_since
            ),
        )
    )
    db.session.execute(
        update(Participant)
        .where(Participant.conversation_id == conversation.id, Participant.user_id == sender.id)
        .values(
            unread_count=0,
            unread_since=None,
            last_read_message_id=message.id,
            last_read_at=now,
        )
    )
    db.session.flush()
    return Sent(message, conversation, True)


def mark_read(*, participant: Participant, conversation: Conversation) -> bool:
    """Mark everything in the conversation read for this person; True if anything changed."""
    last = conversation.last_message_id or 0
    if participant.unread_count == 0 and participant.last_read_message_id >= last:
        return False
    participant.unread_count = 0
    participant.unread_since = None
    participant.last_read_message_id = last
    participant.last_read_at = utcnow()
    db.session.flush()
    return True


def unread_total_expression(user: User) -> ColumnElement[int]:
    """Unread messages across a person's conversations, as a scalar subquery (the nav's badge)."""
    return (
        select(func.coalesce(func.sum(Participant.unread_count), 0))
        .where(Participant.user_id == user.id, Participant.unread_count > 0)
        .scalar_subquery()
    )


def unread_total(user: User) -> int:
    """Unread messages across all of a person's conversations (one index-only query)."""
    return int(db.session.scalar(select(unread_total_expression(user))) or 0)


def block(*, actor: User, other: User) -> Block:
    """Block a person: no new messages either way until unblocked (flushes)."""
    existing = db.session.scalar(
        select(Block).where(Block.blocker_id == actor.id, Block.blocked_id == other.id)
    )
    if existing is not None:
        return existing
    row = Block(blocker_id=actor.id, blocked_id=other.id)
    try:
        with savepoint():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        found = db.session.scalar(
            select(Block).where(Block.blocker_id == actor.id, Block.blocked_id == other.id)
        )
        assert found is not None
        return found
    return row


def unblock(*, actor: User, other: User) -> bool:
    """Lift one's own block on a person; True if there was one (flushes)."""
    result = db.session.execute(
        delete(Block).where(Block.blocker_id == actor.id, Block.blocked_id == other.id)
    )
    db.session.flush()
    return bool(getattr(result, "rowcount", 0))


def blocked_by(user: User) -> list[User]:
    """The people this person blocked, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(Block, Block.blocked_id == User.id)
            .where(Block.blocker_id == user.id)
            .order_by(User.display_name)
        )
    )


def has_blocked(actor: User, other: User) -> bool:
    return (
        db.session.scalar(
            select(Block.id).where(Block.blocker_id == actor.id, Block.blocked_id == other.id)
        )
        is not None
    )


def report_message(
    *, reporter: User, message: Message, reason: ReportReason, details: str = ""
) -> Report:
    """Send a message to the moderators' queue with a snapshot of its text (flushes)."""
    sender = db.session.get(User, message.sender_id) if message.sender_id else None
    return file_report(
        reporter=reporter,
        target_type="message",
        target_id=message.id,
        subject=sender,
        reason=reason,
        details=details,
        snapshot=message.body,
    )


def digest_choice(user: User) -> Delivery:
    """How the person wants to hear of unread messages: the "messages" category of their email
    preferences ("immediately" is within the hour, one email for every unread message)."""
    return delivery_for(user.id, EmailCategory.MESSAGES)


def set_digest(*, user: User, choice: Delivery) -> None:
    """Choose how unread messages are emailed (flushes): the same choice as the "messages"
    category of /account/notifications."""
    set_delivery(user.id, {EmailCategory.MESSAGES: choice})


@dataclass
class DigestLine:
    name: str
    count: int
    public_id: str
    topic_label: str | None


def _digest_due(
    *,
    now: datetime,
    newest: datetime,
    oldest: datetime,
    last_digest_at: datetime | None,
) -> bool:
    quiet = now - newest >= DIGEST_QUIET
    # Waiting since the oldest unread message, or since the last digest if that is later.
    waiting_since = max(oldest, last_digest_at) if last_digest_at else oldest
    return quiet or now - waiting_since >= DIGEST_HOURLY_MAX_WAIT


def send_digests(*, now: datetime | None = None, daily: bool = False) -> int:
    """Queue one email per person with unread messages not yet mailed, once their
    conversations are quiet; run it as often as you like (flushes, never commits).

    Only people who chose "immediately" for messages; with `daily` (the daily digest, see
    `digest_source`) only those who chose the digest, each then due at once: their summary
    becomes an item of that day's digest."""
    now = now or utcnow()
    wanted = Delivery.DIGEST if daily else Delivery.IMMEDIATELY
    me = _ME
    choice = func.coalesce(EmailPreference.delivery, Delivery.IMMEDIATELY.value)
    rows = db.session.execute(
        select(me, Conversation, User, MessagingSettings)
        .join(Conversation, Conversation.id == me.conversation_id)
        .join(User, User.id == me.user_id)
        .outerjoin(MessagingSettings, MessagingSettings.user_id == me.user_id)
        .outerjoin(
            EmailPreference,
            and_(
                EmailPreference.user_id == me.user_id,
                EmailPreference.category == EmailCategory.MESSAGES,
            ),
        )
        .where(
            me.unread_count > 0,
            Conversation.last_message_id > me.notified_through_id,
            User.status == UserStatus.ACTIVE,
            choice == wanted.value,
        )
        .order_by(me.user_id, Conversation.last_message_at.desc())
    ).all()
    if not rows:
        return 0
    # The other person of every candidate conversation, in one query.
    other = _OTHER
    names: dict[tuple[int, int], str] = {}
    for conversation_id, user_id, display_name in db.session.execute(
        select(other.conversation_id, other.user_id, User.display_name)
        .join(User, User.id == other.user_id)
        .where(other.conversation_id.in_({conv.id for _p, conv, _u, _s in rows}))
    ):
        names[(conversation_id, user_id)] = display_name

    by_user: dict[int, list[tuple[Participant, Conversation, User, MessagingSettings | None]]]
    by_user = defaultdict(list)
    for row in rows:
        by_user[row[0].user_id].append(tuple(row))  # type: ignore[arg-type]

    queued = 0
    for user_id, items in by_user.items():
        user = items[0][2]
        settings = items[0][3]
        newest = max(conv.last_message_at for _p, conv, _u, _s in items)
        oldest = min((p.unread_since or conv.last_message_at) for p, conv, _u, _s in items)
        if not daily and not _digest_due(
            now=now,
            newest=newest,
            oldest=oldest,
            last_digest_at=settings.last_digest_at if settings else None,
        ):
            continue
        lines = []
        for participant, conv, _u, _s in items:
            other_name = next(
                (n for (cid, uid), n in names.items() if cid == conv.id and uid != user_id), "?"
            )
            lines.append(
                DigestLine(other_name, participant.unread_count, conv.public_id, conv.topic_label)
            )
        total = sum(line.count for line in lines)
        through = max(conv.last_message_id or 0 for _p, conv, _u, _s in items)
        queue_email(
            to=user.email,
            subject=ngettext(
                "You have %(num)d unread message", "You have %(num)d unread messages", total
            ),
            template="messages_digest",
            locale=user.locale,
            dedupe_key=once_key("messages-digest", user, extra=through),
            category=EmailCategory.MESSAGES,
            user=user,
            lines=lines,
            total=total,
            link=public_url("messaging.inbox"),
            inbox_url=public_url("messaging.inbox"),
            settings_url=public_url("messaging.settings"),
            conversation_urls={
                line.public_id: public_url("messaging.conversation", public_id=line.public_id)
                for line in lines
            },
        )
        for participant, conv, _u, _s in items:
            participant.notified_through_id = conv.last_message_id or 0
        if settings is None:
            settings = MessagingSettings(user_id=user_id)
            db.session.add(settings)
        settings.last_digest_at = now
        queued += 1
    db.session.flush()
    return queued


def digest_source(now: datetime) -> int:
    """Messaging's part of the daily digest: the unread messages of who chose the digest."""
    return send_digests(now=now, daily=True)


def inbox_rows(
    user: User, *, page: int, per_page: int
) -> list[tuple[Participant, Conversation, User, Message | None]]:
    """One page of a person's conversations, latest activity first, each with the other
    person and the last message (one query, whatever the number of conversations)."""
    me, other = _ME, _OTHER
    rows = db.session.execute(
        select(me, Conversation, User, Message)
        .join(Conversation, Conversation.id == me.conversation_id)
        .join(other, and_(other.conversation_id == me.conversation_id, other.user_id != user.id))
        .join(User, User.id == other.user_id)
        .outerjoin(Message, Message.id == Conversation.last_message_id)
        .where(me.user_id == user.id)
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def load_for_participant(
    public_id: str, user: User
) -> tuple[Conversation, Participant, Participant, User] | None:
    """The conversation, both sides and the other person, if `user` takes part (one query)."""
    me, other = _ME, _OTHER
    row = db.session.execute(
        select(Conversation, me, other, User)
        .join(me, and_(me.conversation_id == Conversation.id, me.user_id == user.id))
        .join(other, and_(other.conversation_id == Conversation.id, other.user_id != user.id))
        .join(User, User.id == other.user_id)
        .where(Conversation.public_id == public_id)
    ).first()
    return tuple(row) if row else None  # type: ignore[return-value]


def messages_page(
    conversation: Conversation, *, before: int | None = None, limit: int = 30
) -> tuple[list[Message], bool]:
    """The latest `limit` messages (before a message id, for "earlier messages"), oldest first,
    and whether there are earlier ones: keyset on (conversation_id, id), never OFFSET."""
    query = select(Message).where(Message.conversation_id == conversation.id)
    if before is not None:
        query = query.where(Message.id < before)
    found, more = keyset_page(
        list(db.session.scalars(query.order_by(Message.id.desc()).limit(limit + 1))), limit=limit
    )
    return list(reversed(found)), more


def messages_after(conversation: Conversation, after: int, *, limit: int = 100) -> list[Message]:
    """Messages newer than a message id, oldest first (for polling)."""
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation.id, Message.id > after)
            .order_by(Message.id)
            .limit(limit)
        )
    )

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import User, UserStatus
from app.extensions import db
from app.messaging import services
from app.messaging.models import Conversation, Message, Participant
from app.moderation.models import Report, ReportReason
from app.moderation.services import DuplicateReport
from tests.factories import make_user
from tests.messaging.factories import converse


def _participant(conversation: Conversation, user: User) -> Participant:
    return db.session.scalars(
        select(Participant).where(
            Participant.conversation_id == conversation.id, Participant.user_id == user.id
        )
    ).one()


@pytest.mark.usefixtures("app")
def test_unread_counts_add_up_across_two_conversations(designer: User) -> None:
    an, binh = make_user(handle="an"), make_user(handle="binh")
    first = converse(an, designer, "Chào Mai!", "Bạn có rảnh không?")
    converse(binh, designer, "Hello from Bình")
    assert services.unread_total(designer) == 3
    assert services.unread_total(an) == 0

    services.mark_read(participant=_participant(first, designer), conversation=first)
    db.session.commit()
    assert services.unread_total(designer) == 1
    assert _participant(first, designer).last_read_message_id == first.last_message_id


@pytest.mark.usefixtures("app")
def test_replying_marks_the_conversation_read_for_the_sender(designer: User) -> None:
    an = make_user(handle="an")
    conversation = converse(an, designer, "Một", "Hai")
    services.send_message(sender=designer, conversation=conversation, recipient=an, text="Ba")
    db.session.commit()
    assert services.unread_total(designer) == 0
    assert services.unread_total(an) == 1


@pytest.mark.usefixtures("app")
def test_starting_twice_reuses_the_conversation_and_a_topic_makes_a_new_one(
    designer: User, organiser: User
) -> None:
    first = services.start_conversation(sender=designer, recipient=organiser, text="Xin chào")
    again = services.start_conversation(sender=organiser, recipient=designer, text="Chào Mai")
    about_call = services.start_conversation(
        sender=organiser,
        recipient=designer,
        text="About your application",
        topic_type="call",
        topic_id=7,
        topic_label="Hanoi Creative Design Festival 2025",
    )
    db.session.commit()
    assert first.conversation.id == again.conversation.id
    assert about_call.conversation.id != first.conversation.id
    assert about_call.conversation.topic_label == "Hanoi Creative Design Festival 2025"
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 2


@pytest.mark.usefixtures("app")
def test_public_ids_are_random_and_long(designer: User) -> None:
    ids = {converse(make_user(), designer, "hi").public_id for _ in range(5)}
    assert len(ids) == 5
    assert all(len(i) >= 16 and not i.isdigit() for i in ids)


@pytest.mark.usefixtures("app")
def test_the_same_token_sends_once(designer: User) -> None:
    an = make_user(handle="an")
    one = services.start_conversation(
        sender=an, recipient=designer, text="Chỉ một lần", idempotency_key="tok-1"
    )
    two = services.start_conversation(
        sender=an, recipient=designer, text="Chỉ một lần", idempotency_key="tok-1"
    )
    three = services.send_message(
        sender=an,
        conversation=one.conversation,
        recipient=designer,
        text="Chỉ một lần",
        idempotency_key="tok-1",
    )
    db.session.commit()
    assert one.created
    assert not two.created
    assert not three.created
    assert two.message.id == one.message.id == three.message.id
    assert db.session.scalar(select(func.count()).select_from(Message)) == 1
    assert services.unread_total(designer) == 1


@pytest.mark.parametrize("blocker_is_sender", [True, False])
@pytest.mark.usefixtures("req", "app")
def test_a_block_stops_messages_both_ways(designer: User, blocker_is_sender: bool) -> None:
    an = make_user(handle="an")
    conversation = converse(an, designer, "Chào")
    blocker, blocked = (an, designer) if blocker_is_sender else (designer, an)
    services.block(actor=blocker, other=blocked)
    db.session.commit()
    for sender, recipient in ((an, designer), (designer, an)):
        with pytest.raises(services.CannotMessage, match="You cannot message this member"):
            services.send_message(
                sender=sender, conversation=conversation, recipient=recipient, text="?"
            )
        with pytest.raises(services.CannotMessage):
            services.start_conversation(sender=sender, recipient=recipient, text="?")
    assert services.unblock(actor=blocked, other=blocker) is False
    assert services.unblock(actor=blocker, other=blocked) is True
    db.session.commit()
    services.send_message(sender=an, conversation=conversation, recipient=designer, text="Lại")


@pytest.mark.usefixtures("req", "app")
def test_pending_and_suspended_people_cannot_send(designer: User, pending_designer: User) -> None:
    with pytest.raises(services.CannotMessage, match="once a moderator has approved"):
        services.start_conversation(sender=pending_designer, recipient=designer, text="hi")
    with pytest.raises(services.CannotMessage, match="cannot message this member"):
        services.start_conversation(sender=designer, recipient=pending_designer, text="hi")
    designer.status = UserStatus.SUSPENDED
    with pytest.raises(services.CannotMessage):
        services.start_conversation(sender=designer, recipient=make_user(), text="hi")


@pytest.mark.usefixtures("app")
def test_reporting_a_message_keeps_a_snapshot(designer: User) -> None:
    an = make_user(handle="an")
    conversation = converse(an, designer, "Chuyển khoản 5 triệu để được giải nhé")
    message = db.session.get_one(Message, conversation.last_message_id)
    services.report_message(reporter=designer, message=message, reason=ReportReason.SCAM)
    db.session.commit()
    message.body = "edited afterwards"
    report = db.session.scalars(select(Report)).one()
    assert report.snapshot == "Chuyển khoản 5 triệu để được giải nhé"
    assert report.subject_id == an.id
    assert report.target_type == "message"
    with pytest.raises(DuplicateReport):
        services.report_message(reporter=designer, message=message, reason=ReportReason.SPAM)

"""An organiser writes to an applicant from a submission; the conversation says which call."""

from __future__ import annotations

from app.accounts.models import AccountType, User
from app.extensions import db
from app.messaging.models import Conversation
from tests.calls.factories import make_call, make_submission
from tests.conftest import Client
from tests.factories import make_user


def test_organiser_messages_an_applicant_about_the_call(
    client: Client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Lễ hội Thiết kế Sáng tạo Hà Nội 2026")
    submission = make_submission(call=call, applicant=designer)
    db.session.commit()
    client.login_as(organiser)
    page = client.get(f"/calls/{call.slug}/submissions/{submission.id}").get_data(as_text=True)
    assert f"/messages/new/{designer.handle}?call={call.slug}" in page
    form = client.get(f"/messages/new/{designer.handle}?call={call.slug}").get_data(as_text=True)
    assert "About: Lễ hội Thiết kế Sáng tạo Hà Nội 2026" in form
    response = client.post_form(
        f"/messages/new/{designer.handle}?call={call.slug}",
        {"body": "Chào Mai, could you send a larger image?"},
    )
    assert response.status_code == 302
    conversation = db.session.scalars(db.select(Conversation)).one()
    assert (conversation.topic_type, conversation.topic_id) == ("call", call.id)
    assert conversation.topic_label == "Lễ hội Thiết kế Sáng tạo Hà Nội 2026"


def test_another_organisers_call_gives_no_topic(
    client: Client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser)
    make_submission(call=call, applicant=designer)
    other = make_user(handle="other-org", account_type=AccountType.ORGANISER)
    db.session.commit()
    client.login_as(other)
    client.post_form(
        f"/messages/new/{designer.handle}?call={call.slug}", {"body": "Hello there, a question."}
    )
    conversation = db.session.scalars(db.select(Conversation)).one()
    assert conversation.topic_type is None
    assert conversation.topic_label is None

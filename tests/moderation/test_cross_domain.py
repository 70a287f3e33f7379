"""Moderation and own-your-data across the domains: calls and messages."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from app.accounts.models import User, UserStatus
from app.accounts.services import approve_user
from app.calls.models import OpenCall, Submission
from app.extensions import db
from app.media.storage import get_storage
from app.messaging import services as messaging
from app.moderation.models import ModerationAction
from app.portfolios import services as portfolios
from app.search.services import search
from tests.calls.factories import make_call, make_submission
from tests.conftest import Client
from tests.factories import PASSWORD, make_user


def test_a_hidden_call_answers_404_to_the_public_and_stays_visible_to_moderators(
    client: Client, organiser: User, moderator: User
) -> None:
    call = make_call(owner=organiser, title="Cuộc thi áo dài")
    db.session.commit()
    client.login_as(moderator)
    response = client.post_form(
        f"/moderation/targets/call/{call.id}/hide", {"hide-reason": "Phí tham dự không minh bạch."}
    )
    assert response.status_code == 302
    assert (
        db.session.scalar(db.select(OpenCall.hidden_at).where(OpenCall.id == call.id)) is not None
    )
    moderator_view = client.get(f"/moderation/targets/call/{call.id}").get_data(as_text=True)
    assert "Cuộc thi áo dài" in moderator_view
    visitor = client.application.test_client()
    assert visitor.get(f"/calls/{call.slug}").status_code == 404
    assert "Cuộc thi áo dài" not in visitor.get("/calls").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(ModerationAction)) == 1


def test_a_message_cannot_be_reported_through_the_generic_form(
    client: Client, designer: User
) -> None:
    other = make_user(handle="other-person")
    sent = messaging.start_conversation(sender=other, recipient=designer, text="Xin chào!")
    db.session.commit()
    stranger = make_user(handle="stranger")
    db.session.commit()
    client.login_as(stranger)
    assert client.get(f"/report/message/{sent.message.id}").status_code == 404


def test_the_archive_holds_sent_messages_and_applications(
    client: Client, designer: User, organiser: User
) -> None:
    other = make_user(handle="friend")
    messaging.start_conversation(sender=designer, recipient=other, text="Hẹn gặp ở Lễ hội nhé!")
    messaging.start_conversation(sender=other, recipient=designer, text="Someone else's words")
    call = make_call(owner=organiser, title="Festival showcase")
    make_submission(call=call, applicant=designer, statement="Tôi muốn giới thiệu bộ sưu tập gốm.")
    db.session.commit()
    client.login_as(designer)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data/export.zip").get_data()))
    sent = json.loads(archive.read("messages_sent.json"))
    assert [m["text"] for m in sent] == ["Hẹn gặp ở Lễ hội nhé!"]
    submissions = json.loads(archive.read("submissions.json"))
    assert submissions[0]["call"] == "Festival showcase"
    assert submissions[0]["statement"] == "Tôi muốn giới thiệu bộ sưu tập gốm."


def test_after_deletion_messages_stay_from_a_former_member_and_applications_go(
    client: Client, designer: User, organiser: User
) -> None:
    other = make_user(handle="friend", display_name="Trần Minh Đức")
    sent = messaging.start_conversation(sender=designer, recipient=other, text="Cảm ơn bạn nhiều!")
    make_submission(call=make_call(owner=organiser), applicant=designer)
    db.session.commit()
    public_id, name = sent.conversation.public_id, designer.display_name
    client.login_as(designer)
    response = client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Submission)) == 0
    client.login_as(other)
    page = client.get(f"/messages/{public_id}").get_data(as_text=True)
    assert "Cảm ơn bạn nhiều!" in page
    assert "a former member" in page
    assert name not in page


def test_the_archive_holds_project_images_and_deletion_removes_their_files(
    client: Client, designer: User
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (176, 48, 42)).save(buffer, "JPEG")
    project = portfolios.create_project(actor=designer, title="Sơn mài", year=2026)
    portfolios.add_images(
        project, actor=designer, uploads=[portfolios.Upload("son-mai.jpg", buffer.getvalue())]
    )
    db.session.commit()
    key = project.images[0].storage_key
    client.login_as(designer)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data/export.zip").get_data()))
    images = json.loads(archive.read("images.json"))
    assert images[0]["project"] == project.slug
    assert archive.read(images[0]["file"])[:4] == b"RIFF"  # a WebP file
    storage_root = Path(client.application.config["MEDIA_ROOT"])
    assert get_storage().exists(f"{key}/fallback.jpg")
    client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})
    assert not get_storage().exists(f"{key}/fallback.jpg")
    assert storage_root.exists()


@pytest.mark.usefixtures("app")
def test_an_approved_designer_is_found_by_name(moderator: User) -> None:
    person = make_user(
        handle="bich-truong", display_name="Trương Thị Bích", status=UserStatus.PENDING
    )
    db.session.commit()
    assert search("truong thi bich").items == []
    approve_user(person, actor=moderator)
    db.session.commit()
    assert [d.title for d in search("truong thi bich", kind="designer").items] == [
        "Trương Thị Bích"
    ]

"""Command-line tools: approve, create the first admin, load the demo, send mail."""

from __future__ import annotations

from flask import Flask

from app.accounts.models import StaffRole, User, UserStatus
from app.accounts.services import authenticate
from app.extensions import db
from app.mail.services import queue_email
from app.moderation.models import ActionKind, ModerationAction
from tests.factories import make_user


def test_users_approve_activates_a_pending_person_logs_and_tells_them(app: Flask) -> None:
    make_user(handle="waiting", status=UserStatus.PENDING)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "approve", "waiting"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.scalars(db.select(User).where(User.handle == "waiting")).one()
    assert user.status == UserStatus.ACTIVE
    action = db.session.scalars(db.select(ModerationAction)).one()
    assert action.kind == ActionKind.APPROVE
    assert action.subject_id == user.id
    assert app.test_cli_runner().invoke(args=["users", "approve", "nobody"]).exit_code != 0


def test_create_admin_refuses_a_weak_password_and_creates_an_admin(app: Flask) -> None:
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=[
            "users",
            "create-admin",
            "--email",
            "a@example.org",
            "--handle",
            "boss",
            "--name",
            "Boss",
        ],
        input="password123\npassword123\n",
    )
    assert weak.exit_code != 0
    assert "too common" in weak.output
    ok = runner.invoke(
        args=[
            "users",
            "create-admin",
            "--email",
            "a@example.org",
            "--handle",
            "boss",
            "--name",
            "Boss",
        ],
        input="a strong admin secret\na strong admin secret\n",
    )
    assert ok.exit_code == 0, ok.output
    admin = db.session.scalars(db.select(User).where(User.handle == "boss")).one()
    assert admin.staff_role == StaffRole.ADMIN
    assert admin.is_admin


def test_demo_load_builds_a_network_only_once(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    active = db.session.scalar(
        db.select(db.func.count())
        .select_from(User)
        .where(User.status == UserStatus.ACTIVE, User.account_type == "designer")
    )
    assert active is not None
    assert active >= 40
    emails = set(db.session.scalars(db.select(User.email)))
    for login in ("designer", "organiser", "moderator", "admin", "pending"):
        assert f"{login}@example.org" in emails
    names = set(db.session.scalars(db.select(User.display_name)))
    assert "Nguyễn Thị Mai" in names
    again = runner.invoke(args=["demo", "load", "--if-empty"])
    assert again.exit_code == 0
    assert "not loaded" in again.output
    assert runner.invoke(args=["demo", "load"]).exit_code != 0


def test_demo_log_ins_work(app: Flask) -> None:
    app.test_cli_runner().invoke(args=["demo", "load"])
    user = authenticate("admin@example.org", "demo-pass-2019")
    assert user is not None
    assert user.is_admin
    pending = authenticate("pending@example.org", "demo-pass-2019")
    assert pending is not None
    assert pending.is_pending


def test_demo_is_never_loaded_in_production(make_app: object) -> None:
    app = make_app(APP_ENV="production")  # type: ignore[operator]
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "never loaded in production" in result.output


def test_mail_send_delivers_the_queue(app: Flask) -> None:
    user = make_user(handle="mail-cli")
    queue_email(to=user.email, subject="Hi", template="approved", user=user, link="x")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "sent 1, failed 0" in result.output
    status = app.test_cli_runner().invoke(args=["mail", "status"])
    assert "sent: 1" in status.output

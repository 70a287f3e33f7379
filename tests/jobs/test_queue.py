"""The queue only wakes workers: with RQ on a real Redis, with Redis down (the rows wait and the
sweep catches up), and uploads resized after the response with "processing" shown until then."""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from redis import Redis
from rq import SimpleWorker
from sqlalchemy import select

from app.accounts.models import StaffRole
from app.extensions import db
from app.jobs import after_response, queue, runner
from app.jobs.cli import tick
from app.jobs.models import BackgroundJob, JobStatus
from app.mail.models import EmailStatus, OutgoingEmail
from app.portfolios.models import ProjectImage
from tests.conftest import Client
from tests.factories import PASSWORD, make_user
from tests.portfolios.factories import image_bytes, make_project

REDIS_URL = "redis://127.0.0.1:6379/9"
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there: Redis is down


def _redis_up() -> bool:
    try:
        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")


@pytest.fixture
def queue_name() -> Iterator[str]:
    name = f"test-jobs-{secrets.token_hex(4)}"
    yield name
    conn = Redis.from_url(REDIS_URL)
    for key in conn.scan_iter(f"rq:*{name}*"):
        conn.delete(key)
    conn.srem("rq:queues", f"rq:queue:{name}")


def rq_app(make_app: Any, queue_name: str, url: str = REDIS_URL) -> Flask:
    app: Flask = make_app(JOBS_BACKEND="rq", JOBS_REDIS_URL=url, JOBS_QUEUE=queue_name)
    return app


def use_redis(app: Flask, url: str) -> None:
    """Redis comes back (or moves): the next connection goes there."""
    app.config["JOBS_REDIS_URL"] = url
    app.extensions.pop("jobs_redis", None)


def work(app: Flask) -> None:
    """What `flask jobs worker --burst` does: run what is queued, then stop."""
    with app.app_context():
        SimpleWorker([queue.queue()], connection=queue.connection()).work(
            burst=True, with_scheduler=False
        )


def upload(client: Client, project_id: int, data: bytes) -> Any:
    return client.post_form(
        f"/me/projects/{project_id}/images",
        {"images": [(io.BytesIO(data), "photo.png")]},
        content_type="multipart/form-data",
    )


def editor(client: Client, project_id: int) -> str:
    page: str = client.get(f"/me/projects/{project_id}").get_data(as_text=True)
    return page


@needs_redis
def test_an_upload_is_checked_in_the_request_and_resized_by_a_worker(
    make_app: Any, queue_name: str
) -> None:
    app = rq_app(make_app, queue_name)
    with app.app_context():
        designer = make_user(handle="rq-designer")
        project = make_project(designer, images=0, published=False)
        db.session.commit()
        project_id = project.id
        client: Client = app.test_client()  # type: ignore[assignment]
        client.login_as(designer)

        # A file that is no image is refused on the page, as before: nothing waits for a worker.
        refused = upload(client, project_id, b"<svg onload=alert(1)>")
        assert refused.status_code == 422
        assert "photo.png" in refused.get_data(as_text=True)

        assert upload(client, project_id, image_bytes(640, 480)).status_code == 302
        image = db.session.scalars(select(ProjectImage)).one()
        assert image.widths == []
        assert image.original_key is not None
        assert image.original_key.startswith("u/")
        page = editor(client, project_id)
        assert "1 image is being prepared" in page
        assert "Reload to see them" in page
        assert "Processing…" in page
        # The original is never served, to its owner neither.
        assert client.get(f"/media/{image.original_key}").status_code == 404

        work(app)

        db.session.expire_all()
        image = db.session.scalars(select(ProjectImage)).one()
        assert image.widths == [400, 640]
        page = editor(client, project_id)
        assert "being prepared" not in page
        assert f"/media/{image.storage_key}/400.webp" in page
        assert client.get(image.url(400)).status_code == 200
        # The original and the sizes both count toward the quota.
        original = Path(app.config["MEDIA_ROOT"], image.original_key).stat().st_size
        assert image.stored_bytes > original
        db.session.remove()


def test_redis_down_at_enqueue_keeps_the_rows_and_the_sweep_catches_up(
    make_app: Any, queue_name: str
) -> None:
    app = rq_app(make_app, queue_name, url=DEAD_REDIS_URL)
    with app.app_context():
        designer = make_user(handle="rq-down")
        project = make_project(designer, images=0, published=False)
        db.session.commit()
        client: Client = app.test_client()  # type: ignore[assignment]
        client.login_as(designer)

        # Pages and uploads keep working while Redis is down: the work waits as rows.
        assert upload(client, project.id, image_bytes(500, 400)).status_code == 302
        assert client.post_form("/auth/reset", {"email": designer.email}).status_code == 200
        db.session.expire_all()
        job = db.session.scalars(select(BackgroundJob)).one()
        assert (job.kind, job.status, job.enqueued_at) == ("portfolios.resize", "pending", None)
        email = db.session.scalars(select(OutgoingEmail)).one()
        assert email.status == EmailStatus.QUEUED
        # The scheduler's round cannot wake anyone either, and loses nothing.
        tick()
        db.session.expire_all()
        assert db.session.get(BackgroundJob, job.id).status == JobStatus.PENDING  # type: ignore[union-attr]

        if not _redis_up():
            pytest.skip("no Redis to come back")
        use_redis(app, REDIS_URL)  # Redis is back, empty
        tick()  # the sweep wakes workers for what waited
        work(app)

        db.session.expire_all()
        assert db.session.get(BackgroundJob, job.id).status == JobStatus.DONE  # type: ignore[union-attr]
        assert db.session.scalars(select(ProjectImage)).one().widths == [400, 500]
        assert db.session.get(OutgoingEmail, email.id).status == EmailStatus.SENT  # type: ignore[union-attr]
        outbox = app.extensions["mail_backend"].outbox
        assert [m["To"] for m in outbox] == [designer.email]
        db.session.remove()


def test_an_admin_sees_failed_jobs_and_emails_with_their_error_and_retries_them(
    client: Client, outbox: list[Any]
) -> None:
    admin = make_user(handle="jobs-admin", staff_role=StaffRole.ADMIN)
    failed = BackgroundJob(
        kind="files.delete",
        payload={"keys": []},
        status=JobStatus.FAILED,
        attempts=5,
        last_error="PermissionError: [Errno 13] Permission denied",
    )
    email = OutgoingEmail(
        to="lan@example.org",
        subject="Your application was received",
        text_body="Hello",
        status=EmailStatus.FAILED,
        attempts=8,
        last_error="SMTPServerDisconnected: <script>x</script>",
    )
    db.session.add_all([failed, email])
    db.session.commit()
    client.login_as(admin)

    dashboard = client.get("/moderation").get_data(as_text=True)
    assert 'href="/admin/jobs"' in dashboard
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "files.delete" in page
    assert "PermissionError: [Errno 13] Permission denied" in page
    assert "Failed emails (1)" in page
    emails = client.get("/admin/jobs?show=emails").get_data(as_text=True)
    assert "Your application was received" in emails
    assert "&lt;script&gt;x&lt;/script&gt;" in emails
    assert "<script>x" not in emails

    retried = client.post_form(f"/admin/jobs/{failed.id}/retry", follow_redirects=True)
    assert "The job will run again shortly." in retried.get_data(as_text=True)
    db.session.expire_all()
    assert failed.status == JobStatus.DONE  # it ran after the response (inline here)
    again = client.post_form(f"/admin/jobs/{failed.id}/retry", follow_redirects=True)
    assert "no longer failed" in again.get_data(as_text=True)

    sent = client.post_form(f"/admin/jobs/emails/{email.id}/retry", follow_redirects=True)
    assert "The email will be sent again shortly." in sent.get_data(as_text=True)
    db.session.expire_all()
    assert email.status == EmailStatus.SENT
    assert [m["To"] for m in outbox] == ["lan@example.org"]
    assert "Nothing failed" in client.get("/admin/jobs").get_data(as_text=True)


def test_a_moderator_cannot_open_or_retry(client: Client, moderator: Any) -> None:
    client.login_as(moderator)
    assert client.get("/admin/jobs").status_code == 403
    assert 'href="/admin/jobs"' not in client.get("/moderation").get_data(as_text=True)


def test_a_damaged_original_is_marked_for_its_owner_not_retried(
    client: Client, designer: Any
) -> None:
    project = make_project(designer, images=0, published=False)
    db.session.commit()
    client.login_as(designer)
    noise = Image.effect_noise((300, 200), 50).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "JPEG")
    # Its header reads well (the checks in the request pass); half its pixels are missing.
    truncated = out.getvalue()[: len(out.getvalue()) // 2]

    assert upload(client, project.id, truncated).status_code == 302

    db.session.expire_all()
    image = db.session.scalars(select(ProjectImage)).one()
    assert (image.widths, image.processing_error) == ([], "damaged")
    job = db.session.scalars(select(BackgroundJob)).one()
    assert job.status == JobStatus.DONE  # nothing to retry: the person replaces the file
    page = editor(client, project.id)
    assert "1 image could not be prepared (the file is damaged)" in page
    assert "Could not be processed" in page
    assert "being prepared" not in page
    # Removing it erases its original too.
    original = Path(client.application.config["MEDIA_ROOT"], str(image.original_key))
    assert original.exists()
    client.post_form(f"/me/projects/{project.id}/images/manage", {"action": f"delete:{image.id}"})
    assert not original.exists()


def test_account_deletion_removes_files_in_a_job_that_survives_redis_being_down(
    make_app: Any, queue_name: str
) -> None:
    app = rq_app(make_app, queue_name, url=DEAD_REDIS_URL)
    with app.app_context():
        designer = make_user(handle="rq-leaving")
        project = make_project(designer, images=2, stored=True, published=False)
        db.session.commit()
        root = Path(app.config["MEDIA_ROOT"])
        keys = [i.original_key for i in project.images] + [
            f"{i.storage_key}/fallback.jpg" for i in project.images
        ]
        assert all((root / str(key)).exists() for key in keys)
        client: Client = app.test_client()  # type: ignore[assignment]
        client.login_as(designer)

        deleted = client.post_form("/account/delete", {"password": PASSWORD, "confirm": "y"})

        assert deleted.status_code == 302
        db.session.expire_all()
        cleanup = db.session.scalars(
            select(BackgroundJob).where(BackgroundJob.kind == "files.delete")
        ).one()
        assert cleanup.status == JobStatus.PENDING  # committed with the deletion, waiting
        assert set(keys) <= set(cleanup.payload["keys"])
        assert all((root / str(key)).exists() for key in keys)

        runner.run_due()  # what a worker does once woken (the sweep wakes one for it)

        db.session.expire_all()
        assert db.session.get(BackgroundJob, cleanup.id).status == JobStatus.DONE  # type: ignore[union-attr]
        assert not any((root / str(key)).exists() for key in keys)
        db.session.remove()


def test_the_admin_page_reads_a_fixed_number_of_queries(client: Client, count_queries: Any) -> None:
    admin = make_user(handle="jobs-admin-q", staff_role=StaffRole.ADMIN)
    db.session.commit()
    client.login_as(admin)

    def add_failures(n: int) -> None:
        for i in range(n):
            db.session.add(
                BackgroundJob(kind="files.delete", status=JobStatus.FAILED, last_error=f"e{i}")
            )
            db.session.add(
                OutgoingEmail(
                    to=f"p{i}@example.org",
                    subject=f"s{i}",
                    text_body="x",
                    status=EmailStatus.FAILED,
                )
            )
        db.session.commit()

    def count(url: str) -> int:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    add_failures(2)
    few = (count("/admin/jobs"), count("/admin/jobs?show=emails"))
    add_failures(30)
    many = (count("/admin/jobs"), count("/admin/jobs?show=emails"))
    assert many == few
    assert "?page=2" in client.get("/admin/jobs").get_data(as_text=True)


def test_the_resizing_happens_after_the_response_never_inside_it(
    client: Client, designer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(after_response, "CLOSE_GRACE_SECONDS", 60)  # the close comes first
    project = make_project(designer, images=0, published=False)
    db.session.commit()
    client.login_as(designer)

    response = client.post_form(
        f"/me/projects/{project.id}/images",
        {"images": [(io.BytesIO(image_bytes(800, 600)), "photo.png")]},
        content_type="multipart/form-data",
        buffered=False,
    )

    # The answer is ready while the sizes do not exist yet: the request only checked and kept.
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(ProjectImage)).one().widths == []
    response.close()  # what the server does once the answer has gone out
    db.session.expire_all()
    assert db.session.scalars(select(ProjectImage)).one().widths == [400, 800]

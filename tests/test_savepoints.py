"""A savepoint that is the first write of its transaction stays inside it on SQLite (Python's
driver would otherwise commit it on release): whatever fails later in the request rolls back
the row written in the savepoint too. Each service that writes first in a savepoint is checked."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts.models import AccountType, User
from app.calls import access, services
from app.calls.access_models import AccessCode
from app.calls.models import AccessMode, OpenCall, Submission
from app.extensions import db
from app.jobs.models import BackgroundJob
from app.jobs.runner import add_job_once
from app.moderation.models import Report, ReportReason
from app.moderation.services import file_report
from app.opportunities.models import SavedCall
from app.opportunities.services import save_call
from app.portfolios.models import Project
from app.portfolios.services import RESIZE_JOB
from app.social.models import Follow, FollowSettings
from app.social.services import follow, set_lists_hidden
from tests.calls.factories import make_call, make_project
from tests.factories import make_user


def _count(model: Any) -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _people() -> tuple[User, User, OpenCall]:
    mai = make_user(handle="mai-savepoint", display_name="Nguyễn Thị Mai")
    org = make_user(
        handle="to-chuc", account_type=AccountType.ORGANISER, organisation="Trung tâm Sáng tạo"
    )
    call = make_call(owner=org, title="Áp phích **Hà Nội**")
    make_project(owner=mai, title="Gốm men rạn Bát Tràng")
    db.session.commit()
    return mai, org, call


WRITES: dict[str, tuple[Any, Callable[[User, User, OpenCall], object]]] = {
    "application": (
        Submission,
        lambda mai, _org, call: services.save_submission(
            call,
            applicant=mai,
            statement="Gốm _men rạn_",
            answers={},
            project_ids=list(
                db.session.scalars(select(Project.id).where(Project.owner_id == mai.id))
            ),
            submit=False,
        ),
    ),
    "saved call": (SavedCall, lambda mai, _org, call: save_call(mai, call)),
    "follow": (Follow, lambda mai, org, _call: follow(actor=mai, person=org)),
    "lists hidden": (FollowSettings, lambda mai, _org, _call: set_lists_hidden(mai, True)),
    "report": (
        Report,
        lambda mai, _org, call: file_report(
            reporter=mai,
            target_type="call",
            target_id=call.id,
            subject=call.owner,
            reason=ReportReason.SPAM,
            details="<script>x</script> quảng cáo",
        ),
    ),
    "job": (
        BackgroundJob,
        lambda _mai, _org, _call: add_job_once(
            RESIZE_JOB, {"image_id": 0}, dedupe_key="k-1", wake=False
        ),
    ),
}


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("what", list(WRITES))
def test_what_a_savepoint_wrote_first_goes_when_the_request_fails_later(what: str) -> None:
    mai, org, call = _people()
    model, write = WRITES[what]
    before = _count(model)
    db.session.commit()

    write(mai, org, call)
    db.session.rollback()  # a later step of the same request failed

    assert _count(model) == before


@pytest.mark.usefixtures("app")
def test_codes_made_then_refused_leave_no_code_behind() -> None:
    _mai, org, call = _people()
    call.access_mode = AccessMode.INVITE_ONLY
    db.session.commit()

    access.create_codes(call, actor=org, count=3, uses=1)
    db.session.rollback()

    assert _count(AccessCode) == 0


def test_ten_parallel_requests_that_fail_after_their_savepoint_leave_nothing(
    make_app: Any,
) -> None:
    # Ten people save the same call at the same moment, then their requests fail: on SQLite,
    # each savepoint was the first write of its transaction; none of them may stay.
    app: Flask = make_app(DB_POOL_SIZE=12)
    with app.app_context():
        org = make_user(handle="race-org-sp", account_type=AccountType.ORGANISER)
        call = make_call(owner=org, title="Lễ hội Thiết kế")
        people = [make_user(handle=f"sp-racer-{i}") for i in range(10)]
        db.session.commit()
        call_id, ids = call.id, [p.id for p in people]

    barrier = threading.Barrier(len(ids))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(user_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                target = db.session.get(OpenCall, call_id)
                person = db.session.get(User, user_id)
                assert target is not None
                assert person is not None
                saved = save_call(person, target)
                db.session.rollback()
                outcome = f"saved {saved}"
            except Exception as exc:  # a crash is a failure, reported below
                db.session.rollback()
                outcome = f"crash: {exc!r}"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes == ["saved True"] * len(ids), outcomes
    with app.app_context():
        assert _count(SavedCall) == 0

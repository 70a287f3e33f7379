"""Factories for moderation tests: projects, reports, actions."""

from __future__ import annotations

import itertools
from typing import Any

from app.accounts.models import User
from app.extensions import db
from app.moderation.models import ActionKind, ModerationAction, Report, ReportReason
from app.moderation.services import log_action
from app.portfolios.models import Project

_seq = itertools.count(1)


def make_project(owner: User, **kw: Any) -> Project:
    n = next(_seq)
    project = Project(
        owner_id=owner.id,
        slug=kw.pop("slug", f"project-{n}"),
        title=kw.pop("title", f"Áp phích phố cổ {n}"),
        description=kw.pop("description", "Giấy dó, mực tàu."),
        year=kw.pop("year", 2024),
        is_published=kw.pop("is_published", True),
        **kw,
    )
    db.session.add(project)
    db.session.flush()
    return project


def make_report(
    reporter: User,
    *,
    target_type: str = "project",
    target_id: int,
    subject: User | None = None,
    reason: ReportReason = ReportReason.SPAM,
    snapshot: str = "",
) -> Report:
    report = Report(
        reporter_id=reporter.id,
        target_type=target_type,
        target_id=target_id,
        subject_id=subject.id if subject else None,
        reason=reason,
        details="Quảng cáo lặp lại.",
        snapshot=snapshot,
    )
    db.session.add(report)
    db.session.flush()
    return report


def make_action(
    subject: User, *, kind: ActionKind = ActionKind.WARN, actor: User | None = None
) -> ModerationAction:
    return log_action(kind=kind, actor=actor, subject=subject, reason="Be kind in messages.")

"""Factories for moderation tests: projects, reports, actions."""

from __future__ import annotations

import itertools
from typing import Any

from app.accounts.models import User
from app.moderation.models import ActionKind, ModerationAction, Report, ReportReason
from app.moderation.services import log_action
from app.portfolios.models import Project
from demo import build

_seq = itertools.count(1)


def make_project(owner: User, **kw: Any) -> Project:
    n = next(_seq)
    return build.project(
        owner,
        slug=kw.pop("slug", f"project-{n}"),
        title=kw.pop("title", f"Áp phích phố cổ {n}"),
        description=kw.pop("description", "Giấy dó, mực tàu."),
        year=kw.pop("year", 2024),
        **kw,
    )


def make_report(
    reporter: User,
    *,
    target_type: str = "project",
    target_id: int,
    subject: User | None = None,
    reason: ReportReason = ReportReason.SPAM,
    snapshot: str = "",
) -> Report:
    return build.report(
        reporter,
        target_type=target_type,
        target_id=target_id,
        subject=subject,
        reason=reason,
        details="Quảng cáo lặp lại.",
        snapshot=snapshot,
    )


def make_action(
    subject: User, *, kind: ActionKind = ActionKind.WARN, actor: User | None = None
) -> ModerationAction:
    return log_action(kind=kind, actor=actor, subject=subject, reason="Be kind in messages.")

"""Network statistics for admins, and a small bar chart drawn as SVG on the server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import func, select

from app.accounts.models import User, UserStatus
from app.db_types import utcnow
from app.extensions import db

WEEKS = 12


@dataclass(frozen=True)
class Series:
    """Something counted per week: a label and the creation time column of its rows."""

    key: str
    label: Callable[[], str]
    column: Any


# Each domain adds its series (calls, submissions, messages) with one `SERIES.append(...)`.
SERIES: list[Series] = []


def register_series(series: Series) -> None:
    SERIES.append(series)


register_series(Series("members", lambda: _("New members per week"), User.created_at))


def members_by_status() -> dict[str, int]:
    rows = db.session.execute(select(User.status, func.count()).group_by(User.status))
    counts = {str(s): 0 for s in UserStatus}
    counts.update({str(status): int(n) for status, n in rows})
    return counts


def week_starts(now: datetime | None = None) -> list[datetime]:
    now = now or utcnow()
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return [monday - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]


def weekly(series: Series, starts: list[datetime]) -> list[int]:
    """Rows created in each week; only the timestamps of the last weeks are read."""
    counts = [0] * len(starts)
    for (created,) in db.session.execute(select(series.column).where(series.column >= starts[0])):
        if created.tzinfo is None:  # SQLite hands back naive UTC values in plain selects
            created = created.replace(tzinfo=UTC)
        index = min((created - starts[0]).days // 7, len(starts) - 1)
        counts[index] += 1
    return counts


def bar_chart(values: list[int], labels: list[str], *, title: str) -> Markup:
    """A labelled bar chart as inline SVG (no script, no external library)."""
    width, height, pad, top = 600, 180, 28, 16
    peak = max(values) or 1
    step = (width - pad) / max(len(values), 1)
    bar = step * 0.7
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 24}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad}" y1="{height}" x2="{width}" y2="{height}" class="chart__axis"/>',
    ]
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        h = (height - top) * value / peak
        x = pad + i * step + (step - bar) / 2
        parts.append(
            f'<rect class="chart__bar" x="{x:.1f}" y="{height - h:.1f}" '
            f'width="{bar:.1f}" height="{h:.1f}"><title>{escape(label)}: {value}</title></rect>'
        )
        if value:
            parts.append(
                f'<text class="chart__value" x="{x + bar / 2:.1f}" y="{height - h - 4:.1f}" '
                f'text-anchor="middle">{value}</text>'
            )
        if i % 2 == 0 or len(values) <= 6:
            parts.append(
                f'<text class="chart__label" x="{x + bar / 2:.1f}" y="{height + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    # Every piece of text above went through escape(); the rest is numbers we formatted.
    return Markup("".join(parts))  # noqa: S704

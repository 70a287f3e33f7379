"""The community guidelines as pages and emails cite them: number, anchor, title, link."""

from __future__ import annotations

from dataclasses import dataclass

from app.moderation.models import GUIDELINE_OF_REASON, GUIDELINE_TITLES, Guideline, ReportReason
from app.urls import public_url


@dataclass(frozen=True)
class Rule:
    number: int
    anchor: str
    title: str

    @property
    def url(self) -> str:
        return public_url("main.guidelines", _anchor=self.anchor)


def rules() -> list[Rule]:
    return [Rule(n, str(g), str(GUIDELINE_TITLES[g])) for n, g in enumerate(Guideline, start=1)]


def rule_for(reason: str | None) -> Rule | None:
    """The rule a report reason refers to, or None ("other", unknown)."""
    try:
        guideline = GUIDELINE_OF_REASON.get(ReportReason(reason or ""))
    except ValueError:
        return None
    if guideline is None:
        return None
    return Rule(
        list(Guideline).index(guideline) + 1, str(guideline), str(GUIDELINE_TITLES[guideline])
    )

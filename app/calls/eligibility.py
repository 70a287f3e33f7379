"""Whether a designer meets a call's rules (age on the deadline day, country): a rule on the
models alone, so that queries (the open calls a designer may apply to) and services both use it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.calls.models import CallCategory, OpenCall
from app.i18n import zone
from app.profiles.models import DesignerProfile


def deadline_day(call: OpenCall, category: CallCategory | None = None) -> date:
    """The calendar day of the deadline where the call is run: ages are judged on it. A category
    with a deadline of its own is judged on that day."""
    deadline = call.deadline_at
    if category is not None and category.deadline_at is not None:
        deadline = category.deadline_at
    return deadline.astimezone(zone(call.timezone)).date()


def age_day(call: OpenCall, category: CallCategory | None = None) -> date:
    """The day an age is judged on: the category's deadline day when one is picked; before
    that, the earliest of the categories' days (eligible in at least one of them)."""
    if category is not None or not call.categories:
        return deadline_day(call, category)
    return min(deadline_day(call, c) for c in call.categories)


@dataclass
class Eligibility:
    reasons: list[str]
    age: int | None = None

    @property
    def ok(self) -> bool:
        return not self.reasons


def age_on(birth: date, day: date) -> int:
    """Completed years on a day: someone born 35 years before it to the day is 35."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def eligibility(
    call: OpenCall, profile: DesignerProfile | None, category: CallCategory | None = None
) -> Eligibility:
    """Whether a designer meets the call's rules (in `category` when given; in at least one of
    the call's categories otherwise), and exactly why not."""
    reasons: list[str] = []
    age = None
    if call.max_age is not None:
        if profile is None or profile.birth_date is None:
            reasons.append("birth_date_missing")
        else:
            age = age_on(profile.birth_date, age_day(call, category))
            if age > call.max_age:
                reasons.append("too_old")
    if call.allowed_countries:
        country = (profile.country if profile else "") or ""
        if not country:
            reasons.append("country_missing")
        elif country.upper() not in call.allowed_countries:
            reasons.append("country")
    return Eligibility(reasons=reasons, age=age)

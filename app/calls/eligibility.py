"""Whether a designer meets a call's rules (age on the deadline day, country): a rule on the
models alone, so that queries (the open calls a designer may apply to) and services both use it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.calls.models import OpenCall
from app.i18n import zone
from app.profiles.models import DesignerProfile


def deadline_day(call: OpenCall) -> date:
    """The calendar day of the deadline where the call is run: ages are judged on it."""
    return call.deadline_at.astimezone(zone(call.timezone)).date()


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


def eligibility(call: OpenCall, profile: DesignerProfile | None) -> Eligibility:
    """Whether a designer meets the call's rules, and exactly why not."""
    reasons: list[str] = []
    age = None
    if call.max_age is not None:
        if profile is None or profile.birth_date is None:
            reasons.append("birth_date_missing")
        else:
            age = age_on(profile.birth_date, deadline_day(call))
            if age > call.max_age:
                reasons.append("too_old")
    if call.allowed_countries:
        country = (profile.country if profile else "") or ""
        if not country:
            reasons.append("country_missing")
        elif country.upper() not in call.allowed_countries:
            reasons.append("country")
    return Eligibility(reasons=reasons, age=age)

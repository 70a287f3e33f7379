"""A person's home put together: one section per role they hold, and their first steps.

Sections are read only for the roles the person holds; each costs a fixed number of queries
(app.home.queries), so the page's count does not grow with calls, applications or juries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.accounts.models import User
from app.calls.access_models import Nominator
from app.calls.models import Juror, OpenCall, Submission
from app.calls.nominations import seats_of
from app.calls.policies import ApplyRefusal, apply_refusal
from app.calls.queries import CallFilters, invitations_waiting, list_calls
from app.home import queries
from app.moderation.queries import Queue, queues

# How many rows each section shows; the full lists are one link away.
TOP = 5
ELIGIBLE_TOP = 4

# Refusals about the person, not the call: told once in the section rather than per call.
PERSON_REFUSALS = frozenset(
    {ApplyRefusal.PENDING, ApplyRefusal.UNVERIFIED, ApplyRefusal.NOT_MEMBER}
)


@dataclass
class Step:
    """One of the first steps: `key` names it (the page picks its words and link)."""

    key: str
    done: bool


@dataclass
class DesignerSection:
    applications: list[Submission]
    counts: queries.ApplicationCounts
    eligible: list[OpenCall]
    refusal: ApplyRefusal | None
    portfolio: queries.PortfolioState


@dataclass
class OrganiserSection:
    calls: list[queries.CallRow]
    total: int

    @property
    def to_send(self) -> int:
        return sum(row.to_send for row in self.calls)


@dataclass
class Home:
    designer: DesignerSection | None = None
    jury: list[queries.JurySeat] = field(default_factory=list)
    invitations: list[Juror] = field(default_factory=list)
    nominating: list[Nominator] = field(default_factory=list)
    organiser: OrganiserSection | None = None
    queues: dict[str, Queue] | None = None
    steps: list[Step] = field(default_factory=list)

    @property
    def steps_left(self) -> bool:
        return any(not s.done for s in self.steps)


def _eligible_calls(user: User) -> tuple[list[OpenCall], ApplyRefusal | None]:
    """Open calls the person may enter now and has not applied to, nearest deadline first, or
    the reason about the person that keeps them from every call (pending, unconfirmed...)."""
    profile = getattr(user, "designer_profile", None)
    page = list_calls(CallFilters(eligible=True), page=1, viewer_profile=profile)
    applied = queries.applied_call_ids(user)
    jury = queries.jury_call_ids(user)
    found: list[OpenCall] = []
    for call in page.items:
        refusal = apply_refusal(user, call, {user.id} if call.id in jury else set())
        if refusal in PERSON_REFUSALS:
            return [], refusal
        if refusal is None and call.id not in applied:
            found.append(call)
    return found[:ELIGIBLE_TOP], None


def designer_steps(portfolio: queries.PortfolioState) -> list[Step]:
    return [
        Step("profile", portfolio.profile_described),
        Step("first_work", portfolio.projects > 0),
    ]


def organiser_steps(user: User, call_count: int) -> list[Step]:
    return [
        Step("organisation", queries.organisation_described(user)),
        Step("first_call", call_count > 0),
    ]


def home_for(user: User) -> Home:
    """Everything the person's home shows, by the roles they hold."""
    home = Home()
    if user.is_designer:
        portfolio = queries.portfolio_state(user)
        eligible, refusal = _eligible_calls(user)
        home.designer = DesignerSection(
            applications=queries.applications(user, limit=TOP),
            counts=queries.application_counts(user),
            eligible=eligible,
            refusal=refusal,
            portfolio=portfolio,
        )
        home.steps = designer_steps(portfolio)
    # A pending person can sit on a jury an organisation's invitation approved them for.
    if user.is_member or user.is_pending:
        home.jury = queries.jury_seats(user, limit=TOP)
        home.invitations = invitations_waiting(user)
    if user.is_member:
        home.nominating = seats_of(user, limit=TOP)
    if user.is_organiser:
        total = queries.organiser_call_count(user)
        home.organiser = OrganiserSection(
            calls=queries.organiser_calls(user, limit=TOP) if total else [], total=total
        )
        home.steps = organiser_steps(user, total)
    if user.is_moderator:
        home.queues = queues()
    return home

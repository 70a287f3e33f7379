"""Decision emails in the organiser's words, and the jury's feedback that goes with them.

A template is plain text with four placeholders, `{name}`, `{call}`, `{decision}` and `{link}`,
replaced by plain values in one pass: never `str.format`, never Jinja, so that `{0.__class__}`
or `{{ config }}` can only be refused (with a message saying why), never evaluated. The values
are text; the HTML email escapes them like any other line.

Which text an applicant gets: the call's template for the decision in the applicant's language,
else in the organiser's language, else in English, else the built-in text (in the applicant's
language).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.calls.decision_models import DecisionTemplate, SharedFeedback
from app.calls.models import Decision, OpenCall, Review, Submission, SubmissionStatus
from app.db_types import utcnow
from app.extensions import db
from app.mail.services import in_recipient_language
from app.savepoints import savepoint
from app.transitions import claim
from app.urls import public_url

PLACEHOLDERS = ("name", "call", "decision", "link")
# The decisions an email is sent for ("notify applicants"); a shortlist is not announced.
EMAILED = (Decision.ACCEPTED, Decision.DECLINED)
FALLBACK_LOCALE = "en"
SUBJECT_MAX = 200
BODY_MAX = 5000
# Who a template is previewed for while nobody applied yet.
SAMPLE_NAME = "Nguyễn Thị Mai"

# The {decision} placeholder, mid-sentence, in the template's language.
DECISION_WORDS = {
    Decision.ACCEPTED: _l("accepted"),
    Decision.DECLINED: _l("not selected"),
    Decision.SHORTLISTED: _l("shortlisted"),
    Decision.PENDING: _l("undecided"),
}


class TemplateError(Exception):
    """A template refused, with every reason (each a sentence for the organiser)."""

    def __init__(self, field: str, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.field = field
        self.reasons = reasons


# ---------- Reading a template ----------

_TOKEN = re.compile(r"\{([^{}]*)\}|[{}]")


def _allowed() -> str:
    return ", ".join("{" + p + "}" for p in PLACEHOLDERS)


def problems(text: str) -> list[str]:
    """Why a template cannot be used, in the organiser's words; empty when it can."""
    found: list[str] = []
    code = any(mark in text for mark in ("{{", "{%", "{#", "}}", "%}", "#}"))
    if code:
        found.append(
            _(
                "Template code such as “{{ … }}” or “{%% … %%}” is not allowed: write plain "
                "text, with only these placeholders: %(allowed)s.",
                allowed=_allowed(),
            )
        )
    unknown: list[str] = []
    unclosed = unopened = False
    for match in _TOKEN.finditer(text):
        inner, piece = match.group(1), match.group(0)
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if code and (before == "{" or after == "}" or piece in "{}" or inner[:1] in "%#"):
            continue  # part of the template code, said above
        if inner is None:
            unclosed = unclosed or piece == "{"
            unopened = unopened or piece == "}"
        elif inner not in PLACEHOLDERS and piece[:60] not in unknown:
            unknown.append(piece[:60])
    if unknown:
        pieces = ", ".join(f"“{p}”" for p in unknown[:5])
        found.append(
            ngettext(
                "%(pieces)s is not a placeholder. Use only %(allowed)s.",
                "%(pieces)s are not placeholders. Use only %(allowed)s.",
                len(unknown),
                pieces=pieces,
                allowed=_allowed(),
            )
        )
    if unclosed:
        found.append(_("A “{” is never closed: placeholders are written like {name}."))
    if unopened:
        found.append(_("A “}” closes nothing: placeholders are written like {name}."))
    return found


def fill(text: str, values: dict[str, str]) -> str:
    """The template with each placeholder replaced by its value, in one pass (a value that
    looks like a placeholder stays as written). Only for a text without `problems`."""
    return re.sub(r"\{(" + "|".join(PLACEHOLDERS) + r")\}", lambda m: values[m.group(1)], text)


# ---------- The default texts ----------


def default_texts(decision: Decision, locale: str) -> tuple[str, str]:
    """The built-in subject and body of a decision's email, as a template in `locale` (the
    email ends with the link to the application: {link} is there for a text that wants it)."""
    with force_locale(locale):
        subject = _("A decision on your application to “{call}”")
        if decision == Decision.ACCEPTED:
            body = _("Congratulations: your application to “{call}” was accepted.")
        else:
            body = _(
                "Thank you for applying to “{call}”. Your application was not selected this time."
            )
    return subject, body


# ---------- Storing ----------


def languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def template_for(call: OpenCall, decision: Decision, locale: str) -> DecisionTemplate | None:
    return db.session.scalar(
        select(DecisionTemplate).where(
            DecisionTemplate.call_id == call.id,
            DecisionTemplate.decision == decision,
            DecisionTemplate.locale == locale,
        )
    )


def templates_of(call: OpenCall) -> dict[tuple[Decision, str], DecisionTemplate]:
    rows = db.session.scalars(select(DecisionTemplate).where(DecisionTemplate.call_id == call.id))
    return {(t.decision, t.locale): t for t in rows}


def check(subject: str, body: str) -> None:
    """Refuse an empty, too long or unsafe template (every reason, per field)."""
    for field, text, most in (("subject", subject, SUBJECT_MAX), ("body", body, BODY_MAX)):
        reasons = problems(text)
        if not text.strip():
            reasons.insert(0, _("Write a text, or reset it to the default one."))
        if len(text) > most:
            reasons.insert(0, _("At most %(num)d characters.", num=most))
        if "\n" in text and field == "subject":
            reasons.insert(0, _("The subject is one line."))
        if reasons:
            raise TemplateError(field, reasons)


def save_template(
    call: OpenCall,
    *,
    actor: User,  # noqa: ARG001  (the acting user, as every service takes it)
    decision: Decision,
    locale: str,
    subject: str,
    body: str,
) -> DecisionTemplate:
    """Write the organiser's text of a decision's email in one language (created or changed)."""
    subject = subject.strip()
    body = body.replace("\r\n", "\n").strip()
    check(subject, body)
    template = template_for(call, decision, locale)
    if template is None:
        try:
            with savepoint():
                template = DecisionTemplate(
                    call_id=call.id, decision=decision, locale=locale, subject=subject, body=body
                )
                db.session.add(template)
        except IntegrityError:
            # Saved at the same moment from another tab: this text replaces that one.
            template = template_for(call, decision, locale)
            assert template is not None
    template.subject = subject
    template.body = body
    db.session.flush()
    return template


def reset_template(
    call: OpenCall,
    *,
    actor: User,  # noqa: ARG001  (the acting user, as every service takes it)
    decision: Decision,
    locale: str,
) -> bool:
    """Back to the default text; False when there was nothing of the organiser's."""
    result = db.session.execute(
        delete(DecisionTemplate).where(
            DecisionTemplate.call_id == call.id,
            DecisionTemplate.decision == decision,
            DecisionTemplate.locale == locale,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# ---------- Writing an applicant's email ----------


def _chosen_template(submission: Submission, call: OpenCall) -> DecisionTemplate | None:
    wanted = [submission.applicant.locale, call.owner.locale, FALLBACK_LOCALE]
    order = [lang for lang in dict.fromkeys(w for w in wanted if w) if lang in languages()]
    if not order:
        return None
    rows = {
        t.locale: t
        for t in db.session.scalars(
            select(DecisionTemplate).where(
                DecisionTemplate.call_id == call.id,
                DecisionTemplate.decision == submission.decision,
                DecisionTemplate.locale.in_(order),
            )
        )
    }
    return next((rows[lang] for lang in order if lang in rows), None)


def values_for(person: User, call: OpenCall, decision: Decision, locale: str) -> dict[str, str]:
    """What the placeholders stand for in this applicant's email, in the template's language."""
    with force_locale(locale):
        word = str(DECISION_WORDS[decision])
    return {
        "name": person.display_name,
        "call": call.title,
        "decision": word,
        "link": public_url("calls.apply", slug=call.slug),
    }


def _lazy(text: str) -> LazyString:
    return LazyString(lambda: text)


def written_lines(
    person: User, call: OpenCall, decision: Decision, subject: str, body: str, locale: str
) -> tuple[LazyString, list[str | LazyString]]:
    """A template filled for one applicant: the subject and the body's lines."""
    values = values_for(person, call, decision, locale)
    lines: list[str | LazyString] = [
        line.strip() for line in fill(body, values).split("\n") if line.strip()
    ]
    return _lazy(fill(subject, values)), lines


def custom_email(
    submission: Submission, call: OpenCall
) -> tuple[LazyString, list[str | LazyString]] | None:
    """The organiser's text for this applicant's decision, None when they wrote none (or one
    that no longer passes the checks)."""
    template = _chosen_template(submission, call)
    if template is None or problems(template.subject) or problems(template.body):
        return None
    return written_lines(
        submission.applicant,
        call,
        submission.decision,
        template.subject,
        template.body,
        template.locale,
    )


def feedback_lines(submission: Submission) -> list[str | LazyString]:
    """The jurors' comments chosen for the applicant, anonymised (lazy: the recipient's
    language)."""
    shared = shared_feedback(submission)
    if not shared:
        return []
    lines: list[str | LazyString] = [_l("Feedback from the jury:")]
    for number, item in enumerate(shared, start=1):
        lines.append(_l("Juror %(num)d: %(text)s", num=number, text=item.text))
    return lines


@dataclass(frozen=True)
class Preview:
    subject: str
    text: str
    locale: str
    applicant: str
    sample: bool


def sample_applicant(call: OpenCall, decision: Decision, locale: str) -> Submission | None:
    """A real applicant to preview a template with: one of this decision waiting for the email
    (in this language if any), else any applicant of the call."""
    base = (
        select(Submission)
        .join(User, User.id == Submission.applicant_id)
        .where(Submission.call_id == call.id, Submission.status == SubmissionStatus.SUBMITTED)
        .options(selectinload(Submission.applicant))
        .limit(1)
    )
    for query in (
        base.where(Submission.decision == decision, User.locale == locale).order_by(
            Submission.notified_at.is_not(None), Submission.id
        ),
        base.where(Submission.decision == decision).order_by(Submission.id),
        base.order_by(Submission.id),
    ):
        found = db.session.scalar(query)
        if found is not None:
            return found
    return None


def preview(call: OpenCall, *, decision: Decision, locale: str, subject: str, body: str) -> Preview:
    """The email as written (saved or not) for a real applicant of the call, in `locale`, with
    their message and chosen feedback; a sample name when nobody applied yet. Nothing is sent."""
    submission = sample_applicant(call, decision, locale)
    if submission is None:
        person = User(display_name=SAMPLE_NAME, handle="sample", locale=locale)
        title, lines = written_lines(person, call, decision, subject, body, locale)
    else:
        person = submission.applicant
        title, lines = written_lines(person, call, decision, subject, body, locale)
        if submission.decision_message:
            lines.append(submission.decision_message)
        lines.extend(feedback_lines(submission))
    with in_recipient_language(locale) as lang:
        text = render_template(
            "mail/calls_notice.txt",
            user=person,
            lines=[str(line) for line in lines],
            link=public_url("calls.apply", slug=call.slug),
            network_name=current_app.config["NETWORK_NAME"],
        )
        return Preview(str(title), text, lang, person.display_name, submission is None)


# ---------- The jury's feedback ----------


def shared_feedback(submission: Submission) -> list[SharedFeedback]:
    return list(
        db.session.scalars(
            select(SharedFeedback)
            .where(SharedFeedback.submission_id == submission.id)
            .order_by(SharedFeedback.position, SharedFeedback.id)
        )
    )


def feedback_choices(submission: Submission) -> list[Review]:
    """The reviews whose overall comment may go to the applicant: written, not recused."""
    return [
        r
        for r in sorted(submission.reviews, key=lambda r: r.id)
        if r.comment.strip() and not r.conflict_of_interest
    ]


def visible_feedback(submission: Submission) -> list[SharedFeedback]:
    """What the applicant reads on their application: only once told the decision."""
    if submission.notified_at is None or submission.status != SubmissionStatus.SUBMITTED:
        return []
    return shared_feedback(submission)


class FeedbackError(Exception):
    pass


class NotThisSubmission(LookupError):
    """A review id that is not one of this submission's."""


def share_feedback(
    submission: Submission,
    *,
    actor: User,  # noqa: ARG001  (the acting user, as every service takes it)
    review_ids: Iterable[int],
) -> int:
    """Choose which jurors' comments go to the applicant with the decision (none: nothing);
    the text is kept as read now. Refused once the applicant was told."""
    wanted = list(dict.fromkeys(review_ids))
    choices = {r.id: r for r in feedback_choices(submission)}
    if any(i not in choices for i in wanted):
        raise NotThisSubmission()
    # One winner against "notify applicants" sent at the same moment: the row is touched only
    # while nobody was told (the loser's transaction is rolled back by the caller).
    if submission.notified_at is not None or not claim(
        submission, where={"notified_at": None}, values={"updated_at": utcnow()}
    ):
        raise FeedbackError(
            _("The applicant was already told the decision: the feedback went with it.")
        )
    db.session.execute(delete(SharedFeedback).where(SharedFeedback.submission_id == submission.id))
    for position, review_id in enumerate(sorted(wanted), start=1):
        db.session.add(
            SharedFeedback(
                submission_id=submission.id,
                review_id=review_id,
                position=position,
                text=choices[review_id].comment.strip(),
            )
        )
    db.session.flush()
    return len(wanted)


def changed_since_chosen(shared: Sequence[SharedFeedback], reviews: Sequence[Review]) -> set[int]:
    """The reviews whose comment changed after the organiser chose it (the old text goes)."""
    current = {r.id: r.comment.strip() for r in reviews}
    return {s.review_id for s in shared if current.get(s.review_id, s.text) != s.text}

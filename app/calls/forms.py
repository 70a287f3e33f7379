"""Forms of calls: the call, its questions and jury, an application, a review, a decision."""

from __future__ import annotations

from datetime import time
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms import FileField as PlainFileField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from app.accounts.forms import timezone_choices
from app.calls.access_forms import ACCESS_LABELS
from app.calls.models import CallKind, Decision, QuestionKind
from app.calls.services import PRIZE_MAX, STATEMENT_MAX
from app.forms import Form, choices
from app.i18n import countries, default_timezone

KIND_LABELS = {
    CallKind.COMPETITION: _l("Competition"),
    CallKind.RESIDENCY: _l("Residency"),
    CallKind.EXHIBITION: _l("Exhibition"),
    CallKind.FESTIVAL: _l("Festival"),
    CallKind.GRANT: _l("Grant"),
    CallKind.COMMISSION: _l("Commission"),
    CallKind.JOB: _l("Job"),
}

QUESTION_LABELS = {
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.URL: _l("Web address"),
    QuestionKind.YES_NO: _l("Yes or no"),
    QuestionKind.CHOICE: _l("Single choice"),
}

DECISION_LABELS = {
    Decision.PENDING: _l("Undecided"),
    Decision.SHORTLISTED: _l("Shortlisted"),
    Decision.ACCEPTED: _l("Accepted"),
    Decision.DECLINED: _l("Declined"),
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class CallForm(Form):
    kind = SelectField(_l("Kind"), choices=choices([(k.value, v) for k, v in KIND_LABELS.items()]))
    title = StringField(
        _l("Title"), filters=[_strip], validators=[DataRequired(), Length(min=4, max=150)]
    )
    summary = StringField(
        _l("Summary"),
        description=_l("One sentence shown on the list of calls."),
        filters=[_strip],
        validators=[DataRequired(), Length(max=300)],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("Markdown: **bold**, *italic*, [links](https://…), lists."),
        validators=[Length(max=20000)],
    )
    disciplines = SelectMultipleField(_l("Disciplines"), coerce=int, validate_choice=False)
    timezone = SelectField(
        _l("Time zone of the call"),
        description=_l("The deadline is entered in this zone and shown beside the viewer's own."),
        default=default_timezone,
    )
    opens_on = DateField(_l("Opens on (optional)"), validators=[Optional()])
    deadline_date = DateField(_l("Deadline day"), validators=[DataRequired()])
    deadline_time = TimeField(_l("Deadline time"), default=time(23, 59))
    fee = RadioField(
        _l("Entry fee"),
        choices=choices([("none", _l("No entry fee")), ("fee", _l("There is an entry fee"))]),
        default="none",
    )
    entry_fee = StringField(
        _l("Fee amount"),
        description=_l("For example: 200,000 VND or 15 EUR."),
        filters=[_strip],
        validators=[Length(max=80)],
    )
    prizes = TextAreaField(_l("Prizes and benefits"), validators=[Length(max=5000)])
    max_projects = IntegerField(
        _l("Projects an applicant attaches (at most)"),
        default=3,
        validators=[DataRequired(), NumberRange(min=1, max=10)],
    )
    max_age = IntegerField(
        _l("Maximum age on the deadline day (optional)"),
        description=_l("For “under 35”, enter 34."),
        validators=[Optional(), NumberRange(min=14, max=120)],
    )
    allowed_countries = SelectMultipleField(
        _l("Allowed countries (optional)"),
        description=_l("Tick the countries applicants must live in. None ticked: everyone."),
    )
    blind_review = BooleanField(_l("Blind review: jurors do not see who applied"))
    access_mode = RadioField(
        _l("Who may apply"),
        choices=choices([(k.value, v) for k, v in ACCESS_LABELS.items()]),
        default="open",
    )
    banner = PlainFileField(
        _l("Banner image"),
        description=_l("Optional. JPEG, PNG, WebP or GIF, at most 10 MB; shown wide at the top."),
    )
    banner_alt = StringField(
        _l("Describe the banner"),
        description=_l("For people who cannot see it: what the image shows."),
        filters=[_strip],
        validators=[Optional(), Length(max=300)],
    )
    remove_banner = BooleanField(_l("Remove the current banner"))

    def __init__(self, *args: Any, disciplines: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = choices(timezone_choices())
        self.disciplines.choices = choices(disciplines)
        # Named in the viewer's language, sorted as that language sorts; the codes are stored.
        self.allowed_countries.choices = choices(countries(str(get_locale() or "en")))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        # Not an inline validator: Optional() on the alt text would stop the chain before it.
        if getattr(self.banner.data, "filename", "") and not self.banner_alt.data:
            self.banner_alt.errors = [
                *self.banner_alt.errors,
                str(_l("Describe the image for people who cannot see it.")),
            ]
            valid = False
        return valid

    def validate_entry_fee(self, field: StringField) -> None:
        if self.fee.data == "fee" and not field.data:
            raise ValidationError(_l("Say how much the entry fee is."))


class QuestionForm(Form):
    label = StringField(
        _l("Question"), filters=[_strip], validators=[DataRequired(), Length(max=200)]
    )
    kind = SelectField(
        _l("Answer type"), choices=choices([(k.value, v) for k, v in QUESTION_LABELS.items()])
    )
    options = TextAreaField(
        _l("Options (single choice only)"), description=_l("One option per line.")
    )
    required = BooleanField(_l("An answer is required"))


class CategoryForm(Form):
    name = StringField(
        _l("Name"),
        description=_l("For example: Poster, Product, Student."),
        filters=[_strip],
        validators=[DataRequired(_l("Give the category a name.")), Length(max=80)],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("Markdown: **bold**, *italic*, [links](https://…), lists."),
        validators=[Length(max=5000)],
    )
    deadline_date = DateField(
        _l("Own deadline day (optional)"),
        description=_l("In the call's time zone; no later than the call's deadline."),
        validators=[Optional()],
    )
    deadline_time = TimeField(
        _l("Own deadline time"), default=time(23, 59), validators=[Optional()]
    )
    max_projects = IntegerField(
        _l("Projects an applicant attaches (optional, at most)"),
        description=_l("Empty: as for the whole call."),
        validators=[Optional(), NumberRange(min=1, max=10)],
    )


class JurorForm(Form):
    invitee = StringField(
        _l("Handle or email"),
        description=_l(
            "A member's handle (e.g. @mai-nguyen) or anyone's email address: someone without "
            "an account gets a link to join the network and the jury."
        ),
        filters=[_strip],
        validators=[DataRequired(_l("Enter a handle or an email address.")), Length(max=254)],
    )

    def validate_invitee(self, field: StringField) -> None:
        if "@" in (field.data or "").lstrip("@"):
            Email(_l("Enter a valid email address."))(self, field)


class RevokeApprovalForm(Form):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("The person and the organiser read it."),
        filters=[_strip],
        validators=[DataRequired(_l("Give a reason.")), Length(max=2000)],
    )


class ApplicationForm(Form):
    statement = TextAreaField(
        _l("Statement"),
        description=_l("Why this call, and what you would bring (at most 3,000 characters)."),
        validators=[Length(max=STATEMENT_MAX)],
    )
    projects = SelectMultipleField(_l("Projects"), coerce=int, validate_choice=False)
    results_consent = BooleanField(
        _l("If my work is selected, show it on the call's public results page"),
        description=_l(
            "Your name, the projects you sent and any prize. You can change this later."
        ),
    )
    # Offered only when the call has categories; the service checks it belongs to the call.
    category = SelectField(_l("Category"), validate_choice=False)


class DecisionForm(Form):
    decision = SelectField(
        _l("Decision"), choices=choices([(d.value, v) for d, v in DECISION_LABELS.items()])
    )
    message = TextAreaField(
        _l("Message to the applicant (optional)"), validators=[Length(max=2000)]
    )
    prize = StringField(
        _l("Prize or mention (optional)"),
        description=_l(
            "For an accepted work, shown on the public results page, e.g. “Gold award”."
        ),
        validators=[Length(max=PRIZE_MAX)],
    )

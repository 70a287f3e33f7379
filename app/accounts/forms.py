"""Account forms. Field names of sign-up and log-in are a public contract (PRODUCT.md)."""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.accounts import services
from app.accounts.handles import handle_problem, normalise_handle
from app.accounts.models import AccountType
from app.accounts.passwords import MAX_LENGTH, password_problem
from app.forms import Form, choices
from app.i18n import language_choices


@cache
def timezone_choices() -> list[tuple[str, str]]:
    zones = sorted(
        z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))
    )
    return [(z, z.replace("_", " ")) for z in zones]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class SignupForm(Form):
    account_type = RadioField(
        _l("I am joining as"),
        choices=choices(
            [
                (AccountType.DESIGNER.value, _l("A designer")),
                (AccountType.ORGANISER.value, _l("An organiser")),
            ]
        ),
        default=AccountType.DESIGNER.value,
        validators=[DataRequired(_l("Choose designer or organiser."))],
    )
    display_name = StringField(
        _l("Your name"),
        filters=[_strip],
        validators=[DataRequired(_l("Tell us your name.")), Length(max=80)],
        description=_l("As you want it shown, with its diacritics: Nguyễn Thị Mai."),
    )
    handle = StringField(
        _l("Handle"),
        filters=[_strip],
        validators=[DataRequired(_l("Choose a handle."))],
        description=_l(
            "Your address on the network: /designers/your-handle. Letters a–z, digits, hyphens."
        ),
    )
    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter a valid email address.")),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Choose a password."))],
        description=_l("At least 10 characters; not a common password."),
    )

    def validate_handle(self, field: StringField) -> None:
        handle = normalise_handle(field.data or "")
        problem = handle_problem(handle)
        if problem:
            raise ValidationError(problem)
        if services.handle_taken(handle):
            raise ValidationError(_l("This handle is taken. Please choose another."))

    def validate_email(self, field: EmailField) -> None:
        if services.email_taken(field.data or ""):
            # Sign-up must say so for the person to log in instead; the rate limit bounds probing.
            raise ValidationError(
                _l("An account already uses this email address. Log in or reset your password.")
            )

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(
            field.data or "", email=self.email.data or "", handle=self.handle.data or ""
        )
        if problem:
            raise ValidationError(problem)


class LoginForm(Form):
    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=MAX_LENGTH)],
    )
    remember = BooleanField(_l("Remember me on this device"))


class ResetRequestForm(Form):
    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter a valid email address.")),
            Length(max=254),
        ],
    )


class NewPasswordForm(Form):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a password."))],
        description=_l("At least 10 characters; not a common password."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo("password", _l("The two passwords differ.")),
        ],
    )

    def __init__(self, *args: Any, email: str = "", handle: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._email, self._handle = email, handle

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", email=self._email, handle=self._handle)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )


class ChangeEmailForm(Form):
    new_email = EmailField(
        _l("New email"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter a valid email address.")),
            Length(max=254),
        ],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])


class PreferencesForm(Form):
    display_name = StringField(
        _l("Your name"),
        filters=[_strip],
        validators=[DataRequired(_l("Tell us your name.")), Length(max=80)],
    )
    locale = SelectField(_l("Language"))
    timezone = SelectField(_l("Time zone"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = choices([("", _l("Automatic")), *language_choices()])
        self.timezone.choices = choices(
            [("", _l("Automatic (the network's time zone)")), *timezone_choices()]
        )


class AppealForm(Form):
    text = TextAreaField(
        _l("Why should the decision change?"),
        validators=[DataRequired(), Length(max=4000)],
        description=_l("A moderator who did not take the decision reads it. You can appeal once."),
    )


class DeleteAccountForm(Form):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    confirm = BooleanField(
        _l("I understand that my profile, projects and applications are deleted for good."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )

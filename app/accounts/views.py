"""Sign-up, verification, log-in and log-out, password reset, settings."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from app.accounts import devices, services
from app.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    PreferencesForm,
    ResetRequestForm,
    SignupForm,
)
from app.accounts.invitations import (
    Invitation,
    InvitationError,
    read_invitation,
    redeem_invitation,
)
from app.accounts.models import AccountType, User, UserStatus
from app.accounts.tokens import TokenError, read_token
from app.commits import commit_keeping_loaded
from app.extensions import db, limiter
from app.forms import ConfirmForm
from app.urls import safe_next

bp = Blueprint("accounts", __name__, url_prefix="/auth")
log = logging.getLogger("app.auth")


def _email_key() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))[:254]


def _user_key() -> str:
    return f"user:{current_user.get_id() or request.remote_addr}"


def _on_breach(limit: object) -> None:
    log.warning("rate limit reached (lock-out) path=%s limit=%s", request.path, limit)


@bp.app_template_filter("person_name")
def person_name(user: User | None) -> str:
    """A person's name as others see it; deleted accounts read as "a former member"."""
    if user is None or user.status == UserStatus.DELETED:
        return _("a former member")
    return user.display_name


TOKEN_MESSAGES = {
    "expired": lambda: _("This link has expired. Ask for a new one below."),
    "used": lambda: _("This link was already used. Ask for a new one if you still need it."),
    "invalid": lambda: _("This link is not valid. Check that you copied all of it."),
}


def _signup_invitation(form: SignupForm) -> tuple[str, Invitation | None, str | None]:
    """The invitation a sign-up carries (token, what it invites to), or why it cannot be used."""
    token = request.values.get("invitation", "")[:500]
    if not token:
        return "", None, None
    try:
        invitation = read_invitation(token)
    except InvitationError as exc:
        return "", None, str(exc)
    if request.method == "GET":
        form.email.data = invitation.email
    return token, invitation, None


def _signup_page(
    form: SignupForm,
    status: int,
    token: str = "",
    invitation: Invitation | None = None,
    invitation_error: str | None = None,
) -> ResponseReturnValue:
    return render_template(
        "accounts/signup.html",
        form=form,
        invitation=invitation,
        invitation_token=token,
        invitation_error=invitation_error,
    ), status


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], on_breach=_on_breach)
def signup() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignupForm()
    token, invitation, invitation_error = _signup_invitation(form)
    if invitation_error is not None:
        # Told plainly; the form stays, as a plain sign-up (the link is dropped).
        return _signup_page(form, 422 if form.is_submitted() else 400, "", None, invitation_error)
    if form.validate_on_submit():
        invited = invitation is not None
        if invitation is not None and services.normalise_email(form.email.data or "") != (
            invitation.email
        ):
            form.email.errors = [
                _(
                    "This invitation was sent to %(email)s: sign up with that address (you can "
                    "change it later in your settings).",
                    email=invitation.email,
                )
            ]
            return _signup_page(form, 422, token, invitation)
        try:
            user = services.sign_up(
                email=form.email.data or "",
                password=form.password.data or "",
                handle=form.handle.data or "",
                display_name=form.display_name.data or "",
                account_type=AccountType(form.account_type.data),
                locale=g.get("locale"),
                email_confirmed=invited,
            )
            landing = redeem_invitation(token, user) if invited else url_for("home.me")
            token_session = services.start_session(user, user_agent=request.user_agent.string)
            db.session.commit()
        except InvitationError as exc:
            # Used or withdrawn between the page and the click: nothing is kept.
            db.session.rollback()
            return _signup_page(form, 422, "", None, str(exc))
        except IntegrityError:
            # Someone took the email or handle between the check and the insert (a double click).
            db.session.rollback()
            form.handle.errors = [
                *form.handle.errors,
                _("This handle or email was just taken. Please try again."),
            ]
            return _signup_page(form, 422, token, invitation)
        user.current_session_token = token_session
        login_user(user)
        if invitation is not None:
            flash(invitation.welcome, "success")
        else:
            flash(
                _(
                    "Welcome! We sent a link to %(email)s: open it to confirm your address.",
                    email=user.email,
                ),
                "success",
            )
        return redirect(landing)
    return _signup_page(form, 422 if form.is_submitted() else 200, token, invitation)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute;100 per hour", methods=["POST"], on_breach=_on_breach)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("home.me")))
    form = LoginForm()
    if form.validate_on_submit():
        # Failures only are counted: per account, or per device for a browser the person used.
        email = services.normalise_email(form.email.data or "")[:254]
        device = devices.trusted_device(services.find_by_email(email))
        if not devices.may_try(email, device):
            flash(
                _(
                    "Too many failed log-ins for this account. Wait 15 minutes, or reset your "
                    "password: the link lets you in at once."
                ),
                "error",
            )
            return render_template("accounts/login.html", form=form), 429
        user = services.authenticate(email, form.password.data or "")
        if user is None:
            devices.record_failure(email, device)
            flash(_("That email and password do not match an account."), "error")
            return render_template("accounts/login.html", form=form), 401
        services.lift_expired_suspension(user)
        if user.status == UserStatus.SUSPENDED:
            db.session.commit()
            return render_template("accounts/suspended.html", user=user), 403
        services.start_session(user, user_agent=request.user_agent.string)
        # The account stays loaded: logging in, the message and the redirect read it again.
        commit_keeping_loaded()
        session.clear()
        login_user(user, remember=bool(form.remember.data))
        if user.status == UserStatus.PENDING:
            flash(
                _("You are logged in. Your profile is waiting for a moderator's approval."), "info"
            )
        elif user.status == UserStatus.REJECTED:
            flash(
                _(
                    "Your application was not approved: %(reason)s",
                    reason=user.status_reason or "—",
                ),
                "error",
            )
        else:
            flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
        # A person lands on their home (app/home) unless a safe `next` says otherwise.
        return devices.remember_device(redirect(safe_next(url_for("home.me"))), user, device)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("main.home"))
    if current_user.is_authenticated:
        user_id = current_user.id  # read before the commit expires the account
        services.end_session(current_user.get_id())
        db.session.commit()
        log.info("logout user=%s", user_id)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.home"))


@bp.get("/verify/<token>")
def verify(token: str) -> ResponseReturnValue:
    # GET only shows the page: the change happens when the person presses the button (POST),
    # so that mail scanners that open links do not verify on anyone's behalf.
    try:
        user, _payload = read_token(token, "verify", current_app.config["VERIFY_TOKEN_MAX_AGE"])
    except TokenError as exc:
        return render_template(
            "accounts/token_problem.html", message=TOKEN_MESSAGES[exc.reason]()
        ), 400
    return render_template("accounts/verify.html", form=ConfirmForm(), user=user, token=token)


@bp.post("/verify/<token>")
def verify_confirm(token: str) -> ResponseReturnValue:
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.verify", token=token))
    try:
        services.verify_email(token)
    except TokenError as exc:
        return render_template(
            "accounts/token_problem.html", message=TOKEN_MESSAGES[exc.reason]()
        ), 400
    db.session.commit()
    flash(_("Thank you: your email address is confirmed."), "success")
    # The home shows the first steps (profile and first work, or organisation and first call).
    return redirect(
        url_for("home.me") if current_user.is_authenticated else url_for("accounts.login")
    )


@bp.post("/verify/resend")
@login_required
@limiter.limit("3 per hour", key_func=_user_key, on_breach=_on_breach)
def resend_verification() -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit() and not current_user.email_verified:
        services.send_verification(current_user)
        db.session.commit()
        flash(_("We sent a new link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("accounts.settings"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"], on_breach=_on_breach)
@limiter.limit("3 per hour", methods=["POST"], key_func=_email_key, on_breach=_on_breach)
def reset() -> ResponseReturnValue:
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data or "")
        db.session.commit()
        # The same answer whether or not the address has an account.
        return render_template("accounts/reset_sent.html", email=form.email.data)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/reset.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], on_breach=_on_breach)
def reset_with_token(token: str) -> ResponseReturnValue:
    try:
        user, _payload = read_token(token, "reset", current_app.config["RESET_TOKEN_MAX_AGE"])
    except TokenError as exc:
        return render_template(
            "accounts/token_problem.html", message=TOKEN_MESSAGES[exc.reason](), reset=True
        ), 400
    form = NewPasswordForm(email=user.email, handle=user.handle)
    if form.validate_on_submit():
        services.reset_password(token, form.password.data or "")
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Your password is changed. Log in with the new one."), "success")
        # Following the emailed link proves the person owns the account: this browser is theirs,
        # so failed guesses by others on the account no longer keep them out.
        return devices.remember_device(redirect(url_for("accounts.login")), user)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/reset_form.html", form=form), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> ResponseReturnValue:
    form = PreferencesForm(obj=current_user)
    if form.validate_on_submit():
        services.update_preferences(
            current_user,
            display_name=form.display_name.data or "",
            locale=form.locale.data,
            timezone=form.timezone.data,
        )
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("accounts.settings"))
    return _settings_page(prefs=form)


def _settings_page(
    *,
    prefs: PreferencesForm | None = None,
    email_form: ChangeEmailForm | None = None,
    password_form: ChangePasswordForm | None = None,
    status: int | None = None,
) -> ResponseReturnValue:
    submitted = any(
        f is not None and f.is_submitted() and f.errors for f in (prefs, email_form, password_form)
    )
    page = render_template(
        "accounts/settings.html",
        prefs=prefs or PreferencesForm(obj=current_user, formdata=None),
        email_form=email_form or ChangeEmailForm(formdata=None),
        password_form=password_form or ChangePasswordForm(formdata=None),
        confirm=ConfirmForm(),
        session_count=services.session_count(current_user),
        joined=format_date(current_user.created_at, "long"),
    )
    return page, status or (422 if submitted else 200)


@bp.post("/settings/email")
@login_required
@limiter.limit("5 per hour", key_func=_user_key, on_breach=_on_breach)
def change_email() -> ResponseReturnValue:
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(
                current_user, new_email=form.new_email.data or "", password=form.password.data or ""
            )
        except services.AccountError as exc:
            form.password.errors = [*form.password.errors, str(exc)]
            return _settings_page(email_form=form, status=422)
        db.session.commit()
        flash(
            _(
                "We sent a link to %(email)s. Your address changes when you open it.",
                email=form.new_email.data,
            ),
            "success",
        )
        return redirect(url_for("accounts.settings"))
    return _settings_page(email_form=form)


@bp.get("/email/<token>")
def confirm_email_change_page(token: str) -> ResponseReturnValue:
    try:
        _user, payload = read_token(token, "email", current_app.config["VERIFY_TOKEN_MAX_AGE"])
    except TokenError as exc:
        return render_template(
            "accounts/token_problem.html", message=TOKEN_MESSAGES[exc.reason]()
        ), 400
    return render_template(
        "accounts/confirm_email.html",
        form=ConfirmForm(),
        new_email=payload.get("new_email"),
        token=token,
    )


@bp.post("/email/<token>")
def confirm_email_change(token: str) -> ResponseReturnValue:
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.confirm_email_change_page", token=token))
    try:
        services.confirm_email_change(token)
        db.session.commit()
    except TokenError as exc:
        return render_template(
            "accounts/token_problem.html", message=TOKEN_MESSAGES[exc.reason]()
        ), 400
    except (services.AccountError, IntegrityError) as exc:
        db.session.rollback()
        message = (
            str(exc)
            if isinstance(exc, services.AccountError)
            else _("Another account already uses this email address.")
        )
        return render_template("accounts/token_problem.html", message=message), 409
    flash(_("Your email address is changed."), "success")
    return redirect(
        url_for("accounts.settings") if current_user.is_authenticated else url_for("accounts.login")
    )


@bp.post("/settings/password")
@login_required
@limiter.limit("5 per 15 minutes", key_func=_user_key, on_breach=_on_breach)
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm(email=current_user.email, handle=current_user.handle)
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                current=form.current_password.data or "",
                new=form.password.data or "",
                keep_token=current_user.get_id(),
            )
        except services.AccountError as exc:
            form.current_password.errors = [*form.current_password.errors, str(exc)]
            return _settings_page(password_form=form, status=422)
        db.session.commit()
        flash(_("Your password is changed. Your other sessions were logged out."), "success")
        return redirect(url_for("accounts.settings"))
    return _settings_page(password_form=form)


@bp.post("/sessions/end-all")
@login_required
def end_all_sessions() -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        services.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are logged out everywhere."), "info")
        return redirect(url_for("accounts.login"))
    return redirect(url_for("accounts.settings"))

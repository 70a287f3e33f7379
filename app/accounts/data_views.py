"""Own your data: a person downloads everything they gave, or deletes their account."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.accounts import owndata
from app.accounts.forms import DeleteAccountForm
from app.accounts.services import AccountError
from app.db_types import utcnow
from app.extensions import db, limiter

bp = Blueprint("account_data", __name__, url_prefix="/account")


@bp.get("/data")
@login_required
def data() -> ResponseReturnValue:
    return render_template("accounts/account/data.html", form=DeleteAccountForm(formdata=None))


@bp.get("/data/export.zip")
@login_required
@limiter.limit("10 per hour")
def export() -> ResponseReturnValue:
    parts = owndata.export_parts(current_user)
    readme = _(
        "Everything you gave to %(network)s, as of %(date)s: JSON files and, under files/, "
        "your images. Each image is the largest copy the network shows, re-encoded without "
        "its metadata; an image not prepared yet comes as the file you uploaded (its name "
        "ends in -uploaded). The files you upload are kept privately (never shown to anyone) "
        "and erased with the image, the project or your account.",
        network=current_app.config["NETWORK_NAME"],
        date=utcnow().date().isoformat(),
    )
    filename = f"{current_user.handle}-{utcnow():%Y%m%d}.zip"
    return Response(
        # Everything from the database and the storage was resolved above: the stream runs
        # after the request ended, with no application or request context.
        owndata.stream_zip(parts, readme=readme),
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/delete")
@login_required
@limiter.limit("5 per hour")
def delete() -> ResponseReturnValue:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            cleanups = owndata.delete_account(user=current_user, password=form.password.data or "")
        except AccountError as exc:
            db.session.rollback()
            form.password.errors = [*form.password.errors, str(exc)]
            return render_template("accounts/account/data.html", form=form), 422
        db.session.commit()
        # Files go only once the rows are gone for good: a failed commit keeps both.
        for cleanup in cleanups:
            try:
                cleanup()
            except OSError:
                current_app.logger.exception("could not remove a deleted account's file")
        logout_user()
        session.clear()
        flash(_("Your account is deleted. Thank you for having been part of the network."), "info")
        return redirect(url_for("main.home"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/account/data.html", form=form), status

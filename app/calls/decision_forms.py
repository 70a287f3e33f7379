"""Forms of the decision emails: a template's text, and the jury's feedback to pass on."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField

from app.forms import Form


class DecisionTemplateForm(Form):
    # Lengths and placeholders are checked by the service (every reason shown at once).
    subject = StringField(_l("Subject"))
    body = TextAreaField(
        _l("Email text"),
        description=_l(
            "Plain text. Placeholders: {name} the applicant, {call} the call’s title, "
            "{decision} the decision, {link} their application. Greeting and signature are "
            "added for you."
        ),
        render_kw={"rows": 10},
    )

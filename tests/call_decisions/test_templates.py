"""Decision email texts written by the organiser: placeholders only, refused template code shown
back with a message, preview for a real applicant, reset, and what each applicant receives."""

from __future__ import annotations

from typing import Any

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.accounts.models import User
from app.calls import decision_templates as templates
from app.calls import services
from app.calls.decision_models import DecisionTemplate
from app.calls.models import Decision, OpenCall
from app.extensions import db
from app.mail.models import OutgoingEmail
from tests.calls.factories import make_call, make_submission
from tests.factories import make_user


def _text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def _url(call: OpenCall, decision: str = "accepted", lang: str = "en") -> str:
    return f"/calls/{call.slug}/decisions/templates/{decision}/{lang}"


def _templates() -> int:
    return int(db.session.scalar(select(func.count(DecisionTemplate.id))) or 0)


HOSTILE = [
    ("{{ config }}", "Template code"),
    ("{{ config.SECRET_KEY }}", "Template code"),
    ("{% for x in range(9) %}x{% endfor %}", "Template code"),
    ("{0.__class__}", "“{0.__class__}” is not a placeholder"),
    ("{name.__init__}", "“{name.__init__}” is not a placeholder"),
    ("{name!r}", "“{name!r}” is not a placeholder"),
    ("{title}", "“{title}” is not a placeholder"),
    ("Hello {name", "A “{” is never closed"),
    ("Hello name}", "A “}” closes nothing"),
    ("{}", "“{}” is not a placeholder"),
    ("{{name}}", "Template code"),
    ("{# note #}", "Template code"),
    ("{0.__class__} {title}", "“{0.__class__}”, “{title}” are not placeholders"),
]


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize(("text", "message"), HOSTILE)
def test_hostile_templates_are_refused_with_a_reason(text: str, message: str) -> None:
    reasons = templates.problems(text)
    assert any(message in r for r in reasons), reasons
    with pytest.raises(templates.TemplateError):
        templates.check("Subject", text)


@pytest.mark.usefixtures("app")
def test_only_the_four_placeholders_are_filled_in_one_pass() -> None:
    assert templates.problems("Dear {name}, {call} {decision}: {link}") == []
    values = {"name": "{call}", "call": "<b>{{ 7*7 }}</b>", "decision": "", "link": ""}
    filled = templates.fill("{name} / {call}", values)
    # A value that looks like a placeholder or template code stays as written.
    assert filled == "{call} / <b>{{ 7*7 }}</b>"


@pytest.mark.usefixtures("app")
def test_the_default_texts_are_valid_templates_in_every_language() -> None:
    for decision in templates.EMAILED:
        for lang in ("vi", "en", "fr"):
            subject, body = templates.default_texts(decision, lang)
            assert templates.problems(subject) == []
            assert templates.problems(body) == []
            assert "{call}" in subject
            assert "{call}" in body
    assert "Félicitations" in templates.default_texts(Decision.ACCEPTED, "fr")[1]
    assert "Chúc mừng" in templates.default_texts(Decision.ACCEPTED, "vi")[1]


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize(("text", "message"), HOSTILE[:5] + HOSTILE[7:9])
def test_the_editor_shows_hostile_input_back_and_saves_nothing(
    client: Any, organiser: User, text: str, message: str
) -> None:
    call = make_call(owner=organiser)
    db.session.commit()
    client.login_as(organiser)
    for action in ("save", "preview"):
        response = client.post_form(
            _url(call), {"subject": "Kết quả {call}", "body": text, "action": action}
        )
        assert response.status_code == 422
        page = _text(response)
        assert message in page
        # What was typed comes back, escaped, never evaluated.
        assert f"\n{escape(text)}</textarea>" in page
        assert client.application.config["SECRET_KEY"] not in page
        assert "Preview</h2>" not in page
    assert _templates() == 0


@pytest.mark.usefixtures("app")
def test_empty_too_long_and_nul_are_refused_with_the_input_kept(
    client: Any, organiser: User
) -> None:
    call = make_call(owner=organiser)
    db.session.commit()
    client.login_as(organiser)
    empty = client.post_form(_url(call), {"subject": " ", "body": "Kept body", "action": "save"})
    assert empty.status_code == 422
    assert "Write a text, or reset it to the default one." in _text(empty)
    assert "Kept body</textarea>" in _text(empty)
    long = client.post_form(_url(call), {"subject": "S", "body": "x" * 5001, "action": "save"})
    assert long.status_code == 422
    assert "At most 5000 characters." in _text(long)
    nul = client.post_form(_url(call), {"subject": "S", "body": "a\x00b", "action": "save"})
    assert nul.status_code == 422
    assert "(NUL)" in _text(nul)
    assert _templates() == 0


@pytest.mark.usefixtures("app")
def test_organiser_writes_previews_saves_and_resets_a_text(client: Any, organiser: User) -> None:
    call = make_call(owner=organiser, title="Giải thưởng Áp phích")
    mai = make_user(display_name="Trần <b>Mai</b>")
    mai.locale = "vi"
    make_submission(call=call, applicant=mai, decision=Decision.ACCEPTED)
    db.session.commit()
    client.login_as(organiser)
    manage = _text(client.get(f"/calls/{call.slug}/manage"))
    assert f"/calls/{call.slug}/decisions/templates" in manage
    listing = _text(client.get(f"/calls/{call.slug}/decisions/templates"))
    assert _url(call, "accepted", "vi") in listing
    assert _url(call, "declined", "fr") in listing
    editor = _text(client.get(_url(call, "accepted", "vi")))
    assert "Chúc mừng" in editor  # the default text, in Vietnamese, to start from
    body = "Thân gửi {name}!\nHồ sơ gửi {call} đã được {decision}.\n\nXem: {link}"
    shown = client.post_form(
        _url(call, "accepted", "vi"),
        {"subject": "Kết quả: {call}", "body": body, "action": "preview"},
    )
    assert shown.status_code == 200
    page = _text(shown)
    assert "Thân gửi Trần &lt;b&gt;Mai&lt;/b&gt;!" in page  # a real applicant, escaped
    assert "Hồ sơ gửi Giải thưởng Áp phích đã được" in page
    assert f"/calls/{call.slug}/apply" in page
    assert "Kết quả: Giải thưởng Áp phích" in page
    assert _templates() == 0  # a preview saves nothing
    assert db.session.scalar(select(OutgoingEmail.id)) is None  # and sends nothing
    saved = client.post_form(
        _url(call, "accepted", "vi"), {"subject": "Kết quả: {call}", "body": body, "action": "save"}
    )
    assert saved.status_code == 302
    page = _text(client.get(saved.headers["Location"]))
    assert "The email text was saved." in page
    assert "Hồ sơ gửi {call} đã được {decision}." in page
    # The decisions' preview now shows the organiser's words.
    preview = _text(client.get(f"/calls/{call.slug}/decisions/preview"))
    assert "Thân gửi Trần &lt;b&gt;Mai&lt;/b&gt;!" in preview
    reset = client.post_form(_url(call, "accepted", "vi") + "/reset")
    assert reset.status_code == 302
    assert "Back to the default text." in _text(client.get(reset.headers["Location"]))
    assert _templates() == 0
    assert "Thân gửi Trần" not in _text(client.get(f"/calls/{call.slug}/decisions/preview"))


@pytest.mark.usefixtures("app")
def test_unknown_decision_or_language_and_other_organisers_get_404(
    client: Any, organiser: User
) -> None:
    call = make_call(owner=organiser)
    other = make_user(account_type=organiser.account_type)
    db.session.commit()
    client.login_as(organiser)
    assert client.get(_url(call, "pending")).status_code == 404
    assert client.get(_url(call, "accepted", "de")).status_code == 404
    client.login_as(other)
    assert client.get(_url(call)).status_code == 404
    assert (
        client.post_form(_url(call), {"subject": "x", "body": "y", "action": "save"}).status_code
        == 404
    )
    assert _templates() == 0


def _save(call: OpenCall, decision: Decision, lang: str, body: str) -> None:
    templates.save_template(
        call, actor=call.owner, decision=decision, locale=lang, subject="[{call}]", body=body
    )


@pytest.mark.usefixtures("app")
def test_each_applicant_gets_the_text_in_their_language_with_fallbacks(
    client: Any, organiser: User
) -> None:
    organiser.locale = "fr"
    call = make_call(owner=organiser, title="Festival <Huế>")
    people = {}
    for lang in ("vi", "en", "fr"):
        person = make_user(display_name=f"Người {lang}")
        person.locale = lang
        people[lang] = person
        make_submission(call=call, applicant=person, decision=Decision.ACCEPTED)
    declined = make_user(display_name="Bị từ chối")
    declined.locale = "vi"
    make_submission(call=call, applicant=declined, decision=Decision.DECLINED)
    _save(call, Decision.ACCEPTED, "vi", "VI {name} {decision} {call}")
    _save(call, Decision.ACCEPTED, "fr", "FR {name} {decision}")
    db.session.commit()
    client.login_as(organiser)
    assert client.post_form(f"/calls/{call.slug}/notify").status_code == 302
    emails = {e.to: e for e in db.session.scalars(select(OutgoingEmail))}
    vi = emails[people["vi"].email]
    assert "VI Người vi được chấp nhận Festival <Huế>" in vi.text_body
    assert vi.subject == "[Festival <Huế>]"
    # No English text: the organiser's language (French), with the decision word in French.
    en = emails[people["en"].email]
    assert "FR Người en retenue" in en.text_body
    assert "FR Người fr retenue" in emails[people["fr"].email].text_body
    # No text for a refusal: the built-in one, in the applicant's language.
    assert "Cảm ơn bạn đã nộp hồ sơ" in emails[declined.email].text_body
    # The HTML email escapes the values.
    assert "VI Người vi được chấp nhận Festival &lt;Huế&gt;" in (vi.html_body or "")
    assert "<Huế>" not in (vi.html_body or "")


@pytest.mark.usefixtures("app")
def test_a_stored_template_that_became_unsafe_falls_back_to_the_built_in_text(
    organiser: User,
) -> None:
    call = make_call(owner=organiser, title="Safe call")
    person = make_user()
    person.locale = "en"
    submission = make_submission(call=call, applicant=person, decision=Decision.ACCEPTED)
    db.session.add(
        DecisionTemplate(
            call_id=call.id,
            decision=Decision.ACCEPTED,
            locale="en",
            subject="{0.__class__}",
            body="{{ config }}",
        )
    )
    db.session.flush()
    subject, lines = services.decision_email(submission, call)
    assert str(subject) == "A decision on your application to “Safe call”"
    assert "Congratulations" in str(lines[0])

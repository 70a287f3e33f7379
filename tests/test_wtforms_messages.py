"""WTForms' own validation messages come out in the reader's language."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import update
from wtforms import Form, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from app.accounts.models import User
from app.extensions import db
from app.i18n import WTFormsTranslations
from tests.conftest import Client


class Example(Form):
    class Meta:
        def get_translations(self, _form: Form) -> WTFormsTranslations:
            return WTFormsTranslations()

    name = StringField(validators=[DataRequired(), Length(min=3)])
    year = IntegerField(validators=[NumberRange(min=1900, max=2100)])


@pytest.mark.parametrize(
    ("language", "required", "too_short"),
    [
        ("vi", "Trường này là bắt buộc.", "Trường này phải có ít nhất 3 ký tự."),
        ("fr", "Ce champ est obligatoire.", "Ce champ doit contenir au moins 3 caractères."),
        ("en", "This field is required.", "Field must be at least 3 characters long."),
    ],
)
def test_wtforms_messages_are_translated(
    app: Flask, language: str, required: str, too_short: str
) -> None:
    with app.test_request_context(headers={"Accept-Language": language}):
        empty = Example(data={"name": "", "year": 2024})
        empty.validate()
        short = Example(data={"name": "ab", "year": 1800})
        short.validate()
    assert empty.errors["name"] == [required]
    assert short.errors["name"] == [too_short]
    assert short.errors["year"][0] != "Number must be between 1900 and 2100." or language == "en"


@pytest.mark.parametrize(
    ("language", "required"),
    [("vi", "Trường này là bắt buộc."), ("fr", "Ce champ est obligatoire.")],
)
def test_the_call_form_says_required_in_the_readers_language(
    client: Client, organiser: User, language: str, required: str
) -> None:
    client.login_as(organiser)
    db.session.execute(update(User).values(locale=language))
    db.session.commit()
    response = client.post_form("/calls/new", {"title": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This field is required." not in page
    assert required in page

"""The network's time zone and its languages are settings: pages follow them, no code names them."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from app.accounts.models import AccountType
from app.extensions import db
from app.profiles.models import Discipline
from tests.factories import make_user


def _page(app: Flask, url: str, **user: Any) -> str:
    with app.app_context():
        person = make_user(handle="settings-reader", **user)
        db.session.commit()
        client = app.test_client()
        client.login_as(person)  # type: ignore[attr-defined]
        response = client.get(url)
        assert response.status_code == 200
        return response.get_data(as_text=True)


def test_a_new_call_starts_in_the_networks_time_zone(make_app: Any) -> None:
    app = make_app(BABEL_DEFAULT_TIMEZONE="Europe/Paris")
    html = _page(app, "/calls/new", account_type=AccountType.ORGANISER, organisation="Centre")
    assert '<option selected value="Europe/Paris">' in html or (
        'value="Europe/Paris" selected' in html
    )
    assert 'value="Asia/Ho_Chi_Minh" selected' not in html


def test_the_language_lists_offer_the_configured_languages(make_app: Any) -> None:
    app = make_app(LANGUAGES=["vi", "en"])
    html = _page(app, "/auth/settings")
    assert "Tiếng Việt" in html
    assert "English" in html
    assert "Français" not in html  # neither in the header's switcher nor in the preferences


@pytest.mark.usefixtures("app")
def test_discipline_names_are_one_mapping_with_english_as_fallback() -> None:
    graphic = db.session.scalar(db.select(Discipline).where(Discipline.slug == "graphic"))
    assert graphic is not None
    assert graphic.names == {
        "en": "Graphic design",
        "vi": "Thiết kế đồ hoạ",
        "fr": "Design graphique",
    }
    assert graphic.name("vi") == "Thiết kế đồ hoạ"
    assert graphic.name("de") == "Graphic design"

"""A call's card on the lists (/calls, home): its words in the viewer's language as the
templates wrote them, and its Save button for people logged in only."""

from __future__ import annotations

from flask.testing import FlaskClient

from app.accounts.models import User
from app.extensions import db
from tests.calls.factories import make_call


def test_a_card_speaks_the_viewers_language(client: FlaskClient, organiser: User) -> None:
    make_call(owner=organiser, title="Áp phích", no_entry_fee=True)
    db.session.commit()
    french = client.get("/calls", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    # The catalogue's words as written (an apostrophe never an entity).
    assert '<span class="tag tag--free">Sans frais d' in french
    assert "&#39;inscription" not in french
    english = client.get("/calls", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<span class="tag tag--free">No entry fee</span>' in english


def test_only_people_logged_in_see_save_buttons_on_cards(
    client: FlaskClient, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, title="Áp phích")
    db.session.commit()
    visitor = client.get("/calls").get_data(as_text=True)
    assert "save-call" not in visitor
    assert "Log in to save" not in visitor  # the call's own page invites to log in, not cards
    client.login_as(designer)  # type: ignore[attr-defined]
    page = client.get("/calls?free=0").get_data(as_text=True)
    assert f'action="/calls/{call.slug}/save"' in page
    assert '<input type="hidden" name="next" value="/calls?free=0">' in page
    assert 'aria-pressed="false"' in page

"""The call form picks disciplines as chips and eligible countries by name in the viewer's
language; the apply form shows each project with its cover, in a bounded number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.calls.models import OpenCall
from app.extensions import db
from app.profiles.models import Discipline
from tests.calls.factories import make_call
from tests.conftest import Client
from tests.portfolios.factories import make_project


def _form(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "competition",
        "title": "Áp phích Hồ Gươm 2030",
        "summary": "Vẽ áp phích cho mùa thu Hà Nội.",
        "description": "",
        "timezone": "Asia/Ho_Chi_Minh",
        "deadline_date": "2030-06-30",
        "deadline_time": "23:59",
        "fee": "none",
        "max_projects": "3",
        **extra,
    }


@pytest.mark.usefixtures("app")
def test_countries_are_named_in_the_viewers_language_and_stored_as_codes(
    client: Client, organiser: User
) -> None:
    organiser.locale = "fr"
    db.session.commit()
    client.login_as(organiser)
    page = client.get("/calls/new").get_data(as_text=True)
    assert '<input type="checkbox" name="allowed_countries" id="allowed_countries-' in page
    assert "<span>Viêt Nam</span>" in page or "<span>Viet Nam</span>" in page
    assert "<span>Allemagne</span>" in page  # Germany, in French
    assert "Two-letter codes" not in page

    disciplines = list(db.session.scalars(select(Discipline).limit(2)))
    data = _form(allowed_countries=["VN", "TH"], disciplines=[str(d.id) for d in disciplines])
    assert client.post_form("/calls/new", data).status_code == 302
    call = db.session.scalar(select(OpenCall))
    assert call is not None
    assert call.allowed_countries == ["TH", "VN"]
    assert {d.id for d in call.disciplines} == {d.id for d in disciplines}

    # Editing shows the chosen countries ticked, first in the list.
    page = client.get(f"/calls/{call.slug}/edit").get_data(as_text=True)
    picker = page.split('name="allowed_countries"', 3)
    assert "checked" in picker[1].split(">")[0]
    assert "checked" in picker[2].split(">")[0]


@pytest.mark.usefixtures("app")
def test_an_unknown_country_is_refused_and_the_input_is_kept(
    client: Client, organiser: User
) -> None:
    client.login_as(organiser)
    data = _form(allowed_countries=["VN", "XX"], title="<script>alert(1)</script> Poster")
    response = client.post_form("/calls/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "not a valid choice" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Poster" in page
    assert 'value="VN" checked' in page
    assert db.session.scalar(select(OpenCall)) is None


@pytest.mark.usefixtures("app")
def test_disciplines_are_chips(client: Client, organiser: User) -> None:
    client.login_as(organiser)
    page = client.get("/calls/new").get_data(as_text=True)
    disciplines = page.split("<legend>Disciplines</legend>")[1].split("</fieldset>")[0]
    assert 'class="chip-option"' in disciplines
    assert "<select" not in disciplines


@pytest.mark.usefixtures("app")
def test_the_apply_form_shows_each_project_with_its_cover_in_one_query(
    client: Client, organiser: User, designer: User, count_queries: Any
) -> None:
    call = make_call(owner=organiser, title="Poster week", max_projects=3)
    make_project(designer, title="Đèn lồng", images=2)
    make_project(designer, title="Gạch bông", images=1)
    db.session.commit()
    client.login_as(designer)
    url = f"/calls/{call.slug}/apply"
    client.get(url)
    with count_queries() as two:
        page = client.get(url).get_data(as_text=True)
    assert page.count('class="picker__thumb"') == 2
    for n in range(3, 7):
        make_project(designer, title=f"Dự án {n}", images=2)
    db.session.commit()
    with count_queries() as six:
        page = client.get(url).get_data(as_text=True)
    assert page.count('class="picker__thumb"') == 6
    assert six.count == two.count

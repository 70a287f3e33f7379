"""The disciplines admin: the list designers choose from, in three languages."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.profiles.models import Discipline
from tests.conftest import Client


def test_an_admin_renames_a_discipline_in_three_languages(client: Client, admin: User) -> None:
    discipline = db.session.scalars(select(Discipline)).first()
    assert discipline is not None
    client.login_as(admin)
    prefix = f"d{discipline.id}"

    client.post_form(
        f"/admin/disciplines/{discipline.id}",
        {
            f"{prefix}-slug": discipline.slug,
            f"{prefix}-name_vi": "Thiết kế đồ hoạ",
            f"{prefix}-name_en": "Graphic design",
            f"{prefix}-name_fr": "Design graphique",
            f"{prefix}-position": "1",
        },
    )

    db.session.refresh(discipline)
    assert discipline.name("fr") == "Design graphique"
    assert "Design graphique" in client.get("/admin/disciplines").get_data(as_text=True)

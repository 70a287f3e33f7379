"""The demo holds people as they really are: pictures, banners, long names, Markdown, several
languages, a suspended and a deleted neighbour; and its pages hold them."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.accounts.models import User, UserStatus
from app.calls.models import OpenCall
from app.extensions import db
from app.profiles.models import DesignerProfile
from demo.steps import load_all
from tests.conftest import Client


@pytest.mark.usefixtures("app")
def test_the_demo_is_rich_and_its_pages_hold_it(client: Client) -> None:
    load_all()
    db.session.commit()

    designers = db.session.scalar(select(func.count()).select_from(DesignerProfile))
    with_avatar = db.session.scalar(
        select(func.count()).where(DesignerProfile.avatar_key.is_not(None))
    )
    assert with_avatar
    assert designers
    assert with_avatar >= designers // 2
    long_name = db.session.scalar(
        select(User).where(User.display_name == "Tôn Nữ Thị Phương Thảo Nguyễn-Hoàng")
    )
    assert long_name is not None
    assert long_name.locale == "vi"
    assert "**Nhà thiết kế đồ hoạ**" in long_name.designer_profile.bio
    assert long_name.designer_profile.avatar_key
    assert {u.locale for u in db.session.scalars(select(User))} >= {"vi", "fr", "en"}
    statuses = set(db.session.scalars(select(User.status)))
    assert {UserStatus.SUSPENDED, UserStatus.DELETED} <= statuses
    open_calls = db.session.scalars(select(OpenCall).where(OpenCall.published_at.is_not(None)))
    assert all(call.banner_key and call.banner_alt for call in open_calls)

    home = client.get("/").get_data(as_text=True)
    assert 'id="picks-title"' in home  # the staff picks of the week
    portfolio = client.get(f"/designers/{long_name.handle}").get_data(as_text=True)
    assert "/media/a/" in home
    assert "Tôn Nữ Thị Phương Thảo Nguyễn-Hoàng" in portfolio
    assert "<strong>Nhà thiết kế đồ hoạ</strong>" in portfolio
    avatar = client.get(f"/media/{long_name.designer_profile.avatar_key}/400.webp")
    assert Image.open(io.BytesIO(avatar.get_data())).size == (400, 400)

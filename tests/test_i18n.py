"""Dates as people read them: to the minute, in their language, a zone named by its city."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from app.accounts.models import AccountType
from app.extensions import db
from app.i18n import collation_key, countries, is_country, when, when_in, zone_city
from tests.calls.factories import make_call
from tests.factories import make_user

# 16:12:42 UTC is 23:12:42 in Hà Nội and 17:12:42 in Paris.
MOMENT = datetime(2026, 11, 29, 16, 12, 42, tzinfo=UTC)
SECONDS = re.compile(r"\d:\d\d:\d\d")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "23:12 29 thg 11, 2026"),
        ("en", "Nov 29, 2026, 11:12\u202fPM"),
        ("fr", "29 nov. 2026, 23:12"),
    ],
)
def test_when_shows_the_viewers_time_without_seconds(
    app: Flask, language: str, expected: str
) -> None:
    with app.test_request_context(), force_locale(language):
        assert when(MOMENT) == expected
        for fmt in ("short", "medium", "long", "full"):
            assert not SECONDS.search(when(MOMENT, fmt)), fmt
            assert "+0700" not in when(MOMENT, fmt)
            assert "GMT" not in when(MOMENT, fmt)


@pytest.mark.parametrize(
    ("language", "saigon", "paris"),
    [
        ("vi", "TP Hồ Chí Minh", "Paris"),
        ("en", "Ho Chi Minh City", "Paris"),
        ("fr", "Hô-Chi-Minh-Ville", "Paris"),
    ],
)
def test_a_zone_is_named_by_its_city_in_the_viewers_language(
    app: Flask, language: str, saigon: str, paris: str
) -> None:
    with app.test_request_context(), force_locale(language):
        assert zone_city("Asia/Ho_Chi_Minh") == saigon
        assert zone_city("Europe/Paris") == paris
        assert zone_city("America/Argentina/Buenos_Aires") == "Buenos Aires"
        paris_time = when_in(MOMENT, "Europe/Paris")
    assert paris_time.endswith(f"({paris})")
    assert "17:12" in paris_time or "5:12" in paris_time
    assert "Europe/" not in paris_time
    assert not SECONDS.search(paris_time)


def test_french_zone_names_follow_the_language(app: Flask) -> None:
    with app.test_request_context(), force_locale("fr"):
        assert when_in(MOMENT, "Asia/Kolkata") == "29 nov. 2026, 21:42 (Calcutta)"


@pytest.mark.parametrize(
    ("language", "city"),
    [("vi", "TP Hồ Chí Minh"), ("en", "Ho Chi Minh City"), ("fr", "Hô-Chi-Minh-Ville")],
)
def test_call_page_names_its_zone_by_city_and_shows_no_seconds(
    app: Flask, client: Any, language: str, city: str
) -> None:
    with app.app_context():
        organiser = make_user(handle="org-dates", account_type=AccountType.ORGANISER)
        viewer = make_user(handle="paris-dates")
        viewer.timezone = "Europe/Paris"
        viewer.locale = language
        call = make_call(
            owner=organiser,
            title="Poster 2030",
            deadline_at=datetime(2030, 6, 30, 16, 59, 30, tzinfo=UTC),
        )
        slug = call.slug
        db.session.commit()
        client.login_as(viewer)

    html = client.get(f"/calls/{slug}").get_data(as_text=True)
    page = re.sub(r"<[^>]+>", " ", html)  # what a person reads (not the machine-readable times)

    assert f"({city})" in page
    assert "Asia/Ho_Chi_Minh)" not in page
    assert "23:59" in page or "11:59\u202fPM" in page  # the call's own time, to the minute
    assert not re.search(r"\d:59:30", page)


# --- Countries ---------------------------------------------------------------------------------


def _names(language: str) -> list[str]:
    return [name for _code, name in countries(language)]


@pytest.mark.parametrize("language", ["vi", "en", "fr"])
def test_country_list_holds_the_countries_of_iso_3166_and_nothing_else(language: str) -> None:
    codes = [code for code, _name in countries(language)]
    names = _names(language)
    assert len(codes) == len(set(codes)) == 249
    assert {"VN", "FR", "DE", "AX", "PS", "TW"} <= set(codes)
    assert not {"XA", "XB", "ZZ", "EU", "EZ", "UN", "QO", "001", "150", "IC"} & set(codes)
    assert not [n for n in names if "Pseudo" in n]
    assert is_country("vn")
    assert is_country("FR")
    assert not is_country("XA")
    assert not is_country("EU")
    assert not is_country("")


def test_vietnamese_sorts_d_stroke_after_d_and_a_circumflex_after_a() -> None:
    names = _names("vi")
    assert names.index("Dominica") < names.index("Đan Mạch") < names.index("Đức")
    assert names.index("Đức") < names.index("Ecuador") < names.index("Zambia")
    assert names.index("Azerbaijan") < names.index("Ấn Độ") < names.index("Ba Lan")
    assert names.index("Ai Cập") < names.index("Albania")  # tones do not move a name
    assert names[-1] == "Zimbabwe"


def test_french_and_english_sort_accented_names_with_their_letter() -> None:
    fr = _names("fr")
    assert fr.index("Dominique") < fr.index("Égypte") < fr.index("Espagne")
    assert fr.index("Îles Caïmans") < fr.index("Inde") < fr.index("Irlande")
    assert fr[-1] == "Zimbabwe"
    en = _names("en")
    assert en.index("Afghanistan") < en.index("Åland Islands") < en.index("Albania")
    assert en.index("Costa Rica") < en.index("Côte d’Ivoire") < en.index("Croatia")


def test_collation_key_breaks_ties_by_accents_and_puts_spaces_first() -> None:
    assert sorted(["Dé", "De", "Đe", "D e"], key=lambda s: collation_key(s, "vi")) == [
        "D e",
        "De",
        "Dé",
        "Đe",
    ]
    assert sorted(["Ôn", "Ơi", "On", "Oz"], key=lambda s: collation_key(s, "vi")) == [
        "On",
        "Oz",
        "Ôn",
        "Ơi",
    ]
    assert sorted(["Ôn", "Oz", "On"], key=lambda s: collation_key(s, "fr")) == ["On", "Ôn", "Oz"]


def test_directory_lists_real_countries_in_the_viewers_order(app: Flask, client: Any) -> None:
    with app.app_context():
        person = make_user(handle="lan-countries", country="VN")
        person.locale = "vi"
        db.session.commit()
        client.login_as(person)

    page = client.get("/designers").get_data(as_text=True)
    options = re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', page)

    assert options, "the directory filters by country"
    names = [name for _code, name in options]
    assert "Pseudo-Accents" not in names
    assert "Pseudo-Bidi" not in names
    assert names.index("Đức") < names.index("Ecuador") < names.index("Zambia")
    assert "Việt Nam" in names

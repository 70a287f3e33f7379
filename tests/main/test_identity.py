"""The network's city, designation and year are settings: another city's copy reads right."""

from __future__ import annotations

import re
from typing import Any

import pytest


def _page(make_app: Any, path: str = "/", language: str = "en", **overrides: Any) -> str:
    app = make_app(**overrides)
    client = app.test_client()
    html = client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)
    return str(re.sub(r"\s+", " ", html))


def _footer(page: str) -> str:
    return page.split('<footer class="site-footer">', 1)[1]


def _eyebrow(page: str) -> str:
    match = re.search(r'<p class="eyebrow">([^<]*)</p>', page)
    assert match, "the home page names the city"
    return match.group(1).strip()


@pytest.mark.parametrize(
    ("language", "footer", "eyebrow"),
    [
        (
            "en",
            "Young Designers Network — a network of Hà Nội, UNESCO City of Design since 2019.",
            "Hà Nội · UNESCO City of Design",
        ),
        (
            "vi",
            "Young Designers Network — mạng lưới của Hà Nội, Thành phố Thiết kế của UNESCO từ "
            "năm 2019.",
            "Hà Nội · Thành phố Thiết kế của UNESCO",
        ),
        (
            "fr",
            "Young Designers Network — un réseau de Hà Nội, Ville de design UNESCO depuis 2019.",
            "Hà Nội · Ville de design UNESCO",
        ),
    ],
)
def test_hanoi_reads_as_before_by_default(
    make_app: Any, language: str, footer: str, eyebrow: str
) -> None:
    page = _page(make_app, language=language)
    assert footer in _footer(page)
    assert _eyebrow(page) == eyebrow


@pytest.mark.parametrize(
    ("language", "footer", "eyebrow"),
    [
        (
            "en",
            "Mạng lưới Đà Lạt — a network of Đà Lạt, UNESCO City of Music since 2023.",
            "Đà Lạt · UNESCO City of Music",
        ),
        (
            "vi",
            "Mạng lưới Đà Lạt — mạng lưới của Đà Lạt, Thành phố Âm nhạc của UNESCO từ năm 2023.",
            "Đà Lạt · Thành phố Âm nhạc của UNESCO",
        ),
        (
            "fr",
            "Mạng lưới Đà Lạt — un réseau de Đà Lạt, Ville de musique UNESCO depuis 2023.",
            "Đà Lạt · Ville de musique UNESCO",
        ),
    ],
)
def test_another_citys_copy_names_its_own_designation_and_year(
    make_app: Any, language: str, footer: str, eyebrow: str
) -> None:
    page = _page(
        make_app,
        language=language,
        NETWORK_NAME="Mạng lưới Đà Lạt",
        NETWORK_CITY="Đà Lạt",
        NETWORK_DESIGNATION="UNESCO City of Music",
        NETWORK_DESIGNATION_YEAR="2023",
    )
    assert footer in _footer(page)
    assert _eyebrow(page) == eyebrow
    for hanoi in ("Hà Nội", "2019", "Design", "Thiết kế", "design UNESCO"):
        assert hanoi not in _footer(page)
        assert hanoi not in _eyebrow(page)


def test_a_designation_without_a_year_or_none_at_all(make_app: Any) -> None:
    page = _page(
        make_app,
        NETWORK_CITY="Saint-Étienne",
        NETWORK_DESIGNATION="Capitale du design",
        NETWORK_DESIGNATION_YEAR="",
    )
    assert "a network of Saint-Étienne, Capitale du design." in _footer(page)
    assert "since" not in _footer(page)
    description = "The network of young creative designers, from Saint-Étienne, Capitale du design."
    assert f'<meta name="description" content="{description}">' in page

    plain = _page(make_app, NETWORK_CITY="Saint-Étienne", NETWORK_DESIGNATION="")
    assert "Young Designers Network — a network of Saint-Étienne.</p>" in _footer(plain)
    assert _eyebrow(plain) == "Saint-Étienne"
    assert "UNESCO" not in plain

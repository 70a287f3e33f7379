"""The network's own pages: about, guidelines, share previews, sitemap and robots.txt."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

from flask import Flask

from app.accounts.models import User, UserStatus
from app.extensions import db
from app.moderation.models import ReportReason
from tests.calls.factories import make_call
from tests.conftest import Client
from tests.factories import give_avatar, make_user
from tests.moderation.factories import make_project, make_report

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _meta(page: str, attr: str, name: str) -> str | None:
    found = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', page)
    return found.group(1) if found else None


def _locs(body: bytes) -> list[str]:
    return [e.text or "" for e in ElementTree.fromstring(body).iter(f"{SITEMAP}loc")]  # noqa: S314


def test_about_tells_the_city_its_designation_and_how_calls_and_approval_work(
    client: Client,
) -> None:
    client.post_form("/language", {"language": "en", "next": "/about"})
    page = client.get("/about").get_data(as_text=True)

    assert "Hà Nội has been a UNESCO City of Design since 2019" in page
    assert "connects young designers with universities, creative spaces and organisations" in page
    assert "How calls work" in page
    assert "How approval works" in page
    assert 'href="mailto:hello@example.org"' in page


def test_about_reads_right_for_another_city(app: Flask, client: Client) -> None:
    app.config.update(
        NETWORK_NAME="Réseau des jeunes designers",
        NETWORK_CITY="Saint-Étienne",
        NETWORK_DESIGNATION="UNESCO City of Design",
        NETWORK_DESIGNATION_YEAR="2010",
    )
    client.post_form("/language", {"language": "fr", "next": "/about"})
    page = client.get("/about").get_data(as_text=True)

    assert "Saint-Étienne est Ville de design UNESCO depuis 2010" in page
    assert "À propos de Réseau des jeunes designers" in page
    assert "Hà Nội" not in page

    app.config.update(NETWORK_DESIGNATION="", NETWORK_DESIGNATION_YEAR="")
    page = client.get("/about").get_data(as_text=True)
    assert "est Ville de design" not in page
    assert "relie les jeunes designers aux universités" in page


def test_about_in_vietnamese(client: Client) -> None:
    client.post_form("/language", {"language": "vi", "next": "/about"})
    page = client.get("/about").get_data(as_text=True)

    assert "Hà Nội là Thành phố Thiết kế của UNESCO từ năm 2019" in page
    assert "Cách hoạt động của các lời mời" in page


def test_guidelines_number_their_rules_with_anchors(client: Client) -> None:
    client.post_form("/language", {"language": "en", "next": "/guidelines"})
    page = client.get("/guidelines").get_data(as_text=True)

    anchors = re.findall(r'<li id="([a-z-]+)">', page)
    assert anchors == [
        "respect",
        "own-work",
        "no-spam",
        "no-harassment",
        "honest-calls",
        "privacy",
    ]
    assert "Honest calls, fees disclosed" in page
    assert "is plagiarism" in page


def test_every_page_footer_links_to_about_and_guidelines(client: Client, designer: User) -> None:
    client.login_as(designer)
    for path in ("/", "/designers", "/calls", f"/designers/{designer.handle}"):
        page = client.get(path).get_data(as_text=True)
        footer = page.split('<footer class="site-footer">', 1)[1]
        assert 'href="/about"' in footer, path
        assert 'href="/guidelines"' in footer, path


def test_each_report_reason_links_to_its_rule(client: Client, designer: User) -> None:
    project = make_project(designer)
    db.session.commit()
    client.login_as(make_user())
    client.post_form("/language", {"language": "en", "next": "/"})

    page = client.get(f"/report/project/{project.id}").get_data(as_text=True)

    assert 'href="/guidelines#no-spam"' in page
    assert "Rule 3: No spam" in page
    assert 'href="/guidelines#own-work"' in page  # plagiarism
    assert 'href="/guidelines#honest-calls"' in page  # a scam or an unfair call
    assert 'href="/guidelines#no-harassment"' in page
    assert page.count('class="choice__rule"') == len(ReportReason) - 1  # "other": no rule


def test_a_hide_email_names_the_rule_the_reports_refer_to(
    client: Client, moderator: User, designer: User, outbox: list[Any]
) -> None:
    project = make_project(designer)
    for _ in range(2):
        make_report(
            make_user(), target_id=project.id, subject=designer, reason=ReportReason.PLAGIARISM
        )
    make_report(make_user(), target_id=project.id, subject=designer, reason=ReportReason.SPAM)
    designer.locale = "en"
    db.session.commit()
    client.login_as(moderator)

    client.post_form(
        f"/moderation/targets/project/{project.id}/resolve",
        {"resolve-outcome": "hide", "resolve-reason": "Copied from another designer."},
    )

    told = [m for m in outbox if m["To"] == designer.email]
    text = told[-1].get_body(("plain",)).get_content()
    assert "The community rule concerned: Show only your own work" in text
    assert "https://ydn.example/guidelines#own-work" in text


def test_a_portfolio_with_an_avatar_has_share_tags_with_absolute_urls(
    client: Client, designer: User
) -> None:
    key = give_avatar(designer)
    db.session.commit()

    page = client.get(f"/designers/{designer.handle}").get_data(as_text=True)

    assert _meta(page, "property", "og:title") == designer.display_name
    assert _meta(page, "property", "og:site_name") == "Young Designers Network"
    assert _meta(page, "property", "og:url") == f"https://ydn.example/designers/{designer.handle}"
    assert _meta(page, "property", "og:image") == f"https://ydn.example/media/{key}/400.webp"
    assert _meta(page, "name", "twitter:card") == "summary_large_image"
    assert _meta(page, "property", "og:description")


def test_a_project_shares_its_title_and_description(client: Client, designer: User) -> None:
    project = make_project(designer, title="Áp phích Hồ Gươm", description="Giấy dó, mực tàu.")
    db.session.commit()

    page = client.get(f"/designers/{designer.handle}/projects/{project.slug}").get_data(
        as_text=True
    )

    assert _meta(page, "property", "og:title") == f"Áp phích Hồ Gươm — {designer.display_name}"
    assert _meta(page, "property", "og:description") == "Giấy dó, mực tàu."
    assert _meta(page, "name", "twitter:card") == "summary"


def test_sitemap_lists_public_pages_not_hidden_ones_nor_suspended_people(
    client: Client, designer: User, suspended_designer: User, count_queries: Any
) -> None:
    shown = make_project(designer, slug="ao-dai")
    make_project(designer, slug="an-di", hidden_at=designer.created_at)
    make_project(designer, slug="ban-nhap", is_published=False)
    make_project(suspended_designer, slug="cua-nguoi-bi-dinh-chi")
    db.session.commit()

    with count_queries() as counter:
        response = client.get("/sitemap.xml")
    urls = _locs(response.data)

    assert response.mimetype == "application/xml"
    assert f"https://ydn.example/designers/{designer.handle}/projects/{shown.slug}" in urls
    assert f"https://ydn.example/designers/{designer.handle}" in urls
    assert "https://ydn.example/about" in urls
    assert "https://ydn.example/guidelines" in urls
    assert not any("an-di" in u or "ban-nhap" in u for u in urls)
    assert not any(suspended_designer.handle in u for u in urls)
    # A count and a list per kind, whatever the number of people and projects.
    assert counter.count <= 10


def test_a_large_sitemap_becomes_an_index_of_pages(
    app: Flask, client: Client, designer: User
) -> None:
    for n in range(4):
        make_project(designer, slug=f"du-an-{n}")
    db.session.commit()
    app.config["SITEMAP_MAX_URLS"] = 4

    index = ElementTree.fromstring(client.get("/sitemap.xml").data)  # noqa: S314
    pages = [e.text or "" for e in index.iter(f"{SITEMAP}loc")]
    assert index.tag == f"{SITEMAP}sitemapindex"
    # 5 fixed pages, 1 designer, 4 projects and the organisers: 3 pages of 4 or fewer.
    assert pages[0] == "https://ydn.example/sitemap-1.xml"
    listed = [
        u for p in pages for u in _locs(client.get(p.removeprefix("https://ydn.example")).data)
    ]
    assert len(listed) == len(set(listed))
    assert all(
        f"https://ydn.example/designers/{designer.handle}/projects/du-an-{n}" in listed
        for n in range(4)
    )
    assert client.get(f"/sitemap-{len(pages) + 1}.xml").status_code == 404


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_points_to_the_sitemap(
    client: Client,
) -> None:
    response = client.get("/robots.txt")
    text = response.get_data(as_text=True)

    assert response.mimetype == "text/plain"
    for private in ("/auth", "/messages", "/moderation", "/account", "/me"):
        assert f"Disallow: {private}\n" in text
    assert "Allow: /media/" in text
    assert "Sitemap: https://ydn.example/sitemap.xml" in text


def test_suspended_organiser_is_not_in_the_sitemap(client: Client, organiser: User) -> None:
    organiser.status = UserStatus.SUSPENDED
    db.session.commit()

    urls = _locs(client.get("/sitemap.xml").data)

    assert f"https://ydn.example/organisers/{organiser.handle}" not in urls


def test_a_call_and_its_organiser_share_the_banner_and_the_summary(
    client: Client, organiser: User
) -> None:
    call = make_call(
        owner=organiser,
        title="Giải thưởng Thiết kế Phố",
        summary="Áp phích cho Hồ Gươm.",
        banner_key="b/ab/abcdef",
        banner_widths=[800],
    )
    db.session.commit()

    page = client.get(f"/calls/{call.slug}").get_data(as_text=True)
    assert _meta(page, "property", "og:title") == "Giải thưởng Thiết kế Phố"
    assert _meta(page, "property", "og:description") == "Áp phích cho Hồ Gươm."
    assert _meta(page, "property", "og:url") == f"https://ydn.example/calls/{call.slug}"
    assert (
        _meta(page, "property", "og:image") == "https://ydn.example/media/b/ab/abcdef/fallback.jpg"
    )

    page = client.get(f"/organisers/{organiser.handle}").get_data(as_text=True)
    assert _meta(page, "property", "og:url") == f"https://ydn.example/organisers/{organiser.handle}"
    assert (
        _meta(page, "property", "og:image") == "https://ydn.example/media/b/ab/abcdef/fallback.jpg"
    )


def test_a_warning_names_the_rule_its_reports_refer_to_and_other_names_none(
    client: Client, moderator: User, designer: User, outbox: list[Any]
) -> None:
    designer.locale = "fr"
    other = make_user()
    for person, reason in ((designer, ReportReason.HARASSMENT), (other, ReportReason.OTHER)):
        make_report(
            make_user(), target_type="profile", target_id=person.id, subject=person, reason=reason
        )
    db.session.commit()
    client.login_as(moderator)

    client.post_form(
        f"/moderation/people/{designer.id}/warn", {"warn-reason": "Messages insultants."}
    )
    text = outbox[-1].get_body(("plain",)).get_content()
    assert outbox[-1]["To"] == designer.email
    assert "Règle de la communauté concernée : Ni harcèlement ni haine" in text
    assert "https://ydn.example/guidelines#no-harassment" in text

    client.post_form(f"/moderation/people/{other.id}/warn", {"warn-reason": "Hors sujet."})
    assert outbox[-1]["To"] == other.email
    assert "/guidelines" not in outbox[-1].get_body(("plain",)).get_content()


def test_the_sitemap_takes_the_same_queries_for_many_projects(
    client: Client, designer: User, count_queries: Any
) -> None:
    make_project(designer)
    db.session.commit()
    with count_queries() as few:
        client.get("/sitemap.xml")
    for _ in range(6):
        make_project(make_user())
    db.session.commit()
    with count_queries() as many:
        urls = _locs(client.get("/sitemap.xml").data)

    assert len([u for u in urls if "/projects/" in u]) == 7
    assert many.count == few.count

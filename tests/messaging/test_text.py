from __future__ import annotations

import time

import pytest

from app.messaging import text
from app.messaging.services import InvalidText, check_text


def test_script_tags_are_escaped() -> None:
    html = text.render("<script>alert('x')</script> & <b>bold</b>")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;" in html


def test_line_breaks_are_kept() -> None:
    assert text.render("Chào chị,\nem là Mai.") == "Chào chị,<br>\nem là Mai."


def test_urls_become_links_without_trailing_punctuation() -> None:
    html = text.render("Xem portfolio: https://example.org/mai?a=1&b=2. Cảm ơn!")
    assert (
        '<a href="https://example.org/mai?a=1&amp;b=2" rel="nofollow noopener ugc" '
        'target="_blank">https://example.org/mai?a=1&amp;b=2</a>. Cảm ơn!'
    ) in html


def test_javascript_urls_are_not_linked() -> None:
    html = text.render('javascript:alert(1) and http://"onmouseover=alert(1)')
    assert "<a" not in html or 'href="http://"' not in html
    assert "onmouseover=alert" not in html.split("href=")[0] or "&#34;" in html


def test_a_quote_cannot_break_out_of_the_href() -> None:
    html = text.render('https://example.org/"><img src=x onerror=alert(1)>')
    assert "<img" not in html
    assert 'href="https://example.org/"' in html


def test_control_characters_are_stripped_but_newlines_and_tabs_kept() -> None:
    assert text.clean("a\x00b\x07c\x1b[31m\td\r\ne\u202eevil") == "abc[31m\td\neevil"


def test_blank_lines_are_collapsed_and_ends_trimmed() -> None:
    assert text.clean("  \n\nhello  \n\n\n\n\nworld \n ") == "hello\n\nworld"


def test_first_line_is_shortened() -> None:
    assert text.first_line("\n\n  Xin chào!\nsecond") == "Xin chào!"
    assert text.first_line("x" * 300).endswith("…")
    assert len(text.first_line("x" * 300)) == 120


@pytest.mark.parametrize("raw", ["", "   ", "\n\n\t \n", "\x00\x01\u202e"])
@pytest.mark.usefixtures("req")
def test_only_whitespace_is_refused(raw: str) -> None:
    with pytest.raises(InvalidText, match="Write a message"):
        check_text(raw)


@pytest.mark.usefixtures("req")
def test_5001_characters_are_refused_and_5000_accepted() -> None:
    assert len(check_text("á" * 5000)) == 5000
    with pytest.raises(InvalidText, match="at most 5000 characters; this one has 5001"):
        check_text("á" * 5001)


@pytest.mark.usefixtures("req")
def test_a_10000_character_url_is_refused_quickly() -> None:
    url = "https://example.org/" + "a" * 9980
    started = time.perf_counter()
    with pytest.raises(InvalidText):
        check_text(url)
    html = text.render(url)
    assert time.perf_counter() - started < 0.5
    # Shown shortened, linked in full.
    assert html.count("a" * 9980) == 1
    assert "…</a>" in html

from __future__ import annotations

from app.markdown import plain_text, render_markdown


def test_script_and_raw_html_are_not_rendered() -> None:
    html = str(render_markdown("<script>alert(1)</script>\n\n<b onclick='x()'>hi</b>"))
    assert "<script" not in html
    assert "<b" not in html
    assert "onclick=" not in html.split("&lt;")[0]
    assert "&lt;script&gt;" in html


def test_javascript_links_lose_their_href_and_links_get_rel() -> None:
    html = str(render_markdown("[bad](javascript:alert(1)) [good](https://example.org)"))
    assert "javascript:" not in html.replace("[bad](javascript:alert(1))", "")
    assert 'href="javascript' not in html
    assert '<a href="https://example.org" rel="nofollow noopener">good</a>' in html


def test_remote_images_are_not_embedded() -> None:
    html = str(render_markdown("![tracker](https://evil.example/pixel.png)"))
    assert "<img" not in html


def test_headings_are_demoted_and_lists_kept() -> None:
    html = str(render_markdown("# Title\n\n- one\n- two"))
    assert "<h1>" not in html
    assert "<h2>Title</h2>" in html
    assert "<li>one</li>" in html


def test_plain_text_for_search() -> None:
    assert plain_text("**Hà Nội** & [gốm](https://example.org)") == "Hà Nội & gốm"
    assert render_markdown("") == ""
    assert plain_text(None) == ""

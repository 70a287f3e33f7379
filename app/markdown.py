"""Markdown written by people, rendered safely: markdown-it-py, then an nh3 allow-list.

Raw HTML is not parsed at all (html=False), images are not kept (no remote image can track
readers), links may only be http(s) or mailto and get rel="nofollow noopener".
"""

from __future__ import annotations

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)
_md.disable("image")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_SOURCE = 20_000


def render_markdown(source: str | None) -> Markup:
    """Safe HTML for a bio or a description."""
    if not source:
        return Markup("")
    return _rendered(source[:MAX_SOURCE])


@lru_cache(maxsize=512)
def _rendered(source: str) -> Markup:
    """Rendered once per text: a call's description, prizes and categories are shown on every
    view of its page, and markdown-it then nh3 take ~0.3 ms for a few paragraphs."""
    rendered = _md.render(source)
    # Headings are demoted: the page has its own h1.
    rendered = rendered.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    return Markup(clean)  # noqa: S704 (sanitised by nh3 just above)


def plain_text(source: str | None) -> str:
    """The words of a Markdown text without markup (for search and descriptions)."""
    if not source:
        return ""
    return html.unescape(nh3.clean(_md.render(source[:MAX_SOURCE]), tags=set())).strip()

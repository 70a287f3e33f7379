"""Message text: cleaned on the way in, shown escaped with line breaks and links on the way out."""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

MAX_LENGTH = 5000
# Bidirectional overrides can make a link or a name read differently from what it is.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Possessive-free and bounded by whitespace: linear on any input, a 10,000-character URL included.
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def clean(raw: str) -> str:
    """Normalise line breaks, drop control characters (except newline and tab), trim the ends."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for ch in text:
        if ch in "\n\t":
            kept.append(ch)
        elif ch in _BIDI_CONTROLS or unicodedata.category(ch) == "Cc":
            continue
        else:
            kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept))
    # No more than two blank lines in a row, and no trailing spaces on lines.
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def first_line(body: str, limit: int = 120) -> str:
    """The first non-empty line, shortened for the inbox."""
    line = next((ln.strip() for ln in body.split("\n") if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _link(url: str) -> tuple[str, str]:
    """Split trailing punctuation off a URL: "(see https://x.org)." links only https://x.org."""
    tail = ""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        tail = url[-1] + tail
        url = url[:-1]
    return url, tail


def render(body: str) -> Markup:
    """Escaped HTML: line breaks kept, URLs as links marked nofollow/ugc."""
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(body):
        parts.append(str(escape(body[position : match.start()])))
        url, tail = _link(match.group(0))
        if len(url) > len("https://"):
            shown = url if len(url) <= 60 else url[:57] + "…"
            parts.append(
                f'<a href="{escape(url)}" rel="nofollow noopener ugc" '
                f'target="_blank">{escape(shown)}</a>'
            )
        else:
            parts.append(str(escape(url)))
        parts.append(str(escape(tail)))
        position = match.end()
    parts.append(str(escape(body[position:])))
    html = "".join(parts).replace("\n", "<br>\n")
    return Markup(html)  # noqa: S704 (every piece above was escaped)

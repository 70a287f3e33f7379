"""Log lines that cannot be forged: control characters in logged values are escaped.

A request path such as `/x%0D%0AINFO app.auth: login user=1` decodes to a CR/LF; logged as is,
it writes a second, forged line into the log. Every record made in the process is cleaned where
it is made (a log record factory), so that every handler — the console, gunicorn's, pytest's
caplog — sees the same escaped text. The format string is the code's own and kept; the values
put into it (and a message built without arguments) are escaped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

# C0 and C1 controls, DEL, the Unicode line and paragraph separators and the bidirectional
# overrides (which reorder what a reader sees); a terminal colour code (SGR) is kept.
_CONTROL = re.compile(r"\x1b\[[0-9;]*m|[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    if len(char) > 1:  # a colour code
        return char
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with each control character written as a visible escape (`\\n`, `\\x00`)."""
    return _CONTROL.sub(_escape_one, text)


def _clean(value: Any) -> Any:
    return escape_controls(value) if isinstance(value, str) else value


def _traceback_text(record: logging.LogRecord) -> str:
    """The traceback, each line indented: an exception's message (which may quote a request)
    cannot start a line of its own that would read as another record."""
    text = logging.Formatter().formatException(record.exc_info)  # type: ignore[arg-type]
    return "\n".join(f"  {escape_controls(line)}" for line in text.split("\n"))


def _clean_record(record: logging.LogRecord) -> None:
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = _traceback_text(record)
    if isinstance(record.args, Mapping):
        record.args = {key: _clean(value) for key, value in record.args.items()}
    elif isinstance(record.args, tuple) and record.args:
        record.args = tuple(_clean(value) for value in record.args)
    elif isinstance(record.msg, str):
        record.msg = escape_controls(record.msg)


def install_log_escaping() -> None:
    """Make every log record of the process escape control characters (idempotent)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "escapes_controls", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _clean_record(record)
        return record

    factory.escapes_controls = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)

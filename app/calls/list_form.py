"""The options of the calls list's filter form (kinds, disciplines), rendered once per language
and list of names: every request then only marks the chosen one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from markupsafe import Markup, escape

from app.calls.models import CallKind
from app.profiles.models import Discipline


@lru_cache(maxsize=64)
def _options(pairs: tuple[tuple[str, str], ...]) -> str:
    return "".join(
        f'<option value="{escape(value)}" >{escape(label)}</option>' for value, label in pairs
    )


def _chosen(pairs: tuple[tuple[str, str], ...], chosen: str) -> Markup:
    html = _options(pairs)
    if chosen and any(value == chosen for value, _label in pairs):
        mark = f'<option value="{escape(chosen)}" >'
        html = html.replace(mark, f'<option value="{escape(chosen)}" selected>', 1)
    return Markup(html)  # noqa: S704  (every value and label escaped above)


def kind_options(kinds: Mapping[CallKind, object], chosen: str) -> Markup:
    """`<option>`s of the call kinds (labels in the request's language), `chosen` selected."""
    return _chosen(tuple((str(value), str(label)) for value, label in kinds.items()), chosen)


def discipline_options(disciplines: Iterable[Discipline], locale: str, chosen: str) -> Markup:
    """`<option>`s of the disciplines named in `locale`, `chosen` (a slug) selected."""
    return _chosen(tuple((d.slug, d.name(locale)) for d in disciplines), chosen)

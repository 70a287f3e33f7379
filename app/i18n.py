"""Language and time zone of the viewer, how dates are shown, and the list of countries."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, time
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_time
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations, gettext, ngettext
from flask_login import current_user
from flask_wtf import form as flask_wtf_form
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

SESSION_LOCALE_KEY = "locale"


def select_locale() -> str:
    """The person's choice, then what the browser accepts, then the network's default."""
    languages: list[str] = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line and the email worker
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = None
    if current_user and current_user.is_authenticated:
        chosen = current_user.locale
    chosen = chosen or session.get(SESSION_LOCALE_KEY)
    if chosen in languages:
        return str(chosen)
    best = request.accept_languages.best_match(languages)
    return best or str(current_app.config["BABEL_DEFAULT_LOCALE"])


def language_choices() -> list[tuple[str, str]]:
    """(code, name) for each of the LANGUAGES setting, each named in itself ("Tiếng Việt")."""
    names = [
        (code, Locale.parse(code).get_display_name(code) or code)
        for code in current_app.config["LANGUAGES"]
    ]
    return [(code, name[:1].upper() + name[1:]) for code, name in names]


def default_timezone() -> str:
    """The network's time zone (the BABEL_DEFAULT_TIMEZONE setting, from DEFAULT_TIMEZONE)."""
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def select_timezone() -> str:
    if (
        has_request_context()
        and current_user
        and current_user.is_authenticated
        and current_user.timezone
    ):
        return str(current_user.timezone)
    return default_timezone()


def zone(name: str | None) -> ZoneInfo:
    """A time zone by IANA name, the network's default for unknown names."""
    try:
        return ZoneInfo(name or current_app.config["BABEL_DEFAULT_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def babel_locale() -> Locale:
    """Flask-Babel's locale selector: `select_locale`'s choice as one `Locale` object per
    language for the process's life, not a new one each request, so that the memoised dates
    and times below find their key by identity rather than by Locale's slow `__eq__`."""
    return _locale(select_locale())


def viewer_locale() -> Locale:
    """The locale of the request (or of `force_locale`), read where Flask-Babel keeps it."""
    if g:
        chosen: Locale | None = getattr(g.get("_flask_babel"), "babel_locale", None)
        if chosen is not None:
            return chosen
    return get_locale() or _locale(current_app.config["BABEL_DEFAULT_LOCALE"])


# Dates and clock times as a language writes them, remembered: a page shows dozens of dates,
# Babel spends ~15 µs on each part, and the answers depend only on the day (or the hour and
# minute), the format and the language. Bounded: days x formats x languages in use.
_ZONE_LETTERS = frozenset("zZvVOXx")


@lru_cache(maxsize=8192)
def day(value: date, fmt: str, locale: Locale) -> str:
    """A calendar day at a CLDR format ("medium", "long", or a pattern like "d MMM")."""
    return str(format_date(value, fmt, locale=locale))


@lru_cache(maxsize=8192)
def _clock(hour: int, minute: int, locale: Locale) -> str:
    return str(format_time(time(hour, minute), "short", locale=locale))


@lru_cache(maxsize=64)
def _glue(fmt: str, locale: Locale) -> tuple[str, bool]:
    """CLDR's glue of a date and a time at `fmt`, and whether the short time names its zone."""
    glue = str(locale.datetime_formats.get(fmt, locale.datetime_formats["medium"]))
    short = str(getattr(locale.time_formats["short"], "pattern", locale.time_formats["short"]))
    return glue.replace("'", ""), bool(_ZONE_LETTERS & set(short))


def clock(local: datetime, locale: Locale | None = None) -> str:
    """A local time to the minute, as the language writes it (its short time)."""
    locale = locale or viewer_locale()
    if _glue("medium", locale)[1]:  # a language whose short time names the zone
        return str(format_time(local, "short", tzinfo=local.tzinfo, locale=locale))
    return _clock(local.hour, local.minute, locale)


def date_and_time(local: datetime, fmt: str = "medium", locale: Locale | None = None) -> str:
    """A local datetime as the language writes it: the date at `fmt`, the time to the minute."""
    locale = locale or viewer_locale()
    # CLDR joins its date and time patterns with its own glue ("{1}, {0}", "{0} {1}"...);
    # the time is always the short one: seconds mean nothing to a person reading a deadline.
    glue, _zoned = _glue(fmt, locale)
    return glue.replace("{1}", day(local.date(), fmt, locale)).replace("{0}", clock(local, locale))


def viewer_zone() -> ZoneInfo:
    """The viewer's time zone (their setting, else the network's), once per request."""
    found: ZoneInfo | None = g.get("_viewer_zone")
    if found is None:
        found = g._viewer_zone = zone(select_timezone())
    return found


def local_time(value: datetime) -> datetime:
    """A UTC datetime (naive means UTC) in the viewer's time zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(viewer_zone())


@cache
def _zone_aliases(name: str) -> tuple[str, ...]:
    """The zone's name and its other names: CLDR keys some zones by an older name
    (Asia/Saigon for Asia/Ho_Chi_Minh, Asia/Calcutta for Asia/Kolkata)."""
    aliases = get_global("zone_aliases")
    canonical = aliases.get(name, name)
    others = sorted(alias for alias, target in aliases.items() if target == canonical)
    return (name, canonical, *others)


def zone_city(tz_name: str | None, locale: Locale | None = None) -> str:
    """A time zone as people name it: its city, in the viewer's language ("TP Hồ Chí Minh",
    "Paris"), never its identifier ("Asia/Ho_Chi_Minh")."""
    return _city(zone(tz_name).key, locale or viewer_locale())


@lru_cache(maxsize=1024)
def _city(name: str, locale: Locale) -> str:
    for key in _zone_aliases(name):
        city = locale.time_zones.get(key, {}).get("city")
        if city:
            return str(city)
    # CLDR names most cities only in English, by the identifier's last part.
    return name.rsplit("/", 1)[-1].replace("_", " ")


def when(value: datetime | None, fmt: str = "medium") -> str:
    """A UTC datetime in the viewer's time zone and language, to the minute."""
    if value is None:
        return ""
    return date_and_time(local_time(value), fmt)


def when_in(value: datetime | None, tz_name: str, fmt: str = "medium") -> str:
    """A UTC datetime in a given zone (a call's own), in the viewer's language, its city named."""
    if value is None:
        return ""
    return f"{date_and_time(value.astimezone(zone(tz_name)), fmt)} ({zone_city(tz_name)})"


# --- Sorting names as the language does --------------------------------------------------------

# In Vietnamese ă, â, ê, ô, ơ, ư and đ are letters of their own, after a, e, o, u and d
# ("Đức" after every name in D, "Ấn Độ" after every name in A); tones only break ties.
_VI_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
# Letters with no decomposition that sort with a Latin letter (as Unicode's default order does).
_BASE_LETTERS = {"đ": "d", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h"}


def collation_key(text: str, language: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """A sort key for names in a language: letters first, accents and tones to break ties,
    punctuation and spaces before any letter; never code point order ("Đức" after "Zambia")."""
    vietnamese = language.split("_")[0] == "vi"
    letters: list[int] = []
    marks: list[int] = []
    for ch in unicodedata.normalize("NFD", text.casefold()):
        if unicodedata.combining(ch):
            if vietnamese and ch in _VI_LETTER_MARKS and letters:
                letters[-1] += _VI_LETTER_MARKS[ch]
            else:
                marks.append(ord(ch))
        elif ch == "đ" and vietnamese:
            letters.append(ord("d") * 4 + 1)
        elif ch in _BASE_LETTERS:
            letters.extend(ord(c) * 4 for c in _BASE_LETTERS[ch])
            marks.append(ord(ch))
        elif ch.isalnum():
            letters.append(ord(ch) * 4)
        else:
            letters.append(0)
    return tuple(letters), tuple(marks), text


# Territories CLDR names that are not countries of ISO 3166-1: groupings (EU, EZ, UN, QO),
# the unknown region (ZZ), test locales (XA "Pseudo-Accents", XB "Pseudo-Bidi"), codes
# reserved for parts of countries (AC, CP, CQ, DG, EA, IC, TA), and XK, user-assigned.
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)


@cache
def countries(language: str) -> tuple[tuple[str, str], ...]:
    """The countries of ISO 3166-1 (alpha-2 code, name in `language`), sorted as that
    language sorts them."""
    names = Locale.parse(language).territories
    pairs = [
        (code, str(name))
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    ]
    return tuple(sorted(pairs, key=lambda pair: collation_key(pair[1], language)))


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries("en"))


def is_country(code: str | None) -> bool:
    """Whether a code is one of the countries of ISO 3166-1 ("vn", "FR"; not "XA" nor "EU")."""
    return (code or "").upper() in _country_codes()


def country_name(code: str | None) -> str:
    """A country's name in the viewer's language ("" for none, the code if unknown)."""
    if not code:
        return ""
    return str(viewer_locale().territories.get(code.upper(), code))


# --- The network's designation -----------------------------------------------------------------


def network_designation() -> str:
    """NETWORK_DESIGNATION in the viewer's language when the catalogues know it, else as set."""
    designation = str(current_app.config["NETWORK_DESIGNATION"]).strip()
    return str(gettext(designation)) if designation else ""


def _designations() -> None:  # pragma: no cover  (never called: read by `make messages`)
    """UNESCO's Creative Cities, so that a network of any of them reads right in every language."""
    gettext("UNESCO City of Crafts and Folk Art")
    gettext("UNESCO City of Design")
    gettext("UNESCO City of Film")
    gettext("UNESCO City of Gastronomy")
    gettext("UNESCO City of Literature")
    gettext("UNESCO City of Media Arts")
    gettext("UNESCO City of Music")


def init_app(app: Flask) -> None:
    @app.before_request
    def remember_locale() -> None:
        g.locale = select_locale()

    app.jinja_env.filters["when"] = when
    use_network_catalogues_for_wtforms()
    app.jinja_env.filters["when_in"] = when_in


def request_translations() -> Any:
    """Flask-Babel's `get_translations()`, kept for the rest of the request while the locale
    stays the same object (`force_locale`, for an email in its recipient's language, and
    `refresh()` change or drop it, and the catalogue is looked up again). Flask-Babel's own
    lookup costs ~12 µs a string (context, domain, locale identifier, cache key) and a page
    translates about a hundred strings."""
    ctx = g.get("_flask_babel")
    if ctx is None:
        return get_translations()
    cached = getattr(ctx, "ydn_translations", None)
    if cached is None or cached[0] is not getattr(ctx, "babel_locale", None):
        translations = get_translations()  # sets ctx.babel_locale when it was not yet chosen
        cached = ctx.ydn_translations = (getattr(ctx, "babel_locale", None), translations)
    return cached[1]


@pass_context
def _template_gettext(__context: Context, __string: str, **variables: Any) -> str:
    """`_('…')` and `gettext('…')` in templates: what Jinja's "newstyle" gettext does (the
    translation marked safe when escaping is on, then `%` with the named values, which escapes
    them), in one call. Jinja's own goes through three (`_` calls `gettext`, which calls the
    function given to it, each through `Context.call`), and a page translates a hundred strings.
    Without values a string is only formatted when it holds a `%` (`100%%` reads `100%`)."""
    rv: str = request_translations().ugettext(__string)
    if __context.eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704  (our catalogues, as Jinja itself marks them)
    if variables or "%" in rv:
        rv = rv % variables
    return rv


def install_template_gettext(app: Flask) -> None:
    """Templates' `_`, `ngettext`, `pgettext` through `request_translations` (after Babel's
    init_app, which installs its own)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _template_gettext


class WTFormsTranslations:
    """WTForms' own messages ("This field is required.", ...) from the network's catalogues.

    Flask-WTF looks them up in the catalogues WTForms ships, which have no Vietnamese; the
    messages are listed below so that `make messages` puts them in app/translations.
    """

    def gettext(self, string: str) -> str:
        return str(request_translations().ugettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(request_translations().ungettext(singular, plural, n))


def use_network_catalogues_for_wtforms() -> None:
    flask_wtf_form.translations = WTFormsTranslations()


def _wtforms_messages() -> None:  # pragma: no cover  (never called: read by `make messages`)
    gettext("This field is required.")
    gettext("Invalid input.")
    gettext("Invalid email address.")
    gettext("Invalid URL.")
    gettext("Not a valid choice.")
    gettext("Invalid Choice: could not coerce.")
    gettext("Choices cannot be None.")
    gettext("Invalid choice(s): one or more data inputs could not be coerced.")
    gettext("'%(value)s' is not a valid choice for this field.")
    gettext("Not a valid datetime value.")
    gettext("Not a valid date value.")
    gettext("Not a valid time value.")
    gettext("Not a valid integer value.")
    gettext("Not a valid decimal value.")
    gettext("Not a valid float value.")
    gettext("Number must be at least %(min)s.")
    gettext("Number must be at most %(max)s.")
    gettext("Number must be between %(min)s and %(max)s.")
    gettext("Field must be equal to %(other_name)s.")
    gettext("Field must be between %(min)d and %(max)d characters long.")
    gettext("Invalid value, must be one of: %(values)s.")
    ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    )
    ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    )
    ngettext(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    )

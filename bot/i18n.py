"""Translations: gettext catalogs (Babel .po files), Swedish first.

Message ids are English; ``bot/locale/sv/LC_MESSAGES/messages.po`` carries the Swedish. The .po file
is compiled in memory on first use, so there is no build step. Placeholders use ``str.format``
names: ``gettext("Hello {name}", name=...)``.

Services raise and return *lazy* texts (``N_``) so that the edge renders them in the reader's
language, which a service does not know.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LANGUAGE = "sv"
LANGUAGES = ("sv", "en")


def normalize_language(value: str | None) -> str | None:
    """'sv', 'SV', 'svenska', 'sv_SE' → 'sv'; 'en', 'engelska', 'english' → 'en'; else None."""
    if not value:
        return None
    key = value.strip().lower().replace("-", "_")
    aliases = {"svenska": "sv", "swedish": "sv", "engelska": "en", "english": "en"}
    key = aliases.get(key, key.split("_")[0])
    return key if key in LANGUAGES else None


@dataclass(frozen=True)
class LazyText:
    """A message id and its arguments, rendered later in the reader's language."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)


def N_(msgid: str, **params: Any) -> LazyText:
    """Mark a message for translation without translating it yet."""
    return LazyText(msgid, params)


@cache
def _catalog(language: str) -> _gettext.NullTranslations:
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_file.exists():
        return _gettext.NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


class Translator:
    """Texts in one language."""

    def __init__(self, language: str | None = None) -> None:
        self.language = normalize_language(language) or DEFAULT_LANGUAGE
        self._catalog = _catalog(self.language)

    def gettext(self, msgid: str, **params: Any) -> str:
        text = self._catalog.gettext(msgid)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        text = self._catalog.ngettext(singular, plural, n)
        return text.format(n=n, **params)

    def render(self, text: LazyText | str, *, quote: Callable[[str], str] | None = None) -> str:
        """The text in this language. ``quote`` is applied to every string parameter (what a
        person typed) but not to the message itself — e.g. escaping for Slack mrkdwn."""
        if isinstance(text, str):
            return text
        params = {k: self._param(v, quote) for k, v in text.params.items()}
        return self.gettext(text.msgid, **params)

    def _param(self, value: Any, quote: Callable[[str], str] | None) -> Any:
        if isinstance(value, LazyText):
            return self.render(value, quote=quote)
        if isinstance(value, str) and quote is not None:
            return quote(value)
        return value


def translator(language: str | None) -> Translator:
    return Translator(language)


def format_days(tr: Translator, first: date, last: date, *, year: bool = True) -> str:
    """'1 nov. 2025 – 7 okt. 2026', '1 juli – 30 sep. 2026' (one year said once), and without
    ``year`` '1 juli – 30 sep.' (beside a name that says it): days in a message, in the reader's
    language. Files and file names keep ISO dates."""
    locale = "en_GB" if tr.language == "en" else "sv_SE"
    start = format_date(first, "d MMM y" if year and first.year != last.year else "d MMM", locale)
    end = format_date(last, "d MMM y" if year else "d MMM", locale=locale)
    return tr.gettext("{start} – {end}", start=start, end=end)

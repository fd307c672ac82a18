"""What a word people type means among the default categories (domain.md §3).

An alias names one category ("skjutning" is Skottlossning) and is chosen at once. A word here
points at a category by meaning without naming it: "vapen" may be Skottlossning, Hot or Grovt
våld. Such a word is never chosen silently — the person is asked, with these categories first,
in this order. A word under two or more categories ("narkotika": försäljning or hantering?) is
asked about even when a category also has it as an alias.

Keys are the default categories' keys; the words are folded (lower case, no diacritics) when
compared, so they are written here as people type them.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.commands import fold

# fmt: off
MEANINGS: dict[str, tuple[str, ...]] = {
    "narkotikaforsaljning": ("narkotika", "knark", "droger", "langa", "langare", "dealer",
                             "försäljning", "hasch", "cannabis", "kokain"),
    "narkotikahantering": ("narkotika", "knark", "droger", "innehav", "knarkpåsar", "sprutor",
                           "hasch", "cannabis", "kokain", "påverkad"),
    "skottlossning": ("vapen", "pistol", "gevär", "skjuten", "skjutvapen", "smäll"),
    "hot": ("vapen", "kniv", "hotad", "hotfull", "utpressning"),
    "vald": ("vapen", "kniv", "knivhugg", "slagen", "sparkad", "överfall", "gäng"),
    "sprangning": ("bomb", "handgranat", "smäll", "sprängladdning"),
    "fyrverkerier": ("smäll", "pyroteknik", "nyårsraketer"),
    "rekrytering": ("gäng", "springpojke", "värvning", "barn", "unga"),
    "konflikt": ("gäng", "gräl", "grupper", "tumult"),
    "brand": ("eld", "brinner", "rök", "brandbomb"),
    "buskorning": ("moped", "cross", "epa", "a-traktor", "fortkörning"),
    "ordningsstorning": ("fylla", "berusad", "oväsen", "fest", "ljud"),
    "otrygghet": ("rädsla", "mörker", "belysning", "otrygg", "folksamling"),
    "skadegorelse": ("krossad", "ruta", "sönder", "förstörd"),
    "klotter": ("tag", "spray", "sprayfärg"),
    "nedskrapning": ("sopor", "avfall", "skräpigt"),
    "stold": ("stulen", "cykelstöld", "ficktjuv"),
    "inbrott": ("inbrottsförsök", "uppbruten", "förråd", "källare"),
    "ran": ("rånad", "personrån"),
    "lustgas": ("ballonger", "patroner"),
}
# fmt: on

_BY_WORD: dict[str, tuple[str, ...]] = {}
for _key, _words in MEANINGS.items():
    for _word in _words:
        _BY_WORD[fold(_word)] = (*_BY_WORD.get(fold(_word), ()), _key)


def meant(text: str) -> tuple[str, ...]:
    """The category keys ``text`` may mean, in the order above; () when it is no such word."""
    return _BY_WORD.get(fold(" ".join(text.split())), ())


def ambiguous(text: str, keys: Sequence[str]) -> tuple[str, ...]:
    """The keys among ``keys`` that ``text`` may mean when it may mean two or more of them."""
    found = tuple(k for k in meant(text) if k in keys)
    return found if len(found) > 1 else ()

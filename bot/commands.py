"""The `/est` command grammar: sub-commands, their English aliases and 'did you mean'."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

MAX_TEXT_LENGTH = 4000


class Sub(StrEnum):
    """Sub-commands by their Swedish (primary) name."""

    HELP = "hjälp"
    INCIDENT = "händelse"
    INCIDENTS = "händelser"
    REPORT = "rapport"
    PICTURE = "lägesbild"
    MEETING = "möte"
    ACTION = "åtgärd"
    ACTIVITY = "aktivitet"
    PLACE = "plats"
    CATEGORY = "kategori"
    SUMMARY = "sammanfattning"
    EXPORT = "export"
    SETTINGS = "inställningar"
    JOIN = "gå med"
    LANGUAGE = "språk"


ENGLISH: dict[Sub, str] = {
    Sub.HELP: "help",
    Sub.INCIDENT: "incident",
    Sub.INCIDENTS: "incidents",
    Sub.REPORT: "report",
    Sub.PICTURE: "picture",
    Sub.MEETING: "meeting",
    Sub.ACTION: "action",
    Sub.ACTIVITY: "activity",
    Sub.PLACE: "place",
    Sub.CATEGORY: "category",
    Sub.SUMMARY: "summary",
    Sub.EXPORT: "export",
    Sub.SETTINGS: "settings",
    Sub.JOIN: "join",
    Sub.LANGUAGE: "language",
}


def fold(text: str) -> str:
    """Lower case without diacritics: 'Lägesbild' → 'lagesbild', 'Kårsby' → 'karsby'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_NAMES: dict[str, Sub] = {}
for _sub in Sub:
    _NAMES[fold(_sub.value)] = _sub
    _NAMES[fold(ENGLISH[_sub])] = _sub


@dataclass(frozen=True)
class Command:
    """A parsed `/est` text. ``sub`` is None when the word is unknown (see ``suggestion``)."""

    sub: Sub | None
    args: str
    word: str = ""
    suggestion: Sub | None = None


def parse(text: str) -> Command:
    """Split `/est <sub> <args>`; no text means help. Never raises."""
    text = " ".join(text.replace("\u00a0", " ").split(" ")).strip()
    if not text:
        return Command(Sub.HELP, "")
    words = text.split(maxsplit=2)
    if len(words) >= 2 and (found := _NAMES.get(fold(f"{words[0]} {words[1]}"))):
        return Command(found, words[2] if len(words) == 3 else "", f"{words[0]} {words[1]}")
    word, _, args = text.partition(" ")
    if found := _NAMES.get(fold(word)):
        return Command(found, args.strip(), word)
    return Command(None, text, word, suggestion=nearest(word))


def nearest(word: str) -> Sub | None:
    """The sub-command a mistyped word most likely meant, if any is close enough."""
    match = process.extractOne(fold(word), list(_NAMES), scorer=fuzz.ratio, score_cutoff=60)
    return _NAMES[match[0]] if match else None

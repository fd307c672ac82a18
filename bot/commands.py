"""The `/est` command grammar: sub-commands, their English aliases, usage and help, and 'did
you mean'.

A new sub-command is a member of ``Sub`` and a row of ``SUBCOMMANDS``; the feature's listener
routes it and its ``forms.py`` parses what follows the word.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from bot.i18n import N_, LazyText

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
    ANALYSIS = "analys"
    PATTERNS = "mönster"
    REPORTER = "rapportör"
    JOIN = "gå med"
    LANGUAGE = "språk"


@dataclass(frozen=True)
class SubCommand:
    """How a sub-command is written and what the help says about it."""

    english: str  # the alias: English words work too
    arguments: str  # what may follow the word, as the help shows it ("" for nothing)
    about: LazyText  # one line of help

    def usage(self, sub: Sub) -> str:
        return f"`/est {sub.value}{self.arguments}`"


SUBCOMMANDS: dict[Sub, SubCommand] = {
    Sub.HELP: SubCommand("help", "", N_("this help")),
    Sub.INCIDENT: SubCommand(
        "incident",
        " [plats; kategori; beskrivning; när; begränsad]",
        N_("log an incident at a place"),
    ),
    Sub.INCIDENTS: SubCommand("incidents", " [plats] [period]", N_("list incidents")),
    Sub.REPORT: SubCommand(
        "report",
        " [v46] [fler platser, kommaseparerade]",
        N_("this week's situation report for your organisation"),
    ),
    Sub.PICTURE: SubCommand(
        "picture",
        " [v46 | v46 2025 | plats X | ändra v46 <orsak>]",
        N_("the compiled situation picture of a week"),
    ),
    Sub.MEETING: SubCommand("meeting", "", N_("the weekly meeting: agenda, decisions, close")),
    Sub.ACTION: SubCommand(
        "action",
        " [ny | N | klar N | alla | försenade | plats X | polis]",
        N_("the action plan: new, list, done"),
    ),
    Sub.ACTIVITY: SubCommand(
        "activity",
        " [ny | N | mina | plats X | uppföljning N | kostnad N | motivera N | dokument N"
        " | ställ in N | flytta N | anslag ÅR | kalender]",
        N_("activities at places"),
    ),
    Sub.PLACE: SubCommand(
        "place",
        " [ny A; stadsdel; typ | byt namn A; B | alias A; B | slå ihop A; B | arkivera A]",
        N_("the place register"),
    ),
    Sub.CATEGORY: SubCommand(
        "category",
        " [ny A | byt namn A; B | ta bort A | återställ A]",
        N_("incident categories (admins change them)"),
    ),
    Sub.SUMMARY: SubCommand(
        "summary", " [v46 | tid måndag 08:00]", N_("post the weekly summary now")
    ),
    Sub.EXPORT: SubCommand(
        "export",
        " händelser [period] [plats] | lägesbild 2026 | aktivitet N | bidrag ÅR",
        N_("files: CSV, XLSX, PDF"),
    ),
    Sub.SETTINGS: SubCommand(
        "settings",
        " [gallring N | start DATUM]",
        N_("create the group, organisations, members (admins)"),
    ),
    Sub.JOIN: SubCommand(
        "join", " <organisation>", N_("ask to join the group with your organisation")
    ),
    Sub.LANGUAGE: SubCommand("language", " sv|en", N_("choose your language: sv or en")),
    Sub.REPORTER: SubCommand(
        "reporter",
        " [länk <namn> [organisation] | återkalla <namn|N> | återkoppling av|på]",
        N_("reporters outside the group: their web links (admins), the monthly feedback"),
    ),
    Sub.ANALYSIS: SubCommand(
        "analysis",
        " [ny [plats] | N | period [kvartal | tertial] [2026-Q3 | 2026-T2]]",
        N_(
            "cause analyses (orsaksanalys) of problems at places; `period` posts the period "
            "analysis in the channel"
        ),
    ),
    Sub.PATTERNS: SubCommand(
        "patterns",
        " [plats | stadsdel] [period]",
        N_("incidents by weekday × hour and by month, as a chart"),
    ),
}

ENGLISH: dict[Sub, str] = {sub: command.english for sub, command in SUBCOMMANDS.items()}


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

"""What follows `/est plats`, read into what to do (pure): the register, or one change to it.

A refusal is an ``InvalidInput`` whose message says how to write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import InvalidInput
from bot.i18n import N_, LazyText
from bot.places.service import PlaceForm, parse_place_form

_VERB = re.compile(
    r"^(ny|new|byt namn|rename|alias|slå ihop|sla ihop|merge|arkivera|archive|koordinater|"
    r"coordinates|karta|map)\b\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ShowRegister:
    """No verb: the register."""


@dataclass(frozen=True)
class ShowPlace:
    """A place's name: its chain, from the latest lägesbild to the follow-up."""

    name: str


@dataclass(frozen=True)
class AddPlace:
    """`ny Fittja centrum; Fittja; centrum; alias Fittja C`."""

    form: PlaceForm


@dataclass(frozen=True)
class RenamePlace:
    """`byt namn <old>; <new>`."""

    old: str
    new: str


@dataclass(frozen=True)
class AddAliases:
    """`alias <place>; <alias>, <alias>`."""

    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class MergePlaces:
    """`slå ihop <source>; <target>`: the source's incidents move to the target."""

    source: str
    target: str


@dataclass(frozen=True)
class ArchivePlace:
    """`arkivera <place>`."""

    name: str


@dataclass(frozen=True)
class LocatePlace:
    """`koordinater <place>; 59.2475, 17.8610`: where it is on the map (WGS84)."""

    name: str
    coordinates: str


PlaceCommand = (
    ShowRegister
    | ShowPlace
    | AddPlace
    | RenamePlace
    | AddAliases
    | MergePlaces
    | ArchivePlace
    | LocatePlace
)


def place_command(args: str) -> PlaceCommand:
    """`[<plats> | ny …; byt namn A; B; alias A; x, y; slå ihop A; B; arkivera A]`."""
    verb_match = _VERB.match(args)
    if not verb_match:
        return ShowPlace(args.strip()) if args.strip() else ShowRegister()
    verb, rest = verb_match.group(1).casefold(), args[verb_match.end() :]
    if verb in ("ny", "new"):
        return AddPlace(parse_place_form(rest))
    if verb in ("byt namn", "rename"):
        return RenamePlace(*_two(rest))
    if verb == "alias":
        name, aliases = _two(rest)
        return AddAliases(name, tuple(aliases.split(",")))
    if verb in ("arkivera", "archive"):
        return ArchivePlace(rest)
    if verb in ("koordinater", "coordinates", "karta", "map"):
        return LocatePlace(
            *_two(rest, N_("`/est plats koordinater Fittja centrum; 59.2475, 17.8610`"))
        )
    return MergePlaces(*_two(rest))


def _two(args: str, example: LazyText | None = None) -> tuple[str, str]:
    first, sep, second = args.partition(";")
    if not sep or not first.strip() or not second.strip():
        if example is not None:
            raise InvalidInput(
                N_("Separate the two parts with a semicolon, e.g. {example}.", example=example)
            )
        raise InvalidInput(
            N_(
                "Separate the two parts with a semicolon, e.g. "
                "`/est plats slå ihop Fittja C; Fittja centrum`."
            )
        )
    return first.strip(), second.strip()

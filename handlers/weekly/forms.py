"""What follows `/est lägesbild` and `/est rapport`, read into what to do (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands import fold
from bot.timeparse import split_leading_week


@dataclass(frozen=True)
class ShowPicture:
    """`[v46]`: a week's situation picture (this week's without a week)."""

    week: str  # as typed: the service reads the week


@dataclass(frozen=True)
class PlaceHistory:
    """`plats <place>`: the place's levels week by week."""

    place: str


@dataclass(frozen=True)
class CorrectPicture:
    """`ändra v46 <orsak>`: a new frozen version of a week's picture (``week`` is '' when the
    text does not start with a week: the service asks for one)."""

    week: str
    reason: str


@dataclass(frozen=True)
class PictureMap:
    """`[v46] karta`: the week's lägesbild on the map, as an image in the channel."""

    week: str


PictureCommand = ShowPicture | PlaceHistory | CorrectPicture | PictureMap
MAP_WORDS = ("karta", "map")


def picture_command(text: str) -> PictureCommand:
    """`[vNN | plats <place> | ändra vNN <orsak>]`; the week may carry its year (`v50 2026`,
    `2026-v50`), so the reason starts after it."""
    args = text.strip()
    if fold(args).startswith(("andra ", "correct ")):
        week, reason = split_leading_week(args.split(maxsplit=1)[1])
        return CorrectPicture(week, reason)
    if fold(args).startswith(("plats ", "place ")):
        return PlaceHistory(args.split(maxsplit=1)[1])
    words = args.split()
    if words and fold(words[-1]) in MAP_WORDS:
        return PictureMap(" ".join(words[:-1]))
    return ShowPicture(args)


@dataclass(frozen=True)
class ReportRequest:
    """`/est rapport [vNN] [plats, plats]`: the week as typed ('' for the meeting meant now) and
    the places named."""

    week: str
    places: list[str]


def report_command(text: str) -> ReportRequest:
    week, rest = split_leading_week(text)
    return ReportRequest(week, report_places(rest))


def report_places(text: str) -> list[str]:
    """`/est rapport [plats, plats]`: the places named, as typed, besides those with incidents."""
    return [p for p in text.split(",") if p.strip()]

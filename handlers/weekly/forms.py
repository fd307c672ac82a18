"""What follows `/est lägesbild` and `/est rapport`, read into what to do (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands import fold


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
    """`ändra v46 <orsak>`: a new frozen version of a week's picture."""

    week: str
    reason: str


PictureCommand = ShowPicture | PlaceHistory | CorrectPicture


def picture_command(text: str) -> PictureCommand:
    """`[vNN | plats <place> | ändra vNN <orsak>]`."""
    args = text.strip()
    if fold(args).startswith(("andra ", "correct ")):
        _verb, week, reason = [*args.split(maxsplit=2), "", ""][:3]
        return CorrectPicture(week, reason)
    if fold(args).startswith(("plats ", "place ")):
        return PlaceHistory(args.split(maxsplit=1)[1])
    return ShowPicture(args)


def report_places(text: str) -> list[str]:
    """`/est rapport [plats, plats]`: the places named, as typed, besides those with incidents."""
    return [p for p in text.split(",") if p.strip()]

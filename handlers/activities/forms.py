"""What follows `/est aktivitet`, read into what to do (pure). The first pattern that fits wins,
in the order ``activity_command`` tries them.

A refusal is an ``InvalidInput`` whose message shows how to write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from bot.commands import fold
from bot.errors import InvalidInput
from bot.i18n import N_

_SHOW = re.compile(r"^#?(\d+)$")
_OPEN = re.compile(
    r"^(uppföljning|uppfoljning|följ upp|folj upp|follow-?up|kostnad|cost|motivera|motivate"
    r"|dokument|document)"
    r"\s+#?(\d+)$",
    re.IGNORECASE,
)
_CANCEL = re.compile(
    r"^(?:ställ in|stall in|inställd|installd|cancel)\s+#?(\d+)\s*(.*)$", re.I | re.S
)
_MOVE = re.compile(
    r"^(?:flytta|move)\s+(kostnad|cost|dokument|document)\s+#?(\d+)\s+(?:till|to)\s+"
    r"(?:aktivitet\s+|activity\s+)?#?(\d+)\s*(.*)$",
    re.I | re.S,
)
_RESCHEDULE = re.compile(
    r"^(?:flytta|move)\s+#?(\d+)\s+(\d{4}-\d{2}-\d{2})\s+(\d{1,2}[:.]\d{2})\s*[-–]\s*"
    r"(\d{1,2}[:.]\d{2})\s*(.*)$",
    re.I | re.S,
)
_AMOUNT_WORD = re.compile(r"^[\d.,:]+(?:kr)?$|^kr$", re.I)


class Form(StrEnum):
    """The forms an activity's number opens (and its card's buttons)."""

    FOLLOW_UP = "uppföljning"
    COST = "kostnad"
    MOTIVATE = "motivera"
    DOCUMENT = "dokument"


class Item(StrEnum):
    """What can move from one activity to another."""

    COST = "kostnad"
    DOCUMENT = "dokument"


@dataclass(frozen=True)
class NewActivity:
    """`ny`: the form for a new activity."""


@dataclass(frozen=True)
class ShowActivity:
    """`17`: its card."""

    activity_id: int


@dataclass(frozen=True)
class OpenForm:
    """`uppföljning 17`, `kostnad 17`, `motivera 17`, `dokument 17`."""

    form: Form
    activity_id: int


@dataclass(frozen=True)
class CancelActivity:
    """`ställ in 17 <skäl>`."""

    activity_id: int
    reason: str


@dataclass(frozen=True)
class Reschedule:
    """`flytta 17 2026-12-13 11:00-16:00 <skäl>`."""

    activity_id: int
    day: date
    start: time
    end: time
    reason: str


@dataclass(frozen=True)
class MoveItem:
    """`flytta kostnad 5 till 18 <skäl>`, `flytta dokument 3 till aktivitet 18 <skäl>`."""

    item: Item
    item_id: int
    to_activity: int
    reason: str


@dataclass(frozen=True)
class Allocate:
    """`anslag 2026 statsbidrag 1 200 000 [diarienummer]`."""

    year: int
    source: str
    amount: str  # as typed: the service reads the kronor
    reference: str


@dataclass(frozen=True)
class Calendar:
    """`kalender`: the feed's address; `kalender ny`: a new one."""

    renew: bool


@dataclass(frozen=True)
class Mine:
    """`mina`: the person's own activities."""


@dataclass(frozen=True)
class Upcoming:
    """Anything else: coming activities, at ``place`` (`plats X`, or just a name) if given."""

    place: str


ActivityCommand = (
    NewActivity
    | ShowActivity
    | OpenForm
    | CancelActivity
    | Reschedule
    | MoveItem
    | Allocate
    | Calendar
    | Mine
    | Upcoming
)


def activity_command(text: str) -> ActivityCommand:
    """`[ny | mina | N | uppföljning N | kostnad N | motivera N | ställ in N skäl |
    flytta N DATUM HH:MM-HH:MM skäl | flytta kostnad K till N skäl | anslag ÅR KÄLLA BELOPP [dnr]
    | kalender [ny] | plats X]`."""
    args = text.strip()
    key = fold(args)
    if key in ("ny", "new"):
        return NewActivity()
    if show := _SHOW.match(args):
        return ShowActivity(int(show.group(1)))
    if opened := _OPEN.match(args):
        return OpenForm(form_of(fold(opened.group(1))), int(opened.group(2)))
    if cancel := _CANCEL.match(args):
        return CancelActivity(int(cancel.group(1)), cancel.group(2))
    if moved := _RESCHEDULE.match(args):
        return _reschedule(moved)
    if move := _MOVE.match(args):
        what, number, to, reason = move.groups()
        item = Item.COST if fold(what).startswith(("kost", "cost")) else Item.DOCUMENT
        return MoveItem(item, int(number), int(to), reason)
    if key.startswith(("anslag ", "allocation ")):
        return _allocate(args.split()[1:])
    if key.split(" ")[0] in ("kalender", "calendar"):
        return Calendar(renew=key.endswith((" ny", " new")))
    if key in ("mina", "mine"):
        return Mine()
    words = args.split(maxsplit=1)
    at_place = bool(words) and fold(words[0]) in ("plats", "place") and len(words) > 1
    return Upcoming(words[1] if at_place else args)


def form_of(word: str) -> Form:
    """The form a folded word names: `kostnad`/`cost`, `motivera`, `dokument`, else follow-up."""
    if word.startswith(("kostnad", "cost")):
        return Form.COST
    if word.startswith(("motiv",)):
        return Form.MOTIVATE
    if word.startswith(("dokument", "document")):
        return Form.DOCUMENT
    return Form.FOLLOW_UP


def _reschedule(found: re.Match[str]) -> Reschedule:
    try:
        day = date.fromisoformat(found.group(2))
        start, end = (time.fromisoformat(t.replace(".", ":").zfill(5)) for t in found.group(3, 4))
    except ValueError:
        raise InvalidInput(
            N_("Write for example `/est aktivitet flytta 17 2026-12-13 11:00-16:00 regn`.")
        ) from None
    return Reschedule(int(found.group(1)), day, start, end, found.group(5))


def _allocate(words: list[str]) -> Allocate:
    """Year, source (`egen budget` is two words), the amount's words, and the rest: the
    reference."""
    if len(words) < 3 or not words[0].isdigit():
        raise InvalidInput(
            N_("Write for example `/est aktivitet anslag 2026 statsbidrag 1 200 000 S2026/123`.")
        )
    year, rest = int(words[0]), words[1:]
    source_words = 2 if fold(rest[0]) == "egen" else 1
    source, rest = " ".join(rest[:source_words]), rest[source_words:]
    amount = [w for w in rest if _AMOUNT_WORD.match(w)]
    reference = " ".join(w for w in rest if not _AMOUNT_WORD.match(w))
    return Allocate(year, source, " ".join(amount), reference)

"""Reading the incident form into a draft, and what follows `/est händelse` and `/est kategori`
(pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput
from bot.i18n import N_
from bot.incidents.service import IncidentDraft
from handlers.forms import chosen, picked_date, picked_time, selected, text
from handlers.ids import Action, Block


def incident_draft(view: dict[str, Any], meta: dict[str, Any], tz: ZoneInfo) -> IncidentDraft:
    """The submitted form as a draft; the local date and time become one aware datetime."""
    place = selected(view, Block.PLACE, Action.PLACE)
    category = selected(view, Block.CATEGORY, Action.CATEGORY)
    day = picked_date(view, Block.DATE, Action.DATE)
    clock = picked_time(view, Block.WHEN, Action.TIME)
    if not place:
        raise InvalidInput(N_("Choose a place."), field=Block.PLACE)
    if not category:
        raise InvalidInput(N_("Choose a category."), field=Block.CATEGORY)
    if not day or not clock:
        raise InvalidInput(N_("Choose the date and the time."), field=Block.WHEN)
    at = datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=tz)
    duplicate = chosen(view, Block.DUPLICATE, Action.DUPLICATE)
    restricted = chosen(view, Block.RESTRICTED, Action.RESTRICTED)
    place_id = int(place) if place.isdigit() else None  # an id from the typeahead, else typed
    return IncidentDraft(
        place="" if place_id is not None else place,
        place_id=place_id,
        category=f"#{category}",
        description=text(view, Block.DESCRIPTION, Action.DESCRIPTION),
        occurred_at=at,
        persistence=selected(view, Block.PERSISTENCE, Action.PERSISTENCE),
        source_channel=meta.get("c") if meta.get("ts") else None,
        source_ts=meta.get("ts"),
        source_link=meta.get("link"),
        idempotency_key=view.get("id") if "edit" not in meta else None,
        allow_duplicate=bool(duplicate),
        restricted=bool(restricted),
    )


# -- `/est händelse …` -------------------------------------------------------------------------

_EDIT = re.compile(r"^(ändra|andra|rätta|ratta|correct|edit)\s+#?(\d+)$", re.IGNORECASE)
_DELETE = re.compile(r"^(ta bort|radera|delete)\s+#?(\d+)\s*(.*)$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class NewIncident:
    """Nothing after the word: the form."""


@dataclass(frozen=True)
class EditIncident:
    """`ändra 12`: the form, filled in with incident 12."""

    incident_id: int


@dataclass(frozen=True)
class DeleteIncident:
    """`ta bort 12 <orsak>`."""

    incident_id: int
    reason: str


@dataclass(frozen=True)
class QuickIncident:
    """Anything else: the quick syntax, `plats; kategori; beskrivning; när`."""

    text: str


IncidentCommand = NewIncident | EditIncident | DeleteIncident | QuickIncident


def incident_command(text: str) -> IncidentCommand:
    """`[text | ändra N | ta bort N orsak]`."""
    if not text:
        return NewIncident()
    if edit := _EDIT.match(text):
        return EditIncident(int(edit.group(2)))
    if delete := _DELETE.match(text):
        return DeleteIncident(int(delete.group(2)), delete.group(3))
    return QuickIncident(text)


# -- `/est kategori …` ------------------------------------------------------------------------

_CATEGORY_VERB = re.compile(
    r"^(ny|new|byt namn|rename|ta bort|retire|återställ|aterstall|restore)\b\s*", re.IGNORECASE
)


@dataclass(frozen=True)
class ListCategories:
    """No verb: the group's categories."""


@dataclass(frozen=True)
class AddCategory:
    """`ny <name>` (admins)."""

    label: str


@dataclass(frozen=True)
class RenameCategory:
    """`byt namn <old>; <new>` (admins)."""

    old: str
    new: str


@dataclass(frozen=True)
class RetireCategory:
    """`ta bort <name>`: not offered any more; old incidents keep it (admins)."""

    name: str


@dataclass(frozen=True)
class RestoreCategory:
    """`återställ <name>`: a retired category in use again (admins)."""

    name: str


CategoryCommand = ListCategories | AddCategory | RenameCategory | RetireCategory | RestoreCategory


def category_command(text: str) -> CategoryCommand:
    """`[ny <name> | byt namn <old>; <new> | ta bort <name> | återställ <name>]`."""
    verb_match = _CATEGORY_VERB.match(text)
    if not verb_match:
        return ListCategories()
    verb, rest = verb_match.group(1).casefold(), text[verb_match.end() :].strip()
    if verb in ("ny", "new"):
        return AddCategory(rest)
    if verb in ("byt namn", "rename"):
        old, sep, new = rest.partition(";")
        if not sep:
            raise InvalidInput(N_("Write `/est kategori byt namn <old>; <new>`."))
        return RenameCategory(old, new)
    if verb in ("återställ", "aterstall", "restore"):
        return RestoreCategory(rest)
    return RetireCategory(rest)

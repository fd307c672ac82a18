"""Reading the incident form into a draft (pure)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput
from bot.i18n import N_
from bot.incidents.service import IncidentDraft
from handlers.forms import selected, state, text
from handlers.ids import Action, Block


def incident_draft(view: dict[str, Any], meta: dict[str, Any], tz: ZoneInfo) -> IncidentDraft:
    """The submitted form as a draft; the local date and time become one aware datetime."""
    place = selected(view, Block.PLACE, Action.PLACE)
    category = selected(view, Block.CATEGORY, Action.CATEGORY)
    day = state(view, Block.DATE, Action.DATE).get("selected_date")
    clock = state(view, Block.WHEN, Action.TIME).get("selected_time")
    if not place:
        raise InvalidInput(N_("Choose a place."), field=Block.PLACE)
    if not category:
        raise InvalidInput(N_("Choose a category."), field=Block.CATEGORY)
    if not day or not clock:
        raise InvalidInput(N_("Choose the date and the time."), field=Block.WHEN)
    at = datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=tz)
    duplicate = state(view, Block.DUPLICATE, Action.DUPLICATE).get("selected_options") or []
    restricted = state(view, Block.RESTRICTED, Action.RESTRICTED).get("selected_options") or []
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

"""What follows `/est åtgärd`, and the new action's form, read into typed values (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.actions.service import ActionDraft, ActionFilter
from bot.commands import fold
from bot.errors import InvalidInput
from bot.i18n import N_, LazyText
from handlers.forms import chosen, picked_date, selected, text
from handlers.ids import Action, Block
from handlers.interactions import View, metadata

_STATUS = re.compile(
    r"^(klar|done|pågår|pagar|avbruten|cancel(?:led)?)\s+#?(\d+)\s*(.*)$", re.IGNORECASE | re.DOTALL
)
_SHOW = re.compile(r"^#?(\d+)$")


@dataclass(frozen=True)
class NewAction:
    """`ny`: the form for a new action."""


@dataclass(frozen=True)
class SetStatus:
    """`klar 42 [kommentar]`, `pågår 42`, `avbruten 42 [kommentar]`."""

    action_id: int
    status: str  # klar, pågår or avbruten: the stored words
    comment: str


@dataclass(frozen=True)
class ShowAction:
    """`42`: its card."""

    action_id: int


@dataclass(frozen=True)
class ListActions:
    """Anything else: a list, under ``title``."""

    query: ActionFilter
    title: LazyText


ActionCommand = NewAction | SetStatus | ShowAction | ListActions


def action_command(text: str) -> ActionCommand:
    """`[ny | N | klar N [kommentar] | alla | försenade | plats X | <organisation>]`."""
    args = text.strip()
    if fold(args) in ("ny", "new"):
        return NewAction()
    if status := _STATUS.match(args):
        word = fold(status.group(1))
        new = {"klar": "klar", "done": "klar", "pagar": "pågår"}.get(word, "avbruten")
        return SetStatus(int(status.group(2)), new, status.group(3))
    if show := _SHOW.match(args):
        return ShowAction(int(show.group(1)))
    return ListActions(*_filter(args))


def _filter(args: str) -> tuple[ActionFilter, LazyText]:
    """`` (mine), `alla`, `försenade`, `plats X`, anything else: an organisation."""
    key = fold(args)
    if not key:
        return ActionFilter(mine=True), N_("my open actions")
    if key in ("alla", "all"):
        return ActionFilter(), N_("all open actions")
    if key in ("forsenade", "overdue", "sena"):
        return ActionFilter(overdue=True), N_("overdue actions")
    if key.startswith(("plats ", "place ")):
        place = args.split(maxsplit=1)[1]
        return ActionFilter(place=place), N_("open actions at {place}", place=place)
    return ActionFilter(organisation=args), N_("open actions of {org}", org=args)


def draft_from(view: View) -> ActionDraft:
    """The new action's form as a draft; the due date is required."""
    meta = metadata(view)
    due = picked_date(view, Block.DUE, Action.DUE)
    if not due:
        raise InvalidInput(N_("Choose the due date."), field=Block.DUE)
    places = chosen(view, Block.PLACES, Action.PLACE)
    week = meta.get("week") or (None, None)
    return ActionDraft(
        title=text(view, Block.TITLE, Action.TITLE),
        owner_user_id=selected(view, Block.OWNER, Action.OWNER) or "",
        due_date=date.fromisoformat(due),
        description=text(view, Block.DESCRIPTION, Action.DESCRIPTION),
        horizon=selected(view, Block.HORIZON, Action.HORIZON) or "kort",
        place_ids=[int(p) for p in places if p.isdigit()],
        incident_ids=[int(i) for i in meta.get("incidents") or []],
        iso_year=week[0],
        iso_week=week[1],
        decision_ref=meta.get("decision"),
        analysis_id=meta.get("analysis") if isinstance(meta.get("analysis"), int) else None,
    )

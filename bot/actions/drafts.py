"""A new action: its draft, what can refuse it, and saving it with its links, its audit event
and the owner's notice in the caller's unit of work (the action service, the meeting's
decisions). Every message an action causes is an outbox row in that same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.actions.notifications import ActionOutbox
from bot.actors import Actor
from bot.analysis.service import tied_analysis
from bot.errors import InvalidInput, NotFound
from bot.i18n import N_
from bot.places.service import place_in, resolve
from bot.privacy import ensure_no_personal_data
from bot.rules import check_text, clean_name, owner_member
from storage.models import Action, Outbox
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class ActionDraft:
    title: str
    owner_user_id: str
    due_date: date
    description: str = ""
    horizon: str = "kort"
    places: Sequence[str] = ()  # typed names, resolved like incident places
    place_ids: Sequence[int] = ()  # chosen from a list
    incident_ids: Sequence[int] = ()
    iso_year: int | None = None
    iso_week: int | None = None
    decision_ref: str | None = None
    analysis_id: int | None = None  # the cause analysis it grows out of


def parse_horizon(value: str) -> str:
    key = value.strip().casefold()
    if key in ("", "kort", "kort sikt", "short"):
        return "kort"
    if key in ("lång", "lang", "lång sikt", "long"):
        return "lång"
    raise InvalidInput(N_("Choose short or long term (kort / lång sikt)."), field="horizon")


def reminder_key(action: Action) -> str:
    """Every reminder of an action's current due date starts with this key."""
    return f"action:{action.id}:{action.due_date.isoformat()}:"


def checked_draft(draft: ActionDraft, *, timezone: str, now: datetime) -> ActionDraft:
    """What can refuse a new action before the database is asked: its title, its text, a due
    date that has not passed. The draft back with the title and text cleaned."""
    title = clean_name(draft.title, "title")
    ensure_no_personal_data(title, field="title")
    description = check_text(draft.description, "description")
    if draft.due_date < now.astimezone(ZoneInfo(timezone)).date():
        raise InvalidInput(N_("The due date has already passed."), field="due")
    return replace(draft, title=title, description=description)


def add_action(
    uow: UnitOfWork, actor: Actor, group_id: int, draft: ActionDraft, *, now: datetime
) -> Action:
    """A checked draft saved in the caller's unit of work: the action, its links, its audit
    event and the owner's notice. A refused owner or place raises before the caller commits."""
    owner = owner_member(uow, group_id, draft.owner_user_id)
    row = uow.actions.add(
        Action(
            group_id=group_id,
            title=draft.title,
            description=draft.description,
            owner_user_id=owner.slack_user_id,
            organisation_id=owner.organisation_id,
            horizon=parse_horizon(draft.horizon),
            due_date=draft.due_date,
            iso_year=draft.iso_year,
            iso_week=draft.iso_week,
            decision_ref=draft.decision_ref,
            analysis_id=tied_analysis(uow, group_id, draft.analysis_id),
            created_by=actor.user_id,
            created_at=now,
            updated_at=now,
        )
    )
    assert row.id is not None
    places = [resolve(uow, actor, group_id, p).id or 0 for p in draft.places]
    places += [place_in(uow, group_id, p).id or 0 for p in draft.place_ids]
    uow.actions.link(
        row.id,
        places=list(dict.fromkeys(places)),
        incidents=linked_incidents(uow, group_id, draft.incident_ids),
    )
    uow.audit.record_row("action.created", row, actor=actor.user_id, at=now)
    tell(uow, row, ActionOutbox.ASSIGNED, row.owner_user_id, now, by=actor.user_id)
    return row


def tell(
    uow: UnitOfWork,
    row: Action,
    kind: ActionOutbox,
    recipient: str,
    now: datetime,
    **payload: object,
) -> None:
    uow.outbox.enqueue(
        Outbox(
            group_id=row.group_id,
            recipient=recipient,
            kind=kind,
            payload={"action_id": row.id, **payload},
            next_attempt_at=now,
            created_at=now,
        )
    )


def linked_incidents(uow: UnitOfWork, group_id: int, ids: Sequence[int]) -> list[int]:
    found = [uow.incidents.get(i) for i in ids]
    if any(i is None or i.group_id != group_id for i in found):
        raise NotFound(N_("One of the incidents is not in this group."))
    return list(ids)


def action_in(uow: UnitOfWork, group_id: int, action_id: int) -> Action:
    row = uow.actions.get(action_id)
    if row is None or row.group_id != group_id:
        raise NotFound(N_("No action #{id} in this group.", id=action_id))
    return row

"""The action plan (åtgärdsplan): owned actions with due dates, notes, status and hand-overs.

Every message an action causes (assignment, hand-over, reminders) is an outbox row written in
the same transaction as the change, so nothing is lost between the database and Slack.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.actions.notifications import ActionOutbox
from bot.actions.results import ActionItem, action_item, action_items
from bot.actors import Actor
from bot.analysis.service import tied_analysis
from bot.errors import Forbidden, InvalidInput, NotFound
from bot.groups.service import find_organisation
from bot.i18n import N_
from bot.places.service import place_in, resolve
from bot.privacy import ensure_no_personal_data
from bot.rules import check_text, clean_name, owner_member, require
from storage.db import Database
from storage.models import Action, ActionNote, ActionStatus, Outbox, Role
from storage.repositories import UnitOfWork, snapshot


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


@dataclass(frozen=True)
class ActionFilter:
    """`/est åtgärd` (mine), `plats X`, `polis`, `försenade`, `alla`."""

    mine: bool = False
    place: str = ""
    organisation: str = ""
    overdue: bool = False
    open_only: bool = True
    extra: dict[str, str] = field(default_factory=dict)


def parse_horizon(value: str) -> str:
    key = value.strip().casefold()
    if key in ("", "kort", "kort sikt", "short"):
        return "kort"
    if key in ("lång", "lang", "lång sikt", "long"):
        return "lång"
    raise InvalidInput(N_("Choose short or long term (kort / lång sikt)."), field="horizon")


def parse_status(value: str) -> ActionStatus:
    aliases = {
        "öppen": ActionStatus.OPEN,
        "oppen": ActionStatus.OPEN,
        "open": ActionStatus.OPEN,
        "pågår": ActionStatus.IN_PROGRESS,
        "pagar": ActionStatus.IN_PROGRESS,
        "in progress": ActionStatus.IN_PROGRESS,
        "klar": ActionStatus.DONE,
        "done": ActionStatus.DONE,
        "avbruten": ActionStatus.CANCELLED,
        "cancelled": ActionStatus.CANCELLED,
    }
    if (status := aliases.get(value.strip().casefold())) is None:
        raise InvalidInput(
            N_("Unknown status “{value}”: öppen, pågår, klar or avbruten.", value=value)
        )
    return status


def reminder_key(action: Action) -> str:
    """Every reminder of an action's current due date starts with this key."""
    return f"action:{action.id}:{action.due_date.isoformat()}:"


class ActionService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, actor: Actor, draft: ActionDraft, *, now: datetime) -> ActionItem:
        group = require(actor, Role.MEDLEM)
        draft = checked_draft(draft, timezone=group.timezone, now=now)
        with self.db.unit_of_work() as uow:
            return action_item(uow, add_action(uow, actor, group.id, draft, now=now))

    def get(self, actor: Actor, action_id: int) -> ActionItem:
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            return action_item(uow, _action_in(uow, group.id, action_id), with_notes=True)

    def find(self, actor: Actor, query: ActionFilter, *, now: datetime) -> tuple[ActionItem, ...]:
        group = require(actor, Role.LASARE)
        today = now.astimezone(ZoneInfo(group.timezone)).date()
        with self.db.unit_of_work(read_only=True) as uow:
            place_id = resolve(uow, actor, group.id, query.place).id if query.place else None
            org_id = self._organisation(uow, group.id, query.organisation)
            rows = uow.actions.find(
                group.id,
                owner=actor.user_id if query.mine else None,
                organisation_id=org_id,
                place_id=place_id,
                open_only=query.open_only or query.overdue,
                due_before=today if query.overdue else None,
            )
            return tuple(action_items(uow, rows))

    def set_status(
        self, actor: Actor, action_id: int, status: str, *, comment: str = "", now: datetime
    ) -> ActionItem:
        group = require(actor, Role.MEDLEM)
        new = parse_status(status)
        note = check_text(comment, "comment")
        with self.db.unit_of_work() as uow:
            row = self._changeable(uow, actor, group.id, action_id)
            before = snapshot(row)
            row.status, row.updated_at = new, now
            row.done_at = now if new in (ActionStatus.DONE, ActionStatus.CANCELLED) else None
            uow.actions.note(
                ActionNote(
                    action_id=action_id,
                    author_user_id=actor.user_id,
                    kind="status",
                    text=f"{new.value}: {note}".strip(": "),
                    created_at=now,
                )
            )
            if new in (ActionStatus.DONE, ActionStatus.CANCELLED):
                uow.outbox.cancel(reminder_key(row), now=now)
            uow.audit.record_row("action.changed", row, actor=actor.user_id, at=now, before=before)
            return action_item(uow, row)

    def postpone(
        self,
        actor: Actor,
        action_id: int,
        *,
        to: date | None = None,
        by_days: int = 0,
        reason: str = "",
        now: datetime,
    ) -> ActionItem:
        """A new due date: by 1 day or 1 week, or a chosen date with a reason."""
        group = require(actor, Role.MEDLEM)
        reason = check_text(reason, "reason")
        if to is not None and not reason:
            raise InvalidInput(N_("Say why the due date moves."), field="reason")
        today = now.astimezone(ZoneInfo(group.timezone)).date()
        with self.db.unit_of_work() as uow:
            row = self._changeable(uow, actor, group.id, action_id)
            new_due = to or max(row.due_date, today) + timedelta(days=by_days)
            if new_due < today or new_due == row.due_date:
                raise InvalidInput(N_("Choose a new date from today on."), field="due")
            before = snapshot(row)
            uow.outbox.cancel(reminder_key(row), now=now)
            row.due_date, row.updated_at, row.escalated_at = new_due, now, None
            text = f"{before['due_date']} → {new_due.isoformat()}" + (
                f": {reason}" if reason else ""
            )
            uow.actions.note(
                ActionNote(
                    action_id=action_id,
                    author_user_id=actor.user_id,
                    kind="postpone",
                    text=text,
                    created_at=now,
                )
            )
            uow.audit.record_row("action.changed", row, actor=actor.user_id, at=now, before=before)
            return action_item(uow, row)

    def add_note(self, actor: Actor, action_id: int, text: str, *, now: datetime) -> ActionItem:
        group = require(actor, Role.MEDLEM)
        body = check_text(text, "note")
        if not body:
            raise InvalidInput(N_("The note is empty."), field="note")
        with self.db.unit_of_work() as uow:
            row = _action_in(uow, group.id, action_id)
            note = ActionNote(
                action_id=action_id,
                author_user_id=actor.user_id,
                kind="note",
                text=body,
                created_at=now,
            )
            uow.actions.note(note)
            uow.audit.record_row(
                "action.noted", note, actor=actor.user_id, at=now, group_id=group.id
            )
            return action_item(uow, row, with_notes=True)

    def reassign(
        self, actor: Actor, action_id: int, new_owner: str, *, now: datetime
    ) -> ActionItem:
        """Hand the action to another member; both the old and the new owner are told."""
        group = require(actor, Role.MEDLEM)
        with self.db.unit_of_work() as uow:
            row = self._changeable(uow, actor, group.id, action_id)
            owner = owner_member(uow, group.id, new_owner)
            previous = row.owner_user_id
            if owner.slack_user_id == previous:
                raise InvalidInput(N_("That person already owns the action."), field="owner")
            before = snapshot(row)
            uow.outbox.cancel(reminder_key(row), now=now)
            row.owner_user_id, row.organisation_id = owner.slack_user_id, owner.organisation_id
            row.updated_at = now
            uow.actions.note(
                ActionNote(
                    action_id=action_id,
                    author_user_id=actor.user_id,
                    kind="reassign",
                    text=f"{previous} → {owner.slack_user_id}",
                    created_at=now,
                )
            )
            uow.audit.record_row("action.changed", row, actor=actor.user_id, at=now, before=before)
            self._tell(
                uow,
                row,
                ActionOutbox.ASSIGNED,
                row.owner_user_id,
                now,
                by=actor.user_id,
                previous=previous,
            )
            self._tell(uow, row, ActionOutbox.HANDED_OVER, previous, now, by=actor.user_id)
            return action_item(uow, row)

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _tell(
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

    @staticmethod
    def _incidents(uow: UnitOfWork, group_id: int, ids: Sequence[int]) -> list[int]:
        found = [uow.incidents.get(i) for i in ids]
        if any(i is None or i.group_id != group_id for i in found):
            raise NotFound(N_("One of the incidents is not in this group."))
        return list(ids)

    @staticmethod
    def _organisation(uow: UnitOfWork, group_id: int, text: str) -> int | None:
        if not text:
            return None
        return find_organisation(uow, group_id, text).id

    @staticmethod
    def _changeable(uow: UnitOfWork, actor: Actor, group_id: int, action_id: int) -> Action:
        row = _action_in(uow, group_id, action_id)
        if actor.user_id not in (row.owner_user_id, row.created_by) and not actor.is_admin:
            raise Forbidden(
                N_("Only the owner, the creator or an admin can change action #{id}.", id=action_id)
            )
        return row


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
        incidents=ActionService._incidents(uow, group_id, draft.incident_ids),
    )
    uow.audit.record_row("action.created", row, actor=actor.user_id, at=now)
    ActionService._tell(uow, row, ActionOutbox.ASSIGNED, row.owner_user_id, now, by=actor.user_id)
    return row


def _action_in(uow: UnitOfWork, group_id: int, action_id: int) -> Action:
    row = uow.actions.get(action_id)
    if row is None or row.group_id != group_id:
        raise NotFound(N_("No action #{id} in this group.", id=action_id))
    return row

"""The action plan (åtgärdsplan): owned actions with due dates, notes, status and hand-overs.

Every message an action causes (assignment, hand-over, reminders) is an outbox row written in
the same transaction as the change, so nothing is lost between the database and Slack. A new
action's draft and checks are in ``bot.actions.drafts`` (re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.actions.drafts import ActionDraft as ActionDraft
from bot.actions.drafts import action_in, tell
from bot.actions.drafts import add_action as add_action
from bot.actions.drafts import checked_draft as checked_draft
from bot.actions.drafts import parse_horizon as parse_horizon
from bot.actions.drafts import reminder_key as reminder_key
from bot.actions.notifications import ActionOutbox
from bot.actions.results import ActionItem, action_item, action_items
from bot.actors import Actor
from bot.errors import Forbidden, InvalidInput
from bot.groups.service import find_organisation
from bot.i18n import N_
from bot.places.service import resolve
from bot.rules import check_text, owner_member, require
from storage.db import Database
from storage.models import Action, ActionNote, ActionStatus, Role
from storage.repositories import UnitOfWork, snapshot


@dataclass(frozen=True)
class ActionFilter:
    """`/est åtgärd` (mine), `plats X`, `polis`, `försenade`, `alla`."""

    mine: bool = False
    place: str = ""
    organisation: str = ""
    overdue: bool = False
    open_only: bool = True
    extra: dict[str, str] = field(default_factory=dict)


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
            return action_item(uow, action_in(uow, group.id, action_id), with_notes=True)

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
            row = action_in(uow, group.id, action_id)
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
            tell(
                uow,
                row,
                ActionOutbox.ASSIGNED,
                row.owner_user_id,
                now,
                by=actor.user_id,
                previous=previous,
            )
            tell(uow, row, ActionOutbox.HANDED_OVER, previous, now, by=actor.user_id)
            return action_item(uow, row)

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _organisation(uow: UnitOfWork, group_id: int, text: str) -> int | None:
        if not text:
            return None
        return find_organisation(uow, group_id, text).id

    @staticmethod
    def _changeable(uow: UnitOfWork, actor: Actor, group_id: int, action_id: int) -> Action:
        row = action_in(uow, group_id, action_id)
        if actor.user_id not in (row.owner_user_id, row.created_by) and not actor.is_admin:
            raise Forbidden(
                N_("Only the owner, the creator or an admin can change action #{id}.", id=action_id)
            )
        return row

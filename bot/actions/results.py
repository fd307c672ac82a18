"""What the action-plan services return: frozen values, never live rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from storage.models import Action, ActionNote, ActionStatus, Organisation
from storage.repositories import UnitOfWork

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Note:
    author_user_id: str
    kind: str
    text: str
    created_at: datetime

    @classmethod
    def of(cls, row: ActionNote) -> Note:
        return cls(row.author_user_id, row.kind, row.text, row.created_at)


@dataclass(frozen=True)
class ActionItem:
    id: int
    group_id: int
    title: str
    description: str
    owner_user_id: str
    organisation: str
    horizon: str
    status: str
    due_date: date
    places: tuple[str, ...]
    incident_ids: tuple[int, ...]
    iso_year: int | None
    iso_week: int | None
    decision_ref: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None
    notes: tuple[Note, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue(self, today: date) -> bool:
        return self.is_open and self.due_date < today

    def days_overdue(self, today: date) -> int:
        return (today - self.due_date).days if self.overdue(today) else 0


def action_item(uow: UnitOfWork, row: Action, *, with_notes: bool = False) -> ActionItem:
    return action_items(uow, [row], with_notes=with_notes)[0]


def action_items(
    uow: UnitOfWork, rows: Sequence[Action], *, with_notes: bool = False
) -> list[ActionItem]:
    """Views of ``rows``, in their order, with a fixed number of queries however many."""
    ids = [row.id for row in rows if row.id is not None]
    if not ids:
        return []
    places = uow.actions.place_names(ids)
    incidents = uow.actions.incident_ids(ids)
    written = uow.actions.notes(ids) if with_notes else {}
    notes = {action_id: [Note.of(n) for n in some] for action_id, some in written.items()}
    organisations = {o.id: o for o in uow.organisations.many({row.organisation_id for row in rows})}
    return [
        _view(row, organisations.get(row.organisation_id), places, incidents, notes) for row in rows
    ]


def _view(
    row: Action,
    organisation: Organisation | None,
    places: dict[int, list[str]],
    incidents: dict[int, list[int]],
    notes: dict[int, list[Note]],
) -> ActionItem:
    assert row.id is not None
    return ActionItem(
        id=row.id,
        group_id=row.group_id,
        title=row.title,
        description=row.description,
        owner_user_id=row.owner_user_id,
        organisation=organisation.name if organisation else "",
        horizon=row.horizon,
        status=row.status,
        due_date=row.due_date,
        places=tuple(places.get(row.id, ())),
        incident_ids=tuple(incidents.get(row.id, ())),
        iso_year=row.iso_year,
        iso_week=row.iso_week,
        decision_ref=row.decision_ref,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        done_at=row.done_at,
        notes=tuple(notes.get(row.id, ())),
    )

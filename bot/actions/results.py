"""What the action-plan services return: frozen values, never live rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select

from storage.models import (
    Action,
    ActionIncident,
    ActionNote,
    ActionPlace,
    ActionStatus,
    Organisation,
    Place,
)
from storage.repositories import UnitOfWork

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Note:
    author_user_id: str
    kind: str
    text: str
    created_at: datetime


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
    session = uow.session
    places: dict[int, list[str]] = defaultdict(list)
    for action_id, name in session.exec(
        select(ActionPlace.action_id, Place.name)
        .join(Place, col(ActionPlace.place_id) == col(Place.id))
        .where(col(ActionPlace.action_id).in_(ids))
        .order_by(col(Place.name))
    ):
        places[action_id].append(name)
    incidents: dict[int, list[int]] = defaultdict(list)
    for action_id, incident_id in session.exec(
        select(ActionIncident.action_id, ActionIncident.incident_id)
        .where(col(ActionIncident.action_id).in_(ids))
        .order_by(col(ActionIncident.incident_id))
    ):
        incidents[action_id].append(incident_id)
    notes: dict[int, list[Note]] = defaultdict(list)
    if with_notes:
        for note in session.exec(
            select(ActionNote)
            .where(col(ActionNote.action_id).in_(ids))
            .order_by(col(ActionNote.id))
        ):
            notes[note.action_id].append(
                Note(note.author_user_id, note.kind, note.text, note.created_at)
            )
    org_ids = {row.organisation_id for row in rows}
    organisations = {
        org.id: org
        for org in session.exec(select(Organisation).where(col(Organisation.id).in_(org_ids)))
    }
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

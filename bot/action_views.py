"""What the action-plan services return: frozen views, never live rows."""

from __future__ import annotations

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
class NoteView:
    author_user_id: str
    kind: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class ActionView:
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
    notes: tuple[NoteView, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue(self, today: date) -> bool:
        return self.is_open and self.due_date < today

    def days_overdue(self, today: date) -> int:
        return (today - self.due_date).days if self.overdue(today) else 0


def action_view(uow: UnitOfWork, row: Action, *, with_notes: bool = False) -> ActionView:
    assert row.id is not None
    session = uow.session
    places = session.exec(
        select(Place.name)
        .join(ActionPlace, col(ActionPlace.place_id) == col(Place.id))
        .where(ActionPlace.action_id == row.id)
        .order_by(col(Place.name))
    ).all()
    incidents = session.exec(
        select(ActionIncident.incident_id)
        .where(ActionIncident.action_id == row.id)
        .order_by(col(ActionIncident.incident_id))
    ).all()
    organisation = session.get(Organisation, row.organisation_id)
    notes: tuple[NoteView, ...] = ()
    if with_notes:
        rows = session.exec(
            select(ActionNote).where(ActionNote.action_id == row.id).order_by(col(ActionNote.id))
        ).all()
        notes = tuple(NoteView(n.author_user_id, n.kind, n.text, n.created_at) for n in rows)
    return ActionView(
        id=row.id,
        group_id=row.group_id,
        title=row.title,
        description=row.description,
        owner_user_id=row.owner_user_id,
        organisation=organisation.name if organisation else "",
        horizon=row.horizon,
        status=row.status,
        due_date=row.due_date,
        places=tuple(places),
        incident_ids=tuple(incidents),
        iso_year=row.iso_year,
        iso_week=row.iso_week,
        decision_ref=row.decision_ref,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        done_at=row.done_at,
        notes=notes,
    )

"""Queries over the action plan."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import Action, ActionIncident, ActionNote, ActionPlace, ActionStatus, Place

OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, action: Action) -> Action:
        self.session.add(action)
        self.session.flush()
        return action

    def many(self, action_ids: Collection[int]) -> Sequence[Action]:
        """The actions with these ids (those that exist), loaded in one query."""
        query = select(Action).where(col(Action.id).in_(list(action_ids))).order_by(col(Action.id))
        return self.session.exec(query).all()

    def get(self, action_id: int) -> Action | None:
        return self.session.get(Action, action_id)

    def link(self, action_id: int, *, places: Sequence[int], incidents: Sequence[int]) -> None:
        """Replace the action's places and incidents."""
        self.session.execute(delete(ActionPlace).where(col(ActionPlace.action_id) == action_id))
        self.session.add_all(ActionPlace(action_id=action_id, place_id=p) for p in set(places))
        for incident in set(incidents):
            exists = self.session.get(ActionIncident, (action_id, incident))
            if exists is None:
                self.session.add(ActionIncident(action_id=action_id, incident_id=incident))
        self.session.flush()

    def place_names(self, action_ids: Collection[int]) -> dict[int, list[str]]:
        """The names of each action's places, by name (actions without places are left out)."""
        query = (
            select(ActionPlace.action_id, Place.name)
            .join(Place, col(ActionPlace.place_id) == col(Place.id))
            .where(col(ActionPlace.action_id).in_(list(action_ids)))
            .order_by(col(Place.name))
        )
        names: defaultdict[int, list[str]] = defaultdict(list)
        for action_id, name in self.session.exec(query):
            names[action_id].append(name)
        return dict(names)

    def incident_ids(self, action_ids: Collection[int]) -> dict[int, list[int]]:
        """The ids of each action's incidents, in id order (actions without any left out)."""
        query = (
            select(ActionIncident.action_id, ActionIncident.incident_id)
            .where(col(ActionIncident.action_id).in_(list(action_ids)))
            .order_by(col(ActionIncident.incident_id))
        )
        ids: defaultdict[int, list[int]] = defaultdict(list)
        for action_id, incident_id in self.session.exec(query):
            ids[action_id].append(incident_id)
        return dict(ids)

    def notes(self, action_ids: Collection[int]) -> dict[int, list[ActionNote]]:
        """Each action's notes, oldest first (actions without notes are left out)."""
        query = (
            select(ActionNote)
            .where(col(ActionNote.action_id).in_(list(action_ids)))
            .order_by(col(ActionNote.id))
        )
        notes: defaultdict[int, list[ActionNote]] = defaultdict(list)
        for note in self.session.exec(query):
            notes[note.action_id].append(note)
        return dict(notes)

    def note(self, note: ActionNote) -> None:
        self.session.add(note)
        self.session.flush()

    def find(
        self,
        group_id: int,
        *,
        owner: str | None = None,
        organisation_id: int | None = None,
        place_id: int | None = None,
        open_only: bool = True,
        due_before: date | None = None,
        limit: int = 200,
    ) -> Sequence[Action]:
        query = select(Action).where(col(Action.group_id) == group_id)
        if owner is not None:
            query = query.where(col(Action.owner_user_id) == owner)
        if organisation_id is not None:
            query = query.where(col(Action.organisation_id) == organisation_id)
        if place_id is not None:
            query = query.join(ActionPlace, col(ActionPlace.action_id) == col(Action.id)).where(
                col(ActionPlace.place_id) == place_id
            )
        if open_only:
            query = query.where(col(Action.status).in_(OPEN))
        if due_before is not None:
            query = query.where(col(Action.due_date) < due_before)
        query = query.order_by(col(Action.due_date), col(Action.id)).limit(limit)
        return self.session.exec(query).all()

    def open_everywhere(self, *, after_id: int = 0, limit: int = 1000) -> Sequence[Action]:
        """Open actions of every group, in id order: what the reminder planner walks through."""
        query = (
            select(Action)
            .where(col(Action.status).in_(OPEN), col(Action.id) > after_id)
            .order_by(col(Action.id))
            .limit(limit)
        )
        return self.session.exec(query).all()

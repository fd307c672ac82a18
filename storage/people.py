"""Queries of people's display names (``Person``), by workspace and Slack user id."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Person


class PersonRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def remember(self, team_id: str, user_id: str, name: str, *, now: datetime) -> bool:
        """Keep ``name`` for the person; True if it was new or changed."""
        row = self.session.get(Person, (team_id, user_id))
        if row is not None and row.display_name == name:
            return False
        if row is None:
            row = Person(team_id=team_id, slack_user_id=user_id, display_name=name, updated_at=now)
        row.display_name, row.updated_at = name, now
        self.session.add(row)
        self.session.flush()
        return True

    def names(self, team_id: str, user_ids: Collection[str]) -> dict[str, str]:
        """The known names of these people, by Slack user id (the unknown are left out)."""
        if not user_ids:
            return {}
        query = select(Person).where(
            Person.team_id == team_id, col(Person.slack_user_id).in_(list(user_ids))
        )
        return {p.slack_user_id: p.display_name for p in self.session.exec(query)}

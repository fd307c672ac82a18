"""Who acts, in which group: the actor, the group, its parties and memberships (frozen values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from storage.models import Group, Member, Organisation, Role


@dataclass(frozen=True)
class EstGroup:
    id: int
    name: str
    team_id: str
    channel_id: str
    language: str
    timezone: str
    hotspot_count: int = 3
    hotspot_days: int = 7
    hotspot_factor: float = 2.0
    started_on: date | None = None  # the first day records may be dated (None: no limit known)

    @classmethod
    def of(cls, row: Group) -> EstGroup:
        assert row.id is not None
        return cls(
            row.id,
            row.name,
            row.slack_team_id,
            row.slack_channel_id,
            row.language,
            row.timezone,
            row.hotspot_count,
            row.hotspot_days,
            row.hotspot_factor,
            start_day(row.started_on, row.created_at, row.timezone),
        )


def start_day(started_on: date | None, created_at: datetime, timezone: str) -> date:
    """The group's first day for records: what an admin set, else the day it was created."""
    return started_on or created_at.astimezone(ZoneInfo(timezone)).date()


@dataclass(frozen=True)
class Party:
    id: int
    name: str
    kind: str

    @classmethod
    def of(cls, row: Organisation) -> Party:
        assert row.id is not None
        return cls(row.id, row.name, row.kind)


@dataclass(frozen=True)
class Membership:
    id: int
    user_id: str
    organisation: Party
    role: str
    status: str
    language: str | None

    @classmethod
    def of(cls, row: Member, organisation: Organisation) -> Membership:
        assert row.id is not None
        return cls(
            row.id,
            row.slack_user_id,
            Party.of(organisation),
            row.role,
            row.status,
            row.language,
        )

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN and self.status == "active"


@dataclass(frozen=True)
class Actor:
    """Who is asking, from where, and what group and membership that gives them."""

    team_id: str
    user_id: str
    channel_id: str
    group: EstGroup | None = None
    member: Membership | None = None

    @property
    def language(self) -> str | None:
        if self.member is not None and self.member.language:
            return self.member.language
        return self.group.language if self.group is not None else None

    @property
    def is_active_member(self) -> bool:
        return self.member is not None and self.member.status == "active"

    @property
    def is_admin(self) -> bool:
        return self.member is not None and self.member.is_admin


@dataclass(frozen=True)
class GroupOverview:
    group: EstGroup
    organisations: tuple[Party, ...]
    members: tuple[Membership, ...]

    @property
    def pending(self) -> tuple[Membership, ...]:
        return tuple(m for m in self.members if m.status == "pending")

    @property
    def active(self) -> tuple[Membership, ...]:
        return tuple(m for m in self.members if m.status == "active")

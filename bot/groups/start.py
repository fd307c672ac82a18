"""A group's start date: the first day its records may be dated (see bot.recording).

By default the day the group was made in the bot; an admin may set it earlier, so that a group
that started using the bot in November can record the whole grant year (`/est inställningar
start 2025-01-01`). Every change is an audit event.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.actors import Actor, start_day
from bot.errors import InvalidInput
from bot.groups.changes import change_group
from bot.i18n import N_
from bot.rules import require
from bot.timeparse import format_day, read_when
from storage.db import Database
from storage.models import Group, Role

EARLIEST = date(2000, 1, 1)


def parse_start(text: str, *, now: datetime, timezone: str) -> date:
    """ "2025-01-01", "1/1 2025", "1 januari 2025": a day, not after today, from 2000."""
    if not text.strip():
        raise InvalidInput(
            N_("Write the group's start date, e.g. `/est inställningar start 2025-01-01`."),
            field="start",
        )
    tz = ZoneInfo(timezone)
    day = read_when(text, now=now, tz=tz).astimezone(tz).date()
    if not EARLIEST <= day <= now.astimezone(tz).date():
        raise InvalidInput(
            N_(
                "You wrote “{text}”, that is {understood}. The start date must be between "
                "1 January 2000 and today.",
                text=" ".join(text.split()),
                understood=format_day(day),
            ),
            field="start",
        )
    return day


class StartService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def set(self, actor: Actor, text: str, *, now: datetime) -> date:
        """An admin sets the first day records may be dated."""
        group = require(actor, Role.ADMIN)
        day = parse_start(text, now=now, timezone=group.timezone)

        def start_on(row: Group) -> None:
            row.started_on = day

        change_group(self.db, actor, group.id, start_on, now=now)
        return day

    def get(self, actor: Actor) -> date:
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            row = uow.groups.get(group.id)
            assert row is not None
            return start_day(row.started_on, row.created_at, row.timezone)

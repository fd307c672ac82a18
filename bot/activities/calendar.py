"""The iCalendar feed of a group's activities and weekly meetings, at a secret per-group URL.

Members subscribe to it in Outlook or on their phone. The token is the only key: whoever has
the URL sees titles, places and times (never who), so an admin can replace it, which makes the
old URL stop working.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from bot.actors import Actor
from bot.i18n import translator
from bot.rules import require
from bot.weekly.reports import meeting_moment
from storage.db import Database
from storage.models import ActivityStatus, CalendarFeed, Group, Role

MEETING_LENGTH = timedelta(hours=1)
PAST = timedelta(days=90)
AHEAD = timedelta(days=365)
MEETING_WEEKS = 12


class CalendarService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def token(self, actor: Actor, *, renew: bool = False, now: datetime) -> str:
        """The group's feed token, made on first use; ``renew`` (admins) replaces it."""
        group = require(actor, Role.ADMIN if renew else Role.LASARE)
        with self.db.unit_of_work() as uow:
            row = uow.calendar_feeds.of_group(group.id)
            if row is not None and not renew:
                return row.token
            if row is None:
                row = CalendarFeed(group_id=group.id, token="", created_by=actor.user_id)
            row.token, row.created_by, row.created_at = (
                secrets.token_urlsafe(24),
                actor.user_id,
                now,
            )
            uow.calendar_feeds.save(row)
            uow.audit.record(
                "calendar.renewed" if renew else "calendar.created",
                entity="calendar_feed",
                entity_id=group.id,
                actor=actor.user_id,
                at=now,
                group_id=group.id,
                after={"group_id": group.id},  # the token itself stays out of the log
            )
            return row.token

    def feed(self, token: str, *, now: datetime) -> bytes | None:
        """The .ics body for ``token``, or None when no group has it."""
        if not token or len(token) > 64:
            return None
        with self.db.unit_of_work(read_only=True) as uow:
            found = uow.calendar_feeds.by_token(token)
            if found is None or not secrets.compare_digest(found.token, token):
                return None
            settings = uow.groups.get(found.group_id)
            assert settings is not None
            cal = Calendar()
            cal.add("prodid", "-//EST-bot//sv")
            cal.add("version", "2.0")
            cal.add("x-wr-calname", settings.name)
            statuses = [s.value for s in ActivityStatus]
            rows = uow.activities.between(
                found.group_id, now - PAST, now + AHEAD, statuses=statuses
            )
            places_of = uow.activities.places_of([row.id for row in rows if row.id is not None])
            for row in rows:
                places = ", ".join(name for _id, name in places_of.get(row.id or 0, ()))
                event = Event()
                event.add("uid", f"activity-{row.id}@est-bot")
                event.add("summary", row.title)
                event.add("dtstart", row.start_at)
                event.add("dtend", row.end_at)
                event.add("dtstamp", row.updated_at)
                event.add("location", places)
                event.add("description", row.purpose)
                event.add("categories", [row.kind])
                if row.status == ActivityStatus.INSTALLD:
                    event.add("status", "CANCELLED")
                cal.add_component(event)
            for event in _meetings(settings, now):
                cal.add_component(event)
            return bytes(cal.to_ical())


def _meetings(settings: Group, now: datetime) -> list[Event]:
    tr = translator(settings.language)
    found = []
    for offset in range(-2, MEETING_WEEKS):
        year, week, _ = (now + timedelta(weeks=offset)).isocalendar()
        start, _day, _holiday = meeting_moment(settings, year, week)
        event = Event()
        event.add("uid", f"meeting-{settings.id}-{year}-W{week:02d}@est-bot")
        event.add("summary", tr.gettext("Situation-picture meeting, week {week}", week=week))
        event.add("dtstart", start)
        event.add("dtend", start + MEETING_LENGTH)
        event.add("dtstamp", settings.updated_at)
        found.append(event)
    return found

"""The group's weekly rhythm: meeting day and time, report deadline, lead times, who reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.actors import Actor
from bot.errors import InvalidInput
from bot.i18n import N_
from bot.rules import require
from storage.db import Database
from storage.models import Role
from storage.repositories import snapshot

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class MeetingSettings:
    meeting_weekday: int  # 0 = Monday
    meeting_time: str  # "HH:MM", local
    deadline_weekday: int
    deadline_time: str
    call_lead_hours: int
    nudge_lead_hours: int
    reporting: tuple[int, ...]  # organisation ids that send a weekly report
    organisations: tuple[tuple[int, str], ...] = ()  # all of the group's, for the form


def _check(settings: MeetingSettings) -> None:
    for field, day in (
        ("meeting_weekday", settings.meeting_weekday),
        ("deadline_weekday", settings.deadline_weekday),
    ):
        if not 0 <= day <= 4:
            raise InvalidInput(N_("Choose a weekday, Monday to Friday."), field=field)
    for field, hhmm in (
        ("meeting_time", settings.meeting_time),
        ("deadline_time", settings.deadline_time),
    ):
        if not _HHMM.match(hhmm):
            raise InvalidInput(N_("Write the time as HH:MM."), field=field)
    if not 1 <= settings.call_lead_hours <= 168:
        raise InvalidInput(N_("Between 1 and 168 hours."), field="call_lead_hours")
    if not 0 <= settings.nudge_lead_hours < settings.call_lead_hours:
        raise InvalidInput(
            N_("The nudge comes after the call: fewer hours before the deadline."),
            field="nudge_lead_hours",
        )
    deadline = (settings.deadline_weekday, settings.deadline_time)
    if deadline >= (settings.meeting_weekday, settings.meeting_time):
        raise InvalidInput(
            N_("The report deadline must come before the meeting in the week."),
            field="deadline_weekday",
        )


class MeetingSettingsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, actor: Actor) -> MeetingSettings:
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            row = uow.groups.get(group.id)
            assert row is not None
            orgs = uow.organisations.of_group(group.id)
            return MeetingSettings(
                row.meeting_weekday,
                row.meeting_time,
                row.deadline_weekday,
                row.deadline_time,
                row.call_lead_hours,
                row.nudge_lead_hours,
                tuple(o.id or 0 for o in orgs if o.reports),
                tuple((o.id or 0, o.name) for o in orgs),
            )

    def save(self, actor: Actor, settings: MeetingSettings, *, now: datetime) -> MeetingSettings:
        group = require(actor, Role.ADMIN)
        _check(settings)
        with self.db.unit_of_work() as uow:
            row = uow.groups.get(group.id)
            assert row is not None
            orgs = uow.organisations.of_group(group.id)
            if not set(settings.reporting) <= {o.id for o in orgs}:
                raise InvalidInput(
                    N_("One of the organisations is not in this group."), field="reporting"
                )
            before = snapshot(row)
            row.meeting_weekday, row.meeting_time = settings.meeting_weekday, settings.meeting_time
            row.deadline_weekday, row.deadline_time = (
                settings.deadline_weekday,
                settings.deadline_time,
            )
            row.call_lead_hours, row.nudge_lead_hours = (
                settings.call_lead_hours,
                settings.nudge_lead_hours,
            )
            row.updated_at = now  # the rows read in the unit of work are saved with it
            uow.audit.record_row("group.changed", row, actor=actor.user_id, at=now, before=before)
            for org in orgs:
                reports = org.id in settings.reporting
                if org.reports != reports:
                    org_before = snapshot(org)
                    org.reports = reports
                    uow.audit.record_row(
                        "organisation.changed", org, actor=actor.user_id, at=now, before=org_before
                    )
        return self.get(actor)

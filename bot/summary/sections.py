"""The summary's sections beyond the incident counts: the action plan, the organisations that
did not report, and the activities. Each is None when the group has no such data, so the post
leaves it out instead of showing zeros."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.activities.results import ActivityLine, activity_lines
from bot.summary.results import ActionLine, ActionsPart, ActivitiesPart, ActivityEntry
from storage.models import Action
from storage.repositories import UnitOfWork

LISTED_ACTIONS = 10  # done / overdue actions named; the rest are counted
COMING_DAYS = 14


def actions_part(
    uow: UnitOfWork, group_id: int, start: datetime, end: datetime
) -> ActionsPart | None:
    """Done in the week, open at its end, and of those the overdue; None if the group has none."""
    today = end.date()  # the Monday after: an action due on Sunday is overdue then
    counts = uow.summary.action_counts(group_id, start, end, today=today)
    if not counts.total:
        return None
    done = uow.summary.actions_done(group_id, start, end, limit=LISTED_ACTIONS)
    overdue = uow.summary.actions_overdue(group_id, today, limit=LISTED_ACTIONS)
    return ActionsPart(
        done=counts.done,
        open=counts.open,
        overdue=counts.overdue,
        done_lines=_action_lines(done),
        overdue_lines=_action_lines(overdue),
    )


def _action_lines(rows: Sequence[tuple[Action, str]]) -> list[ActionLine]:
    return [
        ActionLine(a.id or 0, a.title, a.owner_user_id, organisation, a.due_date.isoformat())
        for a, organisation in rows
    ]


def missing_reports(uow: UnitOfWork, group_id: int, year: int, week: int) -> list[str] | None:
    """Reporting organisations without a lägesrapport for the week; None if none reports."""
    organisations = uow.summary.reporting_organisations(group_id, year, week)
    if not organisations:
        return None
    return sorted(name for name, reported in organisations if not reported)


def activities_part(
    uow: UnitOfWork, group_id: int, start: datetime, end: datetime, tz: ZoneInfo
) -> ActivitiesPart | None:
    """Activities held in [start, end) (with attendance once followed up) and planned in the
    two weeks after; None if the group has never had an activity. Four queries in all."""
    if not uow.summary.has_activities(group_id):
        return None
    until = end + timedelta(days=COMING_DAYS)
    rows = uow.summary.activities_held_or_coming(group_id, start, end, until=until)

    def entry(line: ActivityLine) -> ActivityEntry:
        return ActivityEntry(
            id=line.id,
            title=line.title,
            kind=line.kind,
            places=list(line.places),
            start=line.start_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            motivated=line.motivated,
            attendance=line.attendance_total,
            counting_method=line.counting_method,
        )

    lines = activity_lines(uow, rows)
    return ActivitiesPart(
        held=[entry(line) for line in lines if line.start_at < end],
        coming=[entry(line) for line in lines if line.start_at >= end],
    )

"""Saved lägesrapporter, posted in the group's channel through the outbox.

Saving a report queues a row (one per version, in the save's transaction: ``queue_post`` in
``bot.weekly.reports``); at send time the
row becomes the report as it stands: in the thread of the week's call for reports when that
was posted (at the top level when not), and, once the report has a post, an edit of that post
(whose ts the outbox kept) rather than a second one. A row overtaken by a newer version before
it was sent is dropped: the newer row posts the report.
"""

from __future__ import annotations

from datetime import datetime

from bot.actors import EstGroup
from bot.notifier import Notification
from bot.weekly.notifications import ReportPosted, cycle_key, report_key
from bot.weekly.reports import weekly_report
from bot.weekly.weeks import meeting_moment
from storage.models import Outbox, OutboxStatus
from storage.repositories import UnitOfWork


def prepare_report_post(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    group = uow.groups.get(row.group_id or 0)
    if group is None or group.id is None or group.archived_at is not None:
        return None
    report = uow.reports.get(int(row.payload["report_id"]))
    if report is None or report.id is None or report.version > int(row.payload["version"]):
        return None  # gone, or a newer version's row posts it
    call = uow.outbox.by_key(cycle_key(group.id, report.iso_year, report.iso_week, "call"))
    parent = call.slack_ts if call is not None and call.status == OutboxStatus.SENT else None
    earlier = uow.outbox.last_sent(report_key(report.id))
    _moment, day, holiday = meeting_moment(group, report.iso_year, report.iso_week)
    return ReportPosted(
        EstGroup.of(group),
        parent or None,
        earlier.slack_ts if earlier is not None else None,
        weekly_report(uow, report),
        day,
        holiday,
    )

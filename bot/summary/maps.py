"""The weekly summary's map: a third outbox row to the channel, after the summary and its chart,
uploaded into the summary's thread like the chart (and, like it, drawn when it is sent)."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.actors import EstGroup
from bot.i18n import translator
from bot.maps.points import map_points
from bot.notifier import Notification
from bot.summary.notifications import SummaryMap
from bot.summary.service import stored
from storage.models import Outbox, OutboxStatus
from storage.repositories import UnitOfWork

log = logging.getLogger(__name__)
MAP_ATTEMPTS = 5  # uploads tried before the admins are told (as for the chart)


def prepare_map(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    """The week's map for the summary's thread: the places on the map, sized by the week's
    incidents, coloured by the levels the week's meeting agreed; nothing without coordinates."""
    group_row = uow.groups.get(row.group_id or 0)
    summary = (
        stored(uow, group_row, int(row.payload["year"]), int(row.payload["week"]))
        if group_row
        else None
    )
    post = uow.outbox.by_key(str(row.payload["post_key"]))
    if summary is None or post is None or post.status != OutboxStatus.SENT or not post.slack_ts:
        return None
    assert group_row is not None
    group = EstGroup.of(group_row)
    counts = {p.place_id: p.count for p in summary.places}
    levels = uow.meetings.levels(group.id, summary.iso_year, summary.iso_week)
    shown = map_points(uow, group.id, counts, levels)
    if not shown.points:
        return None
    name = f"karta-{summary.iso_year}-v{summary.iso_week:02d}.png"
    if row.attempts > MAP_ATTEMPTS:
        return SummaryMap(group, summary, post.slack_ts, name, None, "upload_failed")
    try:
        from bot.maps.render import render_map

        tr = translator(group.language)
        title = tr.gettext("{group} — week {week}", group=group.name, week=summary.iso_week)
        subtitle = tr.ngettext(
            "{n} incident, {start}–{end}", "{n} incidents, {start}–{end}", summary.total,
            start=summary.start, end=summary.end,
        )  # fmt: skip
        png = render_map(shown.points, tr, title=title, subtitle=subtitle).png
    except Exception:
        log.exception("the map of week %s could not be rendered", summary.iso_week)
        return SummaryMap(group, summary, post.slack_ts, name, None, "chart_not_rendered")
    return SummaryMap(group, summary, post.slack_ts, name, png, None)
